"""The hints a generation request carries in ``Request.extra``: the reference's size,
frame count and sample rate, and an inpainting mask; nothing for a close-set instance."""

import wave
from pathlib import Path

from PIL import Image

from genbench.data import Instance, TaskSpec
from genbench.tasks import MediaOutput


def _task(folder):
    return TaskSpec(folder, "Image", "Generation", "Inpainting", "Inpainting", None)


def _instance(folder, fields):
    return Instance("0", fields, folder / "annotation.json")


def test_image_reference_size_and_mask(tmp_path):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (60, 40)).save(tmp_path / "images" / "in.png")
    Image.new("RGB", (120, 80)).save(tmp_path / "images" / "gt.png")
    Image.new("L", (60, 40)).save(tmp_path / "images" / "mask.png")
    fields = {
        "input": {"image": "images/in.png", "mask": "images\\mask.png", "prompt": "fill"},
        "output": {"image": "images/gt.png"},
    }
    request = MediaOutput("image").request(
        _task(tmp_path), _instance(tmp_path, fields), tmp_path / "o.png"
    )
    assert request.extra == {"output_size": (120, 80), "mask": tmp_path / "images" / "mask.png"}


def test_video_frames_and_audio_rate(tmp_path):
    for i in range(3):
        Image.new("RGB", (20, 10)).save(tmp_path / f"{i}.png")
    frames = {"input": {"prompt": "p"}, "output": {"video_file_list": ["0.png", "1.png", "2.png"]}}
    video = MediaOutput("video").request(_task(tmp_path), _instance(tmp_path, frames), tmp_path)
    assert video.extra == {"num_frames": 3, "output_size": (20, 10)}
    with wave.open(str(tmp_path / "ref.wav"), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(22050)
        handle.writeframes(b"\0\0" * 10)
    speech = {"input": {"prompt": "say"}, "output": {"audio_file": "ref.wav"}}
    audio = MediaOutput("audio").request(_task(tmp_path), _instance(tmp_path, speech), tmp_path)
    assert audio.extra == {"sample_rate": 22050}


def test_close_set_and_missing_references_give_no_hints(tmp_path):
    for output in ({}, None, {"image": "nowhere.png"}):
        fields = {"input": {"prompt": "draw"}, "output": output}
        request = MediaOutput("image").request(
            _task(tmp_path), _instance(tmp_path, fields), Path("o.png")
        )
        assert request.extra == {}
