"""Generate the bundled sample benchmark: a small General-Bench open-set tree.

Real layout and schema (SPEC §1), real task names and metrics of the reference table,
real media (PNG images, WAV audio, videos as PNG frame folders, point clouds as .npy),
text and media outputs. Reproducible: the same bytes on every run (fixed seeds, no
timestamps). Usage: ``python tools/make_sample.py [--out genbench/data/sample]``.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import wave
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

RNG = np.random.default_rng(20251127)


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_png(path: Path, array: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.fromarray(array.astype(np.uint8)).save(buffer, format="PNG", optimize=True)
    path.write_bytes(buffer.getvalue())


def write_wav(path: Path, frequency: float, seconds: float = 0.5, rate: int = 8000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * frequency * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(samples.tobytes())


def scene(size: int = 32) -> np.ndarray:
    """A smooth colour gradient with a square: a clean image."""
    y, x = np.mgrid[0:size, 0:size]
    image = np.stack([x * 255 / size, y * 255 / size, np.full_like(x, 128)], -1).astype(float)
    a, b = RNG.integers(4, size // 2, 2)
    image[a : a + 8, b : b + 8] = RNG.integers(0, 255, 3)
    return image


def degrade(image: np.ndarray, kind: str) -> np.ndarray:
    if kind == "rain":
        out = image.copy()
        out[:, ::5] = np.minimum(out[:, ::5] + 80, 255)
        return out
    if kind == "haze":
        return image * 0.6 + 255 * 0.4
    if kind == "noise":
        return np.clip(image + RNG.normal(0, 20, image.shape), 0, 255)
    return (image + np.roll(image, 1, 1) + np.roll(image, -1, 1)) / 3  # blur


def task(root: Path, folder: str, name: str, kind: str, data: list[dict[str, Any]]) -> None:
    write_json(root / folder / "annotation.json", {"task": name, "type": kind, "data": data})


def nlp(root: Path) -> None:
    base = root / "nlp"
    questions = [
        (
            "Where do you put a wet umbrella?",
            ["in the oven", "in a stand", "in bed", "in soup"],
            "B",
        ),
        ("What do people drink when thirsty?", ["sand", "water", "paper", "glue"], "B"),
        ("What melts in the sun?", ["ice", "stone", "iron", "glass"], "A"),
        ("What do you wear on your feet?", ["hat", "gloves", "scarf", "shoes"], "D"),
    ]
    task(
        base,
        "Commonsense-Reasoning",
        "Commonsense Reasoning",
        "MultipleChoiceQA",
        [
            {"id": str(i), "input": {"question": q, "options": o}, "output": {"answer": a}}
            for i, (q, o, a) in enumerate(questions)
        ],
    )
    trivia = [
        ("Which planet is known as the red planet?", "Mars"),
        ("What is the capital of France?", "Paris"),
        ("How many legs does a spider have?", "eight"),
        ("Who wrote Hamlet?", "William Shakespeare"),
    ]
    task(
        base,
        "TriviaQA",
        "TriviaQA",
        "OpenQA",
        [
            {"id": str(i), "input": {"question": q, "context": ""}, "output": {"answer": a}}
            for i, (q, a) in enumerate(trivia)
        ],
    )
    documents = [
        (
            "The town council met on Monday and voted to build a new library near the park. "
            "Construction starts in spring and should take two years.",
            "The council voted to build a new library near the park.",
        ),
        (
            "Heavy rain flooded several streets overnight. Firefighters pumped water from "
            "basements and no one was hurt.",
            "Overnight rain flooded streets; no one was hurt.",
        ),
        (
            "The local team won the final after a late goal. Fans celebrated in the square "
            "until midnight.",
            "The local team won the final with a late goal.",
        ),
    ]
    task(
        base,
        "abstractive_summarization",
        "Abstractive Summarization",
        "Summarization",
        [
            {"id": str(i), "document": d, "output": {"summary": s}}
            for i, (d, s) in enumerate(documents)
        ],
    )
    reviews = [
        ("I loved this film, the acting was wonderful.", "positive"),
        ("Terrible service and cold food.", "negative"),
        ("A delightful little book.", "positive"),
        ("The battery died after one day.", "negative"),
    ]
    prompt = (
        "Classify the sentiment of the text as positive or negative.\nText: <<<raw_text>>>\nAnswer:"
    )
    task(
        base,
        "SentimentClassification",
        "Sentiment Classification",
        "classification",
        [
            {
                "id": str(i),
                "input": {"prompt": prompt, "raw_text": t, "options": ["positive", "negative"]},
                "output": {"label": label.capitalize()},
            }
            for i, (t, label) in enumerate(reviews)
        ],
    )
    people = [
        ("Marie Curie met Albert Einstein in Brussels.", "Marie Curie, Albert Einstein"),
        ("The report was written by Ada Lovelace.", "Ada Lovelace"),
        ("Nelson Mandela and Desmond Tutu spoke.", "Nelson Mandela, Desmond Tutu"),
    ]
    ner_prompt = (
        "List every person named in the text, separated by ', '.\nText: <<<raw_text>>>\nPersons:"
    )
    task(
        base,
        "Person-Recognition",
        "Person Recognition",
        "ner",
        [
            {"id": str(i), "input": {"prompt": ner_prompt, "raw_text": t}, "output": {"persons": p}}
            for i, (t, p) in enumerate(people)
        ],
    )
    series = []
    for i in range(4):
        start, step = float(RNG.integers(0, 20)), float(RNG.integers(1, 4))
        values = [round(start + step * k + float(RNG.normal(0, 0.3)), 2) for k in range(9)]
        series.append(
            {"id": str(i), "input": {"data": values[:8]}, "output": {"target": values[8]}}
        )
    task(base, "TimeSeries", "Time Series", "Time Series", series)
    riddles = [
        ("What has keys but cannot open locks?", ["a piano", "a door", "a car"], "A"),
        ("What gets wetter as it dries?", ["a stone", "a towel", "a fire"], "B"),
    ]
    task(
        base,
        "Custom-Riddles",
        "Custom Riddles",
        "MultipleChoiceQA",
        [
            {"id": f"r{i}", "input": {"question": q, "options": o}, "output": {"answer": a}}
            for i, (q, o, a) in enumerate(riddles)
        ],
    )


def image(root: Path) -> None:
    comp = root / "image" / "comprehension"
    sports = ["football", "tennis", "swimming"]
    data = []
    for i in range(4):
        label = sports[i % 3]
        write_png(comp / "Sports-Image-Classification" / "images" / f"{i}.png", scene())
        data.append(
            {
                "id": str(i),
                "input": {
                    "image": f"images/{i}.png",
                    "prompt": "Which sport is shown?",
                    "options": sports,
                },
                "output": {"text": label},
            }
        )
    task(
        comp,
        "Sports-Image-Classification",
        "Sports Image Classification",
        "SportsImageClassification",
        data,
    )
    data = []
    for i in range(4):
        picture = np.full((32, 32, 3), 30.0)
        count = int(RNG.integers(1, 7))
        for k in range(count):
            picture[4 + 4 * k : 6 + 4 * k, 4:8] = 250
        write_png(comp / "Crowd-Counting" / "images" / f"{i}.png", picture)
        data.append(
            {
                "id": str(i),
                "input": {
                    "image": f"images/{i}.png",
                    "prompt": "How many people are in the image? Answer with a number.",
                },
                "output": {"text": str(count)},
            }
        )
    task(comp, "Crowd-Counting", "Crowd Counting", "CrowdCounting", data)
    gen = root / "image" / "generation"
    for folder, name, kind in (
        ("Image-Deraining", "Image Deraining", "rain"),
        ("Image-Dehazing", "Image Dehazing", "haze"),
    ):
        data = []
        for i in range(3):
            clean = scene()
            write_png(gen / folder / "images" / f"{i}_input.png", degrade(clean, kind))
            write_png(gen / folder / "images" / f"{i}_target.png", clean)
            data.append(
                {
                    "id": str(i),
                    "input": {
                        "image": f"images/{i}_input.png",
                        "prompt": f"Restore the image ({kind} removal).",
                    },
                    "output": {"image": f"images/{i}_target.png"},
                }
            )
        task(gen, folder, name, folder.replace("-", ""), data)


def frames(folder: Path, clean: list[np.ndarray], kind: str | None) -> list[str]:
    """Write a clip as PNG frames; return their paths relative to the task folder."""
    names = []
    for k, frame in enumerate(clean):
        write_png(folder / f"{k:03d}.png", degrade(frame, kind) if kind else frame)
        names.append(f"{folder.parent.name}/{folder.name}/{k:03d}.png")
    return names


def clip(length: int = 4) -> list[np.ndarray]:
    base = scene()
    return [np.roll(base, 2 * k, axis=1) for k in range(length)]


def video(root: Path) -> None:
    comp = root / "video" / "comprehension"
    colors = {"red": (230, 20, 20), "green": (20, 200, 20), "blue": (20, 20, 230)}
    data = []
    for i, (color, rgb) in enumerate(colors.items()):
        clip_frames = []
        for k in range(4):
            frame = np.full((32, 32, 3), 200.0)
            frame[10:20, 2 + 4 * k : 12 + 4 * k] = rgb
            clip_frames.append(frame)
        names = frames(comp / "Object-Color-Video-QA" / "videos" / str(i), clip_frames, None)
        data.append(
            {
                "id": str(i),
                "input": {
                    "video_file_list": names,
                    "prompt": "What colour is the moving object?",
                    "options": list(colors),
                },
                "output": {"text": color},
            }
        )
    task(
        comp,
        "Object-Color-Video-QA",
        "Object Color Video Question Answering",
        "ObjectColorVQA",
        data,
    )
    answers = [
        "the farmer is watering the crops",
        "a tractor ploughs the field",
        "cows are grazing on the grass",
    ]
    data = []
    for i, answer in enumerate(answers):
        names = frames(comp / "Agriculture-Video-QA" / "videos" / str(i), clip(3), None)
        data.append(
            {
                "id": str(i),
                "input": {"video_file_list": names, "prompt": "What is happening in the video?"},
                "output": {"text": answer},
            }
        )
    task(
        comp, "Agriculture-Video-QA", "Agriculture Video Question Answering", "AgricultureVQA", data
    )
    gen = root / "video" / "generation"
    for folder, name, kind in (
        ("Video-Denoising", "Video Denoising", "noise"),
        ("Video-Deblurring", "Video Deblurring", "blur"),
    ):
        data = []
        for i in range(2):
            clean = clip()
            inputs = frames(gen / folder / "inputs" / str(i), clean, kind)
            targets = frames(gen / folder / "targets" / str(i), clean, None)
            data.append(
                {
                    "id": str(i),
                    "input": {
                        "video_file_list": inputs,
                        "prompt": f"Restore the video ({kind} removal).",
                    },
                    "output": {"video_file_list": targets},
                }
            )
        task(gen, folder, name, folder.replace("-", ""), data)


def audio(root: Path) -> None:
    comp = root / "audio" / "comprehension"
    for folder, name, labels in (
        ("AccentClassification", "Accent Classification", ["american", "british", "indian"]),
        ("SpeechCommand", "Speech Command", ["yes", "no", "stop", "go"]),
    ):
        data = []
        for i in range(4):
            write_wav(comp / folder / "audios" / f"{i}.wav", 220 + 110 * i)
            data.append(
                {
                    "id": str(i),
                    "input": {
                        "audio_file": f"audios/{i}.wav",
                        "prompt": "Which class does the audio belong to?",
                        "options": labels,
                    },
                    "output": {"text": labels[i % len(labels)]},
                }
            )
        task(comp, folder, name, folder, data)
    gen = root / "audio" / "generation"
    texts = ["hello world", "good morning", "see you soon"]
    data = []
    for i, text in enumerate(texts):
        write_wav(gen / "TextToSpeech" / "audios" / f"{i}.wav", 300 + 50 * i)
        data.append(
            {
                "id": str(i),
                "input": {"prompt": f"Say: {text}"},
                "output": {"audio_file": f"audios/{i}.wav", "text": text},
            }
        )
    task(gen, "TextToSpeech", "TextToSpeech", "TextToSpeech", data)
    data = []
    for i, text in enumerate(texts):
        write_wav(gen / "VoiceConversion" / "audios" / f"{i}_source.wav", 200 + 40 * i)
        write_wav(gen / "VoiceConversion" / "audios" / f"{i}_target.wav", 400 + 40 * i)
        data.append(
            {
                "id": str(i),
                "input": {
                    "audio_file": f"audios/{i}_source.wav",
                    "prompt": "Convert the voice to the target speaker.",
                },
                "output": {"audio_file": f"audios/{i}_target.wav", "text": text},
            }
        )
    task(gen, "VoiceConversion", "VoiceConversion", "VoiceConversion", data)


def shape(kind: str, n: int = 200) -> np.ndarray:
    if kind == "sphere":
        points = RNG.normal(size=(n, 3))
        return points / np.linalg.norm(points, axis=1, keepdims=True)
    if kind == "cube":
        return RNG.uniform(-1, 1, (n, 3))
    return np.column_stack([RNG.uniform(-1, 1, n), RNG.uniform(-1, 1, n), np.zeros(n)])


def three_d(root: Path) -> None:
    comp = root / "3D" / "comprehension"
    for folder, name, labels in (
        ("3d_accessory_classification", "3D Accessory Classification", ["sphere", "cube", "plane"]),
        ("3D-Appliance-Classification", "3D Appliance Classification", ["cube", "sphere", "plane"]),
    ):
        data = []
        for i in range(3):
            label = labels[i]
            (comp / folder / "pointclouds").mkdir(parents=True, exist_ok=True)
            np.save(comp / folder / "pointclouds" / f"{i}.npy", shape(label).astype(np.float32))
            data.append(
                {
                    "id": str(i),
                    "input": {
                        "pointcloud": f"pointclouds/{i}.npy",
                        "prompt": "What is the object's class?",
                        "options": labels,
                    },
                    "output": {"text": label},
                }
            )
        task(comp, folder, name, "PointCloudClassification", data)
    gen = root / "3D" / "generation"
    folder = gen / "3D-Point-Cloud-Completion" / "pointclouds"
    folder.mkdir(parents=True, exist_ok=True)
    data = []
    for i, kind in enumerate(["sphere", "cube"]):
        full = shape(kind).astype(np.float32)
        np.save(folder / f"{i}_partial.npy", full[full[:, 0] < 0.3])
        np.save(folder / f"{i}_complete.npy", full)
        data.append(
            {
                "id": str(i),
                "input": {
                    "pointcloud": f"pointclouds/{i}_partial.npy",
                    "prompt": "Complete the point cloud.",
                },
                "output": {"pointcloud": f"pointclouds/{i}_complete.npy"},
            }
        )
    task(gen, "3D-Point-Cloud-Completion", "3D Point Cloud Completion", "PCCompletion", data)
    folder = gen / "RGB-D-to-Point-Cloud-Reconstruction"
    (folder / "inputs").mkdir(parents=True, exist_ok=True)
    data = []
    for i in range(2):
        depth = RNG.uniform(1, 2, (16, 16)).astype(np.float32)
        write_png(folder / "inputs" / f"{i}_rgb.png", scene(16))
        np.save(folder / "inputs" / f"{i}_depth.npy", depth)
        ys, xs = np.mgrid[0:16, 0:16]
        cloud = np.column_stack(
            [xs.ravel() / 16 * depth.ravel(), ys.ravel() / 16 * depth.ravel(), depth.ravel()]
        ).astype(np.float32)
        np.save(folder / "inputs" / f"{i}_cloud.npy", cloud)
        data.append(
            {
                "id": str(i),
                "input": {
                    "image": f"inputs/{i}_rgb.png",
                    "depth": f"inputs/{i}_depth.npy",
                    "prompt": "Reconstruct the point cloud from the RGB-D image.",
                },
                "output": {"pointcloud": f"inputs/{i}_cloud.npy"},
            }
        )
    task(
        gen,
        "RGB-D-to-Point-Cloud-Reconstruction",
        "RGB-D to Point Cloud Reconstruction",
        "RGBDReconstruction",
        data,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("genbench/data/sample"))
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    for part in (nlp, image, video, audio, three_d):
        part(args.out)
    (args.out / "README.md").write_text(
        "# The bundled sample benchmark\n\nGenerated by `tools/make_sample.py`; do not edit by "
        "hand. A small General-Bench open-set tree: real task names and metrics, tiny media.\n"
    )


if __name__ == "__main__":
    main()
