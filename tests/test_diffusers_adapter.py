"""The ``diffusers:`` adapter with tiny random-weight pipelines built here, loaded offline
through the spec, and run on the bundled sample's image and video generation tasks."""

import json
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from genbench.models import ModelSpecError, Request, load_model, unsupported
from genbench.models._diffusers import generation_size
from tests.test_plugin import bench, run  # noqa: F401  (the pytester fixture)
from tests.tiny_generators import built, one_torch_thread  # noqa: F401  (autouse)

STEPS = {"num_inference_steps": 2}


@pytest.fixture(scope="module")
def sd(tmp_path_factory):
    return built("sd", tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def t2v(tmp_path_factory):
    return built("t2v", tmp_path_factory.getbasetemp())


def _picture(path, size=(40, 30), colour=(200, 10, 10)):
    Image.new("RGB", size, colour).save(path)
    return path


def _requests(tmp_path, folder="out"):
    source = _picture(tmp_path / "in.png")
    mask = tmp_path / "mask.png"
    Image.new("L", (40, 30), 255).save(mask)
    out = tmp_path / folder

    def request(i, **fields):
        return Request(
            str(i),
            "T",
            "Image",
            "Generation",
            "a red square",
            output="image",
            output_path=out / f"{i}.png",
            **fields,
        )

    return [
        request(0, extra={"output_size": (48, 24)}),  # text to image, the reference's size
        request(1, images=(source,)),  # image to image, the input's size
        request(2, extra={"output_size": (48, 24)}),  # as 0 but for its id
        request(3, images=(source,), extra={"mask": mask}),  # inpainting
        request(4),  # text to image, the pipeline's own size
        request(5, images=(source,), extra={"output_size": (36, 36)}),
    ]


def _pixels(paths):
    return [np.asarray(Image.open(p), dtype=np.int16) for p in paths]


def test_draws_edits_and_inpaints_at_the_requested_sizes(sd, tmp_path):
    model = load_model(f"diffusers:{sd}", {**STEPS, "seed": 1})
    assert model.outputs == {"image"} and model.inputs == {"image"}
    assert model.settings["modes"] == ["image-to-image", "inpaint", "text-to-image"]
    assert model.settings["pipeline"] == "StableDiffusionPipeline"
    assert model.settings["num_inference_steps"] == 2 and model.settings["seed"] == 1
    paths = model.predict(_requests(tmp_path))
    sizes = [Image.open(p).size for p in paths]
    assert sizes == [(48, 24), (40, 30), (48, 24), (40, 30), (32, 32), (36, 36)]
    assert paths[0] == str(tmp_path / "out" / "0.png")


def test_outputs_are_reproducible_and_independent_of_the_batch(sd, tmp_path):
    requests = _requests(tmp_path)[:4]
    model = load_model(f"diffusers:{sd}", {**STEPS, "batch_size": 4})
    batched = _pixels(model.predict(requests))
    model.batch_size = 1
    single = _pixels(model.predict(list(reversed(requests))))[::-1]
    # one generator per instance: the same image whatever the batch (float rounding aside)
    assert all(np.abs(a - b).max() <= 1 for a, b in zip(batched, single, strict=True))
    reseeded = load_model(f"diffusers:{sd}", {**STEPS, "seed": 7})
    other = _pixels(reseeded.predict(requests))
    assert any(np.abs(a - b).max() > 8 for a, b in zip(batched, other, strict=True))
    # two instances with the same prompt and size still differ: their ids seed them
    assert np.abs(batched[0] - batched[2]).max() > 8


def test_generation_size_keeps_the_aspect_ratio_at_the_native_pixel_count():
    assert generation_size((1024, 512), 512, 16) == (720, 368)
    assert generation_size((32, 32), 512, 16) == (512, 512)
    assert generation_size((50, 20), None, 16) == (48, 16)


def test_video_pipeline_writes_frames_and_says_what_it_cannot_do(t2v, sd, tmp_path):
    model = load_model(f"diffusers:{t2v}", STEPS)
    assert model.outputs == {"video"} and model.inputs == frozenset()
    request = Request(
        "0",
        "T",
        "Video",
        "Generation",
        "a lake",
        output="video",
        output_path=tmp_path / "v0",
        extra={"num_frames": 3, "output_size": (24, 16)},
    )
    (path,) = model.predict([request])
    frames = sorted((tmp_path / "v0").iterdir())
    assert path == str(tmp_path / "v0") and [f.name for f in frames] == [
        "0000.png",
        "0001.png",
        "0002.png",
    ]
    assert Image.open(frames[0]).size == (24, 16)
    gif = replace(request, output_path=tmp_path / "v.gif")
    assert model.predict([gif]) == [str(tmp_path / "v.gif")]
    assert Image.open(tmp_path / "v.gif").n_frames == 3
    from_image = Request(
        "1",
        "T",
        "Video",
        "Generation",
        "move",
        output="video",
        images=(_picture(tmp_path / "p.png"),),
    )
    assert unsupported(model, from_image) == "model 't2v' does not take image input"
    image_model = load_model(f"diffusers:{sd}", STEPS)
    assert unsupported(image_model, request) == "model 'sd' does not produce video outputs"


@pytest.mark.filterwarnings("ignore:The `local_dir_use_symlinks` argument:UserWarning")
def test_missing_or_wrong_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(ModelSpecError, match=r"diffusers:nobody/nothing: no such model here"):
        load_model("diffusers:nobody/nothing")
    with pytest.raises(ModelSpecError, match=r"not a diffusers pipeline folder"):
        load_model(f"diffusers:{tmp_path}")


def test_sample_image_and_video_generation_end_to_end(bench, sd, t2v):  # noqa: F811
    result, outcome = run(
        bench, "--model", f"diffusers:{sd}", "--num-inference-steps", "2", "-m", "generation"
    )
    # the three image tasks are drawn and scored; video, audio and 3D are not its outputs
    result.assert_outcomes(passed=3, skipped=7)
    assert "does not produce video outputs" in result.stdout.str()
    tasks = outcome / "sd" / "tasks"
    for item, metric in [
        ("image-generation-Image-Deraining", "PSNR"),
        ("image-generation-Image-Dehazing", "PSNR"),
        ("image-generation-Doc-Image-Unwarping", "MS-SSIM"),
    ]:
        record = json.loads((tasks / f"{item}.json").read_text())
        assert record["metric"] == metric and record["status"] == "scored", record
        assert record["provenance"]["model_settings"]["num_inference_steps"] == 2
    drawn = sorted((outcome / "sd" / "predictions").rglob("Doc-Image-Unwarping/media/*.png"))
    assert [Image.open(p).size for p in drawn] == [(176, 176), (176, 176)]  # the reference's

    video, outcome = run(
        bench, "--model", f"diffusers:{t2v}", "--num-inference-steps", "2", "-k", "Static-T2V"
    )
    video.assert_outcomes(passed=1)
    record = json.loads(
        (outcome / "t2v" / "tasks" / "video-generation-Static-T2V.json").read_text()
    )
    assert record["metric"] == "L1 distance" and record["n"] == 2
    frames = sorted((outcome / "t2v" / "predictions").rglob("Static-T2V/media/0/*.png"))
    assert len(frames) == 3 and Image.open(frames[0]).size == (16, 16)
