"""The ``hf:`` adapter with tiny models built here (random weights, a tokenizer trained on
the fly), loaded through the real path and run on the bundled sample end to end."""

import json

import pytest
from PIL import Image

from genbench.models import ModelSpecError, Request, load_model
from tests.test_plugin import bench, run  # noqa: F401  (the pytester fixture)
from tests.tiny_models import causal_lm, llava, qwen2_audio


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    return {
        "lm": causal_lm(root / "lm"),
        "vlm": llava(root / "vlm"),
        "alm": qwen2_audio(root / "alm"),
    }


def test_text_model_batches_do_not_change_answers(models):
    model = load_model(f"hf:{models['lm']}", {"batch_size": 4, "max_new_tokens": 6})
    requests = [
        Request(str(i), "t", "NLP", None, "What is the capital of France?" * (1 + i % 3))
        for i in range(7)
    ]
    batched = model.predict(requests)
    model.batch_size = 1
    assert model.predict(requests) == batched  # left padding, greedy: batch-independent
    assert model.settings["dtype"] == "float32" and model.settings["max_new_tokens"] == 6
    assert model.inputs == frozenset() and model.outputs == {"text"}


def test_image_text_model_takes_images_and_frames(models, tmp_path):
    model = load_model(f"hf:{models['vlm']}", {"batch_size": 2, "max_new_tokens": 4})
    picture = tmp_path / "p.png"
    Image.new("RGB", (40, 30), (200, 10, 10)).save(picture)
    requests = [
        Request("0", "t", "Image", "Comprehension", "Describe.", images=(picture,)),
        Request("1", "t", "Video", "Comprehension", "What happens?", video_frames=(picture,) * 3),
        Request("2", "t", "Image", "Comprehension", "Just text."),
    ]
    answers = model.predict(requests)
    assert len(answers) == 3 and all(isinstance(a, str) for a in answers)
    assert model.kind == "image-text" and model.inputs == {"image", "video"}


def test_missing_model_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelSpecError, match=r"hf:nobody/no-such-model: no such model here"):
        load_model("hf:nobody/no-such-model")


def test_bad_dtype_is_a_clear_error(models):
    with pytest.raises(ModelSpecError, match="--dtype 'float7' is not a torch dtype"):
        load_model(f"hf:{models['lm']}", {"dtype": "float7"})


def test_sample_end_to_end_with_a_text_model(bench, models):  # noqa: F811
    result, outcome = run(
        bench,
        "--model",
        f"hf:{models['lm']}",
        "--limit",
        "2",
        "--max-new-tokens",
        "4",
        "-k",
        "nlp or image",
    )
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] == 7  # the seven language tasks
    assert outcomes["skipped"] == 14  # 11 image tasks it cannot see, 3 it cannot draw
    assert "does not take image input" in result.stdout.str()
    assert "does not produce image outputs" in result.stdout.str()
    record = json.loads((outcome / "lm@limit2" / "tasks" / "nlp-TriviaQA.json").read_text())
    settings = record["provenance"]["model_settings"]
    assert settings["model"].startswith("hf:") and settings["max_new_tokens"] == 4
    assert record["n"] == 2 and record["missing"] == 0


def test_sample_end_to_end_with_an_image_text_model(bench, models):  # noqa: F811
    result, outcome = run(
        bench,
        "--model",
        f"hf:{models['vlm']}",
        "--limit",
        "1",
        "--max-new-tokens",
        "3",
        "-k",
        "image and comprehension or video and comprehension",
    )
    outcomes = result.parseoutcomes()
    # text answers about images and frames; the 8 dense-map tasks need array outputs
    assert outcomes["passed"] == 12 and outcomes["skipped"] == 8
    assert "Road-Scene-Panoptic-Seg: model 'vlm' does not produce array outputs" in (
        result.stdout.str()
    )
    predictions = outcome / "vlm@limit1" / "predictions" / "image" / "comprehension"
    written = json.loads((predictions / "Handwriting-OCR" / "prediction.json").read_text())
    assert written["model"] == "vlm" and len(written["data"]) == 1


def test_sample_end_to_end_with_an_audio_language_model(bench, models):  # noqa: F811
    result, outcome = run(
        bench, "--model", f"hf:{models['alm']}", "--max-new-tokens", "3", "-k", "audio or nlp"
    )
    outcomes = result.parseoutcomes()
    # the two audio comprehension tasks and the language tasks; audio generation is skipped
    assert outcomes["passed"] == 2 + 7 and outcomes["skipped"] == 2
    assert "does not produce audio outputs" in result.stdout.str()
    record = json.loads(
        (outcome / "alm" / "tasks" / "audio-comprehension-SpeechCommand.json").read_text()
    )
    assert record["provenance"]["model_settings"]["kind"] == "audio-text"
