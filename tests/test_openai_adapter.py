"""The ``openai:`` adapter against a small server on 127.0.0.1 that checks each request's
shape and injects 429s, 500s and timeouts."""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from PIL import Image

from genbench.models import ModelSpecError, Request, load_model
from genbench.models._openai import OpenAIModel, OpenAIModelError
from tests.helpers import send_json
from tests.test_plugin import bench, run  # noqa: F401  (the pytester fixture)


class _Server(BaseHTTPRequestHandler):
    """Answers "answer: <prompt>"; prompts starting with a fault word misbehave first."""

    attempts: ClassVar[dict] = {}
    bodies: ClassVar[list] = []
    keys: ClassVar[set] = set()
    in_flight: ClassVar[list] = [0, 0]  # now, most
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        cls = type(self)
        with cls.lock:
            cls.in_flight[0] += 1
            cls.in_flight[1] = max(cls.in_flight)
            cls.bodies.append(body)
            cls.keys.add(self.headers.get("Authorization"))
        try:
            assert self.path == "/v1/chat/completions"
            (message,) = body["messages"]
            prompt = message["content"][-1]["text"]
            tries = cls.attempts[prompt] = cls.attempts.get(prompt, 0) + 1
            time.sleep(0.05)
            if prompt.startswith("busy") and tries == 1:
                return self._send(429, {"error": "rate limited"})
            if prompt.startswith("broken") and tries <= 2:
                return self._send(500, {"error": "oops"})
            if prompt.startswith("slow") and tries == 1:
                time.sleep(2.5)
            if prompt.startswith("bad"):
                return self._send(400, {"error": "bad request"})
            self._send(200, {"choices": [{"message": {"content": f" answer: {prompt} "}}]})
        finally:
            with cls.lock:
                cls.in_flight[0] -= 1

    def _send(self, status, payload):
        send_json(self, status, payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Server.attempts, _Server.bodies, _Server.keys = {}, [], set()
    _Server.in_flight[:] = [0, 0]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


def test_answers_in_order_with_retries_and_bounded_concurrency(server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-123")
    model = OpenAIModel(server, "org/tiny", concurrency=3, timeout=1.5, backoff=0.01)
    prompts = ["busy 1", "broken 2", "slow 3", *(f"plain {i}" for i in range(9))]
    requests = [Request(str(i), "t", "NLP", None, p) for i, p in enumerate(prompts)]
    assert model.predict(requests) == [f"answer: {p}" for p in prompts]
    assert _Server.attempts["busy 1"] == 2 and _Server.attempts["broken 2"] == 3
    assert _Server.attempts["slow 3"] == 2  # the first try timed out
    assert _Server.in_flight[1] <= 3
    assert _Server.keys == {"Bearer sk-secret-123"}
    assert "sk-secret" not in json.dumps(dict(model.settings))
    assert model.name == "tiny" and _Server.bodies[0]["model"] == "org/tiny"


def test_media_travel_as_data_urls_and_input_audio(server, tmp_path):
    image = tmp_path / "a.png"
    Image.new("RGB", (8, 8), (1, 2, 3)).save(image)
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"RIFF....WAVEfmt fake")
    frames = [tmp_path / f"{i}.png" for i in range(20)]
    for frame in frames:
        Image.new("RGB", (4, 4)).save(frame)
    model = OpenAIModel(server, "m", max_frames=5, backoff=0.0)
    request = Request(
        "7",
        "t",
        "Video",
        "Comprehension",
        "look",
        images=(image,),
        video_frames=tuple(frames),
        audio=audio,
    )
    assert model.predict([request]) == ["answer: look"]
    parts = _Server.bodies[0]["messages"][0]["content"]
    kinds = [p["type"] for p in parts]
    assert kinds == ["image_url"] * 6 + ["input_audio", "text"]  # 1 image + 5 sampled frames
    url = parts[0]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == image.read_bytes()
    assert parts[6]["input_audio"] == {
        "data": base64.b64encode(audio.read_bytes()).decode(),
        "format": "wav",
    }


def test_client_errors_fail_at_once_with_the_instance(server):
    model = OpenAIModel(server, "m", backoff=0.0)
    with pytest.raises(OpenAIModelError, match=r"instance '4' of 't': HTTP 400"):
        model.predict([Request("4", "t", "NLP", None, "bad one")])
    assert _Server.attempts["bad one"] == 1
    with pytest.raises(ModelSpecError, match="expected openai:<base_url>#<model>"):
        load_model("openai:localhost:8000")


def test_sample_end_to_end(bench, server, monkeypatch):  # noqa: F811
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-123")
    result, outcome = run(
        bench,
        "--model",
        f"openai:{server}#tiny",
        "-k",
        "nlp or audio and comprehension",
        "--concurrency",
        "4",
        "--batch-size",
        "16",
    )
    assert result.parseoutcomes()["passed"] == 9
    audio_bodies = [
        b for b in _Server.bodies if b["messages"][0]["content"][0]["type"] == "input_audio"
    ]
    assert audio_bodies  # the audio tasks sent their clips
    written = "".join(
        p.read_text(errors="ignore")
        for p in outcome.rglob("*")
        if p.is_file() and p.suffix in {".json", ".html", ".txt"}
    )
    assert "answer:" in written and "sk-secret" not in written
