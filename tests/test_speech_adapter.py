"""Speech out through ``hf:``: a tiny VITS built here, loaded offline through the spec,
writing WAV files at the task's sample rate, and run on the sample's audio generation."""

import json
import wave
from types import SimpleNamespace

import pytest

from genbench.models import ModelSpecError, Request, load_model, unsupported
from tests.test_plugin import bench, run  # noqa: F401  (the pytester fixture)
from tests.tiny_generators import built, one_torch_thread, speecht5  # noqa: F401  (autouse)
from tests.tiny_models import whisper


@pytest.fixture(scope="module")
def vits(tmp_path_factory):
    return built("vits", tmp_path_factory.getbasetemp())


def _speech(tmp_path, ids, **extra):
    return [
        Request(
            str(i),
            "TTS",
            "Audio",
            "Generation",
            "hello world",
            output="audio",
            output_path=tmp_path / f"{i}.wav",
            extra=extra,
        )
        for i in ids
    ]


def _wav(path):
    with wave.open(str(path)) as handle:
        return handle.getframerate(), handle.readframes(handle.getnframes())


def test_speech_checkpoint_writes_wav_at_the_task_rate(vits, tmp_path):
    model = load_model(f"hf:{vits}", {"seed": 2})
    assert model.outputs == {"audio"} and model.inputs == frozenset()
    assert model.settings["kind"] == "text-to-audio" and model.settings["sampling_rate"] == 16000
    native = model.predict(_speech(tmp_path / "native", [0]))
    resampled = model.predict(_speech(tmp_path / "task", [0], sample_rate=8000))
    rate, frames = _wav(native[0])
    task_rate, task_frames = _wav(resampled[0])
    assert (rate, task_rate) == (16000, 8000)
    assert len(task_frames) == pytest.approx(len(frames) / 2, abs=2)


def test_speech_is_reproducible_per_instance(vits, tmp_path):
    model = load_model(f"hf:{vits}", {"seed": 2})
    first = [_wav(p) for p in model.predict(_speech(tmp_path / "a", [0, 1, 2]))]
    again = [_wav(p) for p in model.predict(_speech(tmp_path / "b", [2, 1]))]
    assert again == [first[2], first[1]]  # each instance's noise is its own
    assert first[0] != first[1]  # the id seeds it: two instances, two voices
    other = load_model(f"hf:{vits}", {"seed": 3}).predict(_speech(tmp_path / "c", [0]))
    assert _wav(other[0]) != first[0]


def test_speech_model_says_what_it_cannot_do(vits, tmp_path):
    model = load_model(f"hf:{vits}")
    source = _speech(tmp_path, [0])[0]
    conversion = Request(
        "0", "VC", "Audio", "Generation", "convert", audio=source.output_path, output="audio"
    )
    assert unsupported(model, conversion) == "model 'vits' does not take audio input"
    question = Request("1", "Q", "NLP", None, "What is it?")
    assert unsupported(model, question) == "model 'vits' does not produce text outputs"


def test_spectrogram_model_speaks_through_its_vocoder(tmp_path, monkeypatch):
    from genbench.models import _speech as adapter

    folder = speecht5(tmp_path / "speecht5")
    monkeypatch.setattr(adapter, "DEFAULT_VOCODER", str(folder / "vocoder"))
    model = load_model(f"hf:{folder}")
    assert model.settings["speaker_embeddings"] == "zeros"  # SpeechT5 needs a voice
    (path,) = model.predict(_speech(tmp_path / "out", [0], sample_rate=8000))
    rate, frames = _wav(path)
    assert rate == 8000 and frames


def test_spectrogram_model_without_its_vocoder_is_a_clear_error():
    import torch

    from genbench.models._speech import _vocoder

    with pytest.raises(ModelSpecError, match=r"microsoft/speecht5_hifigan: no such model here"):
        _vocoder(SimpleNamespace(model_type="speecht5"), torch.float32)
    assert _vocoder(SimpleNamespace(model_type="vits"), torch.float32) is None


def test_sample_audio_generation_end_to_end(bench, vits, tmp_path):  # noqa: F811
    weights = whisper(tmp_path / "weights" / "asr")
    result, outcome = run(
        bench,
        "--model",
        f"hf:{vits}",
        "-m",
        "audio and generation",
        "--metric-weights",
        str(weights.parent),
    )
    # speech from text is scored by WER; voice conversion needs an audio input
    result.assert_outcomes(passed=1, skipped=1)
    assert "VoiceConversion: model 'vits' does not take audio input" in result.stdout.str()
    record = json.loads(
        (outcome / "vits" / "tasks" / "audio-generation-TextToSpeech.json").read_text()
    )
    assert record["metric"] == "WER" and record["n"] == 3 and record["score"] is not None
    written = sorted((outcome / "vits" / "predictions").rglob("TextToSpeech/media/*.wav"))
    assert [_wav(p)[0] for p in written] == [8000] * 3  # the references' rate
