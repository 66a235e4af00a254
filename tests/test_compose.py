"""``compose:``: routes parsed from the spec or a TOML file, requests routed to the most
specific route whose model takes them, models loaded lazily and once, clear reasons for
what no route serves; and a composition of the tiny test models on the whole sample."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from genbench.models import (
    ModelError,
    ModelSpecError,
    Request,
    default_model_name,
    load_model,
    unsupported,
)
from tests.test_plugin import bench, run  # noqa: F401  (the pytester fixture)
from tests.tiny_generators import built, one_torch_thread  # noqa: F401  (autouse)
from tests.tiny_models import causal_lm, llava, whisper

LOADS: list[str] = []
OPTIONS = {"seed": 0, "batch_size": 8, "dtype": "auto", "max_new_tokens": None}


class Echo:
    """A model that answers with its name and the instance id."""

    def __init__(self, name, inputs, outputs, seed):
        LOADS.append(name)
        self.name, self.inputs, self.outputs = name, frozenset(inputs), frozenset(outputs)
        self.settings = {"model": name, "seed": seed}

    def predict(self, requests):
        return [f"{self.name}:{r.id}" for r in requests]


def reader(seed=0):
    return Echo("reader", {"image"}, {"text"}, seed)


def listener(seed=0):
    return Echo("listener", {"audio"}, {"text"}, seed)


def painter(seed=0):
    return Echo("painter", {"image"}, {"image"}, seed)


def broken():
    LOADS.append("broken")
    raise RuntimeError("out of memory")


HERE = "tests.test_compose"
ROUTES = f"text={HERE}:reader;text+audio={HERE}:listener;image={HERE}:painter"
#: A composition's default name joins its models' names (here, the factories' specs).
NAME = f"{HERE}:reader+{HERE}:listener+{HERE}:painter"


@pytest.fixture(autouse=True)
def no_loads():
    LOADS.clear()


def _request(i, output="text", **media):
    return Request(str(i), "T", "Image", None, "q", output=output, **media)


def test_requests_go_to_the_most_specific_route_and_models_load_once(tmp_path):
    model = load_model(f"compose:{ROUTES}", OPTIONS)
    assert LOADS == [] and model.name == NAME == default_model_name(f"compose:{ROUTES}")
    assert model.outputs == {"text", "image"}
    clip, picture = tmp_path / "a.wav", tmp_path / "p.png"
    requests = [
        _request(0),
        _request(1, audio=clip),
        _request(2, images=(picture,)),
        _request(3, output="image", images=(picture,)),
        _request(4),
    ]
    answers = model.predict(requests)
    assert answers == ["reader:0", "listener:1", "reader:2", "painter:3", "reader:4"]
    assert sorted(LOADS) == ["listener", "painter", "reader"]  # each loaded once
    assert model.inputs == {"audio", "image"}  # the union of the loaded models' inputs
    settings = model.settings
    assert settings["model"] == f"compose:{ROUTES}"
    assert settings["routes"]["text+audio"] == {
        "model": f"{HERE}:listener",
        "seed": 0,
        "batch_size": 8,
        "dtype": "auto",
    }


def test_models_load_only_when_a_request_needs_them():
    model = load_model(f"compose:{ROUTES}", OPTIONS)
    assert unsupported(model, _request(0)) is None
    assert LOADS == ["reader"]
    routes = f"text={HERE}:reader;text+image={HERE}:reader"  # one spec, one model
    shared = load_model(f"compose:{routes}", OPTIONS)
    shared.predict([_request(0), _request(1, images=("p.png",))])
    assert LOADS == ["reader", "reader"]


def test_unroutable_requests_say_why(tmp_path):
    model = load_model(f"compose:{ROUTES}", OPTIONS)
    assert unsupported(model, _request(0, output="pointcloud")) == (
        f"model {NAME!r} has no route for pointcloud output from text alone "
        "(routes: text+audio, text, image)"
    )
    both = _request(1, audio=tmp_path / "a.wav", images=(tmp_path / "p.png",))
    assert unsupported(model, both) == (
        f"route 'text+audio' ({HERE}:listener): model 'listener' does not take image input; "
        f"route 'text' ({HERE}:reader): model 'reader' does not take audio input"
    )
    with pytest.raises(ModelError, match=r"instance '1': route 'text\+audio'"):
        model.predict([both])


def test_a_route_that_fails_to_load_fails_its_tasks_once():
    model = load_model(f"compose:text={HERE}:reader;image={HERE}:broken", OPTIONS)
    drawing = _request(0, output="image")
    assert unsupported(model, drawing) is None  # not a skip: the task must fail loudly
    with pytest.raises(ModelError, match=rf"route 'image' \({HERE}:broken\): cannot load: out of"):
        model.predict([drawing])
    assert LOADS == ["broken"]  # not retried
    assert model.predict([_request(1)]) == ["reader:1"]


def test_a_toml_file_gives_routes_options_and_a_name(tmp_path):
    spec = tmp_path / "generalist.toml"
    spec.write_text(
        'name = "my-generalist"\n'
        f'[text]\nmodel = "{HERE}:reader"\n'
        f'["image+image"]\nmodel = "{HERE}:painter"\nseed = 5\n'
    )
    assert default_model_name(f"compose:{spec}") == "my-generalist"
    model = load_model(f"compose:{spec}", OPTIONS)
    assert model.name == "my-generalist"
    assert model.settings["routes"]["image+image"]["seed"] == 5
    assert model.settings["routes"]["text"]["seed"] == 0
    assert model.predict([_request(0, output="image", images=("p.png",))]) == ["painter:0"]
    assert LOADS == ["painter"]
    assert unsupported(model, _request(1, output="image")).startswith(
        "model 'my-generalist' has no route for image output from text alone"
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("compose:", "no routes"),
        ("compose:text", "write <route>=<model spec>"),
        ("compose:txt=baseline", "route 'txt': write <output>"),
        ("compose:text+smell=baseline", "route 'text+smell'"),
        ("compose:text=", "route 'text': no model spec"),
        ("compose:text=baseline;text=baseline", "route 'text' given twice"),
        ("compose:text=compose:image=baseline", "a composition cannot hold another"),
        ("compose:text=nosuch-scheme:x/y", "unknown spec"),
    ],
)
def test_bad_compositions_are_clear_errors(spec, message):
    with pytest.raises(ModelSpecError, match=message.replace("+", r"\+")):
        load_model(spec, OPTIONS)


def test_unknown_route_options_are_clear_errors(tmp_path):
    spec = tmp_path / "g.toml"
    spec.write_text(f'[text]\nmodel = "{HERE}:reader"\nnum_inferance_steps = 4\n')
    with pytest.raises(ModelSpecError, match="unknown option 'num_inferance_steps'"):
        load_model(f"compose:{spec}", OPTIONS)


def test_the_documented_toml_file_is_a_valid_composition(tmp_path):
    text = (Path(__file__).resolve().parents[1] / "docs" / "MODELS.md").read_text()
    match = re.search(r"<!-- example: generalist.toml -->\n```toml\n(.*?)```", text, re.DOTALL)
    assert match, "docs/MODELS.md lost its TOML example"
    spec = tmp_path / "generalist.toml"
    spec.write_text(match.group(1))
    run_options = {**OPTIONS, "device": "auto", "num_inference_steps": None}
    run_options |= {"guidance_scale": None, "trust_remote_code": False, "max_frames": 8}
    model = load_model(f"compose:{spec}", run_options)  # checks every route, loads nothing
    assert model.name == "qwen-sdturbo-mms" and LOADS == []
    routes = model.settings["routes"]
    assert list(routes) == ["text", "text+audio", "image", "audio"]
    assert routes["image"]["num_inference_steps"] == 2 and routes["image"]["batch_size"] == 16


def test_naming_a_composition_imports_no_heavy_library():
    code = (
        "import sys, genbench.plugin; from genbench.models import default_model_name; "
        "print(default_model_name('compose:text=hf:org/lm;image=diffusers:/m/sd;audio=hf:o/tts')); "
        "print(sorted({'torch', 'transformers', 'diffusers', 'PIL'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["lm+sd+tts", "[]"]


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    root = tmp_path_factory.getbasetemp()
    folder = tmp_path_factory.mktemp("parts")
    return {
        "lm": causal_lm(folder / "lm"),
        "vlm": llava(folder / "vlm"),
        "sd": built("sd", root),
        "vits": built("vits", root),
        "weights": whisper(folder / "weights" / "asr").parent,
    }


def test_composition_of_tiny_models_runs_the_sample(bench, parts):  # noqa: F811
    spec = (
        f"compose:text=hf:{parts['lm']};text+image=hf:{parts['vlm']};"
        f"text+video=hf:{parts['vlm']};image=diffusers:{parts['sd']};audio=hf:{parts['vits']}"
    )
    result, outcome = run(
        bench,
        "--model",
        spec,
        "--limit",
        "1",
        "--max-new-tokens",
        "3",
        "--num-inference-steps",
        "2",
        "--metric-weights",
        str(parts["weights"]),
    )
    out = result.stdout.str()
    outcomes = result.parseoutcomes()
    assert "failed" not in outcomes and "errors" not in outcomes, out
    # 7 language tasks, 6 + 6 questions about images and videos, 3 images drawn, 1 speech
    assert (outcomes["passed"], outcomes["skipped"]) == (23, 24), outcomes
    # what no route serves is skipped with the reason: 8 dense maps, 2 point clouds, 3
    # videos; 8 point-cloud and 2 audio questions the text models cannot take; and voice
    # conversion, which the speech model cannot take
    assert out.count("has no route for array output from image input") == 8
    assert "Point-Cloud-Completion: model 'lm+vlm+sd+vits' has no route for pointcloud" in out
    assert "Static-T2V: model 'lm+vlm+sd+vits' has no route for video output from text" in out
    lm = f"route 'text' (hf:{parts['lm']}): model 'lm'"
    assert out.count(f"{lm} does not take pointcloud input") == 8
    assert out.count(f"{lm} does not take audio input") == 2
    assert "VoiceConversion: route 'audio' (hf:" in out
    level = json.loads((outcome / "lm+vlm+sd+vits@limit1_level.json").read_text())
    assert level["model"] == "lm+vlm+sd+vits"
    routes = level["provenance"]["model_settings"]["routes"]
    assert routes["image"]["model"] == f"diffusers:{parts['sd']}"
    assert routes["image"]["num_inference_steps"] == 2
    tasks = outcome / "lm+vlm+sd+vits@limit1" / "tasks"
    for item in (
        "image-generation-Image-Deraining",
        "audio-generation-TextToSpeech",
        "nlp-TriviaQA",
        "image-comprehension-Handwriting-OCR",
    ):
        record = json.loads((tasks / f"{item}.json").read_text())
        assert record["score"] is not None, record
