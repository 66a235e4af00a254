"""Model-based metrics through the feature-extractor interface (tiny models built here),
the OpenAI-compatible judge against a local server, and externally supplied scores."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import numpy as np
import pytest
import torch
from PIL import Image

from genbench.data import sample_root
from genbench.metrics import (
    MetricUnavailable,
    OpenAIJudge,
    ScoringResources,
    frechet_distance,
    get_scorer,
)
from genbench.metrics._judged import JudgedReference, JudgeError
from tests.helpers import send_json
from tests.test_plugin import bench, run  # noqa: F401  (the pytester fixture)


@pytest.fixture(scope="module")
def clip_dir(tmp_path_factory):
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor

    from tests.tiny_models import tokenizer

    torch.manual_seed(0)
    fast = tokenizer()
    config = CLIPConfig(
        text_config={
            "vocab_size": len(fast),
            "hidden_size": 16,
            "intermediate_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "max_position_embeddings": 64,
            "bos_token_id": fast.bos_token_id,
            "eos_token_id": fast.eos_token_id,
            "pad_token_id": fast.pad_token_id,
        },
        vision_config={
            "hidden_size": 16,
            "intermediate_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "image_size": 32,
            "patch_size": 8,
        },
        projection_dim=8,
    )
    folder = tmp_path_factory.mktemp("weights")
    CLIPModel(config).save_pretrained(folder / "clip")
    processor = CLIPProcessor(
        image_processor=CLIPImageProcessor(
            size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}
        ),
        tokenizer=fast,
    )
    processor.save_pretrained(folder / "clip")
    return folder


def _image(path, seed):
    pixels = np.random.default_rng(seed).integers(0, 256, (40, 40, 3)).astype(np.uint8)
    Image.fromarray(pixels).save(path)
    return path


def test_clip_scores_match_the_model(clip_dir, tmp_path):
    from transformers import AutoModel, AutoProcessor

    resources = ScoringResources(weights_dir=clip_dir)
    images = [_image(tmp_path / f"{i}.png", i) for i in range(2)]
    prompts = ["a red cat", "a blue dog"]
    model = AutoModel.from_pretrained(clip_dir / "clip")
    processor = AutoProcessor.from_pretrained(clip_dir / "clip")
    expected = []
    for image, prompt in zip(images, prompts, strict=True):
        inputs = processor(
            text=[prompt], images=[np.asarray(Image.open(image))], return_tensors="pt", padding=True
        )
        with torch.no_grad():
            output = model(**inputs)
        cosine = torch.nn.functional.cosine_similarity(output.image_embeds, output.text_embeds)
        expected.append(max(float(cosine), 0.0))
    score = get_scorer("CLIP score", resources=resources)([[p] for p in images], prompts)
    assert score == pytest.approx(100 * np.mean(expected), abs=1e-4)
    same = get_scorer("CLIP img score", resources=resources)([[images[0]]], [[images[0]]])
    assert same == pytest.approx(100.0, abs=1e-4)


def test_missing_network_says_where_to_put_it(tmp_path):
    with pytest.raises(MetricUnavailable, match=r"metric CLAP: needs the clap network"):
        get_scorer("CLAP", resources=ScoringResources(weights_dir=tmp_path))
    with pytest.raises(MetricUnavailable, match=r"inception.pt"):
        get_scorer("FID", resources=ScoringResources(weights_dir=tmp_path))


class _MeanColour(torch.nn.Module):
    """A stand-in Inception: an image's mean colour per channel and its brightness."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        colour = x.mean(dim=(2, 3))
        return torch.cat([colour, colour.mean(1, keepdim=True) ** 0.5], dim=1)


@pytest.mark.filterwarnings("ignore:`torch.jit.*` is deprecated:DeprecationWarning")
def test_fid_through_a_torchscript_extractor(tmp_path):
    torch.jit.script(_MeanColour()).save(str(tmp_path / "inception.pt"))
    generated = [[_image(tmp_path / f"g{i}.png", i)] for i in range(6)]
    real = [[_image(tmp_path / f"r{i}.png", 100 + i)] for i in range(6)]

    def features(items):
        rows = []
        for (path,) in items:
            x = torch.from_numpy(np.array(Image.open(path))).permute(2, 0, 1)[None].float()
            rows.append(_MeanColour()(x).numpy()[0])
        return np.asarray(rows, dtype=np.float64)

    fid = get_scorer("FID", resources=ScoringResources(weights_dir=tmp_path))
    expected = frechet_distance(features(generated), features(real))
    assert fid(generated, real) == pytest.approx(expected, rel=1e-9)


class _Endpoint(BaseHTTPRequestHandler):
    """Answers chat completions from a script of (status, delay, content)."""

    script: ClassVar[list] = []
    seen: ClassVar[list] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append((body, self.headers.get("Authorization")))
        status, delay, content = type(self).script.pop(0)
        time.sleep(delay)
        send_json(self, status, {"choices": [{"message": {"content": content}}]})

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Endpoint.script, _Endpoint.seen = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_judge_retries_and_sends_media(endpoint, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    _Endpoint.script = [(429, 0, ""), (500, 0, ""), (200, 0.5, "9"), (200, 0, "Score: 4.5")]
    judge = OpenAIJudge(endpoint, "judge-model", timeout=0.2, backoff=0.0)
    image = _image(tmp_path / "out.png", 3)
    assert judge.rate("MOS", "say hello", "hello", str(image)) == 4.5
    assert len(_Endpoint.seen) == 4  # 429, 500, a timeout, then the answer
    body, auth = _Endpoint.seen[-1]
    assert auth == "Bearer sk-test" and body["model"] == "judge-model"
    parts = body["messages"][1]["content"]
    assert parts[-1]["type"] == "image_url"
    assert parts[-1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert "from 1 to 5" in body["messages"][0]["content"]


def test_judged_metric_uses_the_judge_and_clamps(endpoint):
    _Endpoint.script = [(200, 0, "7"), (200, 0, "2")]
    resources = ScoringResources(judge=OpenAIJudge(endpoint, "m", backoff=0.0))
    mos = get_scorer("MOS", resources=resources)
    refs = [JudgedReference("say a", "a"), JudgedReference("say b", "b")]
    assert mos(["a", "b"], refs) == pytest.approx((5 + 2) / 2)  # 7 clamps to 5
    assert "say a" in _Endpoint.seen[0][0]["messages"][1]["content"][0]["text"]


def test_judge_gives_up_with_a_clear_error(endpoint):
    _Endpoint.script = [(400, 0, ""), (200, 0, "no number here")]
    judge = OpenAIJudge(endpoint, "m", backoff=0.0)
    with pytest.raises(JudgeError, match="HTTP 400"):
        judge.rate("GPT-Score", "q", "r", "p")
    with pytest.raises(JudgeError, match="no number"):
        judge.rate("GPT-Score", "q", "r", "p")


def test_judged_metric_without_judge_is_unavailable():
    with pytest.raises(MetricUnavailable, match="GPT-Score: needs externally supplied scores"):
        get_scorer("GPT-Score")
    assert OpenAIJudge.from_spec("openai:http://h:1/v1#m").model == "m"
    with pytest.raises(ValueError, match="expected openai:<base_url>#<model>"):
        OpenAIJudge.from_spec("openai:nowhere")


@pytest.fixture(scope="module")
def audio_and_dino_dir(tmp_path_factory):
    from transformers import (
        ClapConfig,
        ClapFeatureExtractor,
        ClapModel,
        ClapProcessor,
        ViTConfig,
        ViTImageProcessor,
        ViTModel,
    )

    from tests.tiny_models import tokenizer

    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("weights")
    tok = tokenizer()
    config = ClapConfig(
        text_config={
            "vocab_size": len(tok),
            "hidden_size": 16,
            "intermediate_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "max_position_embeddings": 64,
            "pad_token_id": 3,
            "type_vocab_size": 1,
        },
        audio_config={
            "hidden_size": 32,
            "depths": [1, 1],
            "num_attention_heads": [1, 2],
            "patch_embeds_hidden_size": 16,
            "window_size": 8,
            "spec_size": 256,
            "num_mel_bins": 64,
            "patch_stride": [4, 4],
            "enable_fusion": False,
        },
        projection_dim=8,
    )
    ClapModel(config).save_pretrained(folder / "clap")
    extractor = ClapFeatureExtractor(feature_size=64, sampling_rate=48000, truncation="rand_trunc")
    ClapProcessor(feature_extractor=extractor, tokenizer=tok).save_pretrained(folder / "clap")
    vit = ViTConfig(
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        image_size=32,
        patch_size=8,
    )
    ViTModel(vit).save_pretrained(folder / "dino")
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder / "dino")
    return folder


def _tone(path, frequency):
    import wave

    samples = (np.sin(np.arange(8000) * frequency) * 3000).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(16000)
        handle.writeframes(samples.tobytes())
    return path


def test_clap_and_fad(audio_and_dino_dir, tmp_path):
    from transformers import AutoModel, AutoProcessor

    from genbench.models._media import read_wav

    resources = ScoringResources(weights_dir=audio_and_dino_dir)
    clips = [_tone(tmp_path / f"{i}.wav", 0.05 * (i + 1)) for i in range(3)]
    texts = ["a tone", "a higher tone", "noise"]
    model = AutoModel.from_pretrained(audio_and_dino_dir / "clap")
    processor = AutoProcessor.from_pretrained(audio_and_dino_dir / "clap")
    expected = []
    for clip, text in zip(clips, texts, strict=True):
        inputs = processor(
            text=[text],
            audio=[read_wav(clip, 48000)],
            sampling_rate=48000,
            return_tensors="pt",
            padding=True,
        )
        with torch.no_grad():
            output = model(**inputs)
        cosine = torch.nn.functional.cosine_similarity(output.audio_embeds, output.text_embeds)
        expected.append(max(float(cosine), 0.0))
    clap = get_scorer("CLAP", resources=resources)(clips, texts)
    assert clap == pytest.approx(100 * np.mean(expected), abs=1e-4)
    fad = get_scorer("FAD", resources=resources)
    assert fad(clips, clips) == pytest.approx(0.0, abs=1e-6)
    assert fad(clips, clips[::-1]) == pytest.approx(0.0, abs=1e-6)  # same set, other order


def test_dino_subject_consistency(audio_and_dino_dir, tmp_path):
    frames = [_image(tmp_path / f"{i}.png", 7) for i in range(3)]
    same = get_scorer("DINOScore", resources=ScoringResources(weights_dir=audio_and_dino_dir))
    assert same([frames], [None]) == pytest.approx(100.0, abs=1e-4)  # identical frames
    changing = [_image(tmp_path / f"c{i}.png", i) for i in range(3)]
    assert same([changing], [None]) < 100.0


def test_audio_wer_through_a_speech_recognizer(bench, tmp_path):  # noqa: F811
    from genbench.metrics._features import extractor
    from genbench.metrics._text import word_error_rate
    from genbench.models._media import read_wav
    from tests.tiny_models import whisper

    weights = tmp_path / "weights"
    whisper(weights / "asr")
    result, outcome = run(bench, "-k", "TextToSpeech", "--metric-weights", str(weights))
    result.assert_outcomes(passed=1)  # scored, no longer skipped for want of weights
    record = json.loads(
        (outcome / "baseline" / "tasks" / "audio-generation-TextToSpeech.json").read_text()
    )
    annotation = json.loads(
        (sample_root() / "audio" / "generation" / "TextToSpeech" / "annotation.json").read_text()
    )
    recognizer = extractor("asr", ScoringResources(weights_dir=weights))
    predictions = sorted((outcome / "baseline" / "predictions").rglob("media/*.wav"))
    transcripts = [
        recognizer({"raw": read_wav(p, 16000), "sampling_rate": 16000})["text"] for p in predictions
    ]
    references = [
        item["output"].get("text", item["input"].get("prompt")) for item in annotation["data"]
    ]
    assert record["score"] == pytest.approx(word_error_rate(transcripts, references))
