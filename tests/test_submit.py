"""Close-set submissions: pack a run's predictions of a close-set tree made from the
sample, check packs (ours, incomplete ones, tampered ones), both layouts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import wave
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from genbench.cli import main
from genbench.data import sample_root
from genbench.submit import MANIFEST, check_submission, media_problem, pack_submission

MODEL = "baseline"


def make_closeset(root: Path) -> Path:
    """The bundled sample as the close set is published: every ``output`` is ``{}``."""
    shutil.copytree(sample_root(), root)
    for path in root.rglob("annotation.json"):
        data = json.loads(path.read_text())
        for instance in data["data"]:
            instance["output"] = {}
        data["set_type"] = "closeset"
        path.write_text(json.dumps(data))
    return root


@pytest.fixture(scope="module")
def predicted(tmp_path_factory):
    """A close-set tree and the baseline's predictions of it (pytest --step 1)."""
    base = tmp_path_factory.mktemp("closeset")
    tree, outcome = make_closeset(base / "General-Bench-Closeset"), base / "outcome"
    benchmarks = Path(__file__).resolve().parents[1] / "benchmarks"
    argv = [sys.executable, "-m", "pytest", str(benchmarks), "-q", "-p", "no:randomly"]
    argv += ["--dataset-dir", str(tree), "--outcome-dir", str(outcome), "--step", "1"]
    argv += ["--predictions-dir", str(outcome / MODEL / "predictions")]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=base, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return tree, outcome


@pytest.fixture
def outcome(predicted, tmp_path):
    """A copy of the predictions that a test may damage."""
    copy = tmp_path / "outcome"
    shutil.copytree(predicted[1], copy)
    return copy


def submit(*args: object) -> int:
    return main(["submit", *(str(a) for a in args)])


def test_full_pack_passes_check(predicted, tmp_path, capsys):
    tree, outcome = predicted
    pack = tmp_path / "submission.zip"
    assert submit(outcome, "-m", MODEL, "--dataset-dir", tree, "-o", pack) == 0
    out = capsys.readouterr().out
    assert f"wrote {pack}: 47 tasks, 120/120 instances" in out
    assert submit("--check", pack, "--dataset-dir", tree) == 0
    assert "check passed" in capsys.readouterr().out
    with zipfile.ZipFile(pack) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read(MANIFEST))
        dehazing = json.loads(archive.read("image/generation/Image-Dehazing/prediction.json"))
        video = json.loads(archive.read("video/generation/Static-T2V/prediction.json"))
    assert manifest["model"] == MODEL and manifest["complete"] is True
    (predictions,) = outcome.rglob("Image-Dehazing/prediction.json")
    recorded = json.loads(predictions.read_text())["settings_digest"]
    assert manifest["settings_digest"] == recorded and manifest["genbench"]
    entry = manifest["tasks"]["image/generation/Image-Dehazing"]
    assert (entry["instances"], entry["predictions"], entry["missing"]) == (3, 3, [])
    assert set(entry["files"]) == {
        "image/generation/Image-Dehazing/prediction.json",
        *(f"image/generation/Image-Dehazing/media/{i}.png" for i in range(3)),
    }
    assert set(dehazing) == {"task", "skill", "type", "data"}
    assert dehazing["task"] == "Image Dehazing"
    assert dehazing["data"][0] == {"id": "0", "prediction": "media/0.png"}
    frames = video["data"][0]["prediction"]  # a video is a folder of frames
    assert any(n.startswith(f"video/generation/Static-T2V/{frames}/") for n in names)
    assert "audio/generation/TextToSpeech/media/0.wav" in names
    assert "3D/generation/3D-Point-Cloud-Completion/media/0.npy" in names
    print(f"sample pack: {pack.stat().st_size} bytes, {len(names)} files")


def test_pack_is_reproducible(predicted, tmp_path, table):
    tree, outcome = predicted
    first = pack_submission(outcome, MODEL, tree, tmp_path / "a.zip", table)
    second = pack_submission(outcome, MODEL, tree, tmp_path / "b.zip", table)
    assert first.output.read_bytes() == second.output.read_bytes()


def test_missing_instance_is_refused_by_name(predicted, outcome, tmp_path, capsys):
    tree = predicted[0]
    path = outcome / MODEL / "predictions" / "nlp" / "TriviaQA" / "prediction.json"
    data = json.loads(path.read_text())
    data["data"] = [d for d in data["data"] if d["id"] != "1"]
    path.write_text(json.dumps(data))
    pack = tmp_path / "partial.zip"
    assert submit(outcome, "-m", MODEL, "--dataset-dir", tree, "-o", pack) == 2
    err = capsys.readouterr().err
    assert f"{path}: instance '1': no prediction" in err
    assert "pass --allow-partial" in err and not pack.exists()
    assert submit(outcome, "-m", MODEL, "--dataset-dir", tree, "-o", pack, "--allow-partial") == 0
    with zipfile.ZipFile(pack) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert manifest["complete"] is False
    assert manifest["tasks"]["nlp/TriviaQA"]["missing"] == ["1"]
    capsys.readouterr()
    assert submit("--check", pack, "--dataset-dir", tree) == 2
    assert "nlp/TriviaQA/prediction.json: instance '1': no prediction" in capsys.readouterr().err
    assert submit("--check", pack, "--dataset-dir", tree, "--allow-partial") == 0


def test_missing_or_broken_media_is_refused_by_name(predicted, outcome, tmp_path, capsys):
    tree = predicted[0]
    folder = outcome / MODEL / "predictions" / "image" / "generation" / "Image-Dehazing"
    (folder / "media" / "2.png").unlink()
    (folder / "media" / "1.png").write_bytes(b"not a png")
    speech = outcome / MODEL / "predictions" / "audio" / "generation" / "TextToSpeech"
    (speech / "media" / "0.wav").write_bytes(b"RIFF")
    assert submit(outcome, "-m", MODEL, "--dataset-dir", tree, "-o", tmp_path / "x.zip") == 2
    err = capsys.readouterr().err
    assert f"{folder / 'prediction.json'}: instance '2': media/2.png: file not found" in err
    assert f"{folder / 'prediction.json'}: instance '1': media/1.png: 1.png does not decode" in err
    assert "instance '0': media/0.wav: 0.wav does not decode" in err
    assert "3 instance(s) without a usable prediction in 2 task(s)" in err


def test_tampered_pack_fails_its_sha256(predicted, tmp_path, capsys):
    tree, outcome = predicted
    pack = tmp_path / "submission.zip"
    assert submit(outcome, "-m", MODEL, "--dataset-dir", tree, "-o", pack) == 0
    tampered = tmp_path / "tampered.zip"
    changed = "nlp/TriviaQA/prediction.json"
    removed = "3D/generation/3D-Point-Cloud-Completion/media/1.npy"
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == changed:
                data = data.replace(b'"prediction": "', b'"prediction": "x', 1)
            if name != removed:
                target.writestr(name, data)
        target.writestr("nlp/TriviaQA/extra.txt", b"hello")
    capsys.readouterr()
    assert submit("--check", tampered, "--dataset-dir", tree, "--allow-partial") == 2
    err = capsys.readouterr().err
    assert f"{changed}: sha256 differs from the manifest (changed after packing)" in err
    assert f"{removed}: listed in the manifest, not in the pack" in err
    assert "3D/generation/3D-Point-Cloud-Completion/prediction.json: instance '1': " in err
    assert "nlp/TriviaQA/extra.txt: in the pack, not in the manifest" in err


def test_authors_layout_and_task_selection(predicted, tmp_path, table):
    tree, outcome = predicted
    pack = tmp_path / "authors"
    report = pack_submission(
        outcome, MODEL, tree, pack, table, layout="authors", patterns=["*generation*"]
    )
    assert len(report.manifest.tasks) == 10
    listed = json.loads((pack / "audio/generation/TextToSpeech/prediction.json").read_text())
    assert listed[0] == {"id": "0", "prediction": "media/0.wav"}
    assert (pack / "audio/generation/TextToSpeech/media/0.wav").is_file()
    selected = check_submission(pack, tree, table, ["*generation*"])
    assert selected.passes() and selected.instances == 24
    everything = check_submission(pack, tree, table)
    assert not everything.passes(allow_partial=False)
    assert "task not in the pack" in {p.what for p in everything.problems}


def test_pack_needs_the_runs_predictions(predicted, tmp_path, capsys):
    tree, outcome = predicted
    assert submit(outcome, "-m", "other", "--dataset-dir", tree, "-o", tmp_path / "x.zip") == 2
    assert "no predictions of model 'other'" in capsys.readouterr().err


def test_media_problem(tmp_path):
    image, sound, array = tmp_path / "a.png", tmp_path / "a.wav", tmp_path / "a.npy"
    Image.new("RGB", (4, 4)).save(image)
    with wave.open(str(sound), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(b"\0\0" * 8)
    np.save(array, np.zeros((3, 3)))
    assert media_problem(image) is None and media_problem(sound) is None
    assert media_problem(array) is None
    array.write_bytes(b"\x93NUMPY garbage")
    assert "does not decode" in str(media_problem(array))
    assert media_problem(tmp_path / "none.png") == "file not found"
    (tmp_path / "frames").mkdir()
    assert "empty folder" in str(media_problem(tmp_path / "frames"))
    shutil.copy(image, tmp_path / "frames" / "0.png")
    assert media_problem(tmp_path / "frames") is None


def test_closeset_generation_tasks_generate_media(table):
    # the close set publishes `output: {}`: a generation task still writes media
    from genbench.data import discover_tasks, read_annotation
    from genbench.tasks import MediaOutput, resolve_family

    task = next(t for t in discover_tasks(sample_root(), table) if t.item_id.endswith("Dehazing"))
    first = read_annotation(task.annotation_path).instances[0]
    closed = type(first)(first.id, {**first.fields, "output": {}}, first.source)
    assert isinstance(resolve_family(task, closed), MediaOutput)
