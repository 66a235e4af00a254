"""Generate the bundled sample benchmark: a small General-Bench open-set tree.

Real layout and schema (the published layout), real task names and metrics of the reference table,
real media (PNG images, WAV audio, videos as PNG frame folders, point clouds as .npy),
text and media outputs. Reproducible: the same bytes on every run (fixed seeds, no
timestamps). Usage: python tools/make_sample.py [--out genbench/data/sample].
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


# --- tasks for the structured and dense metrics (issue 4) ---------------------------------------
R2 = np.random.default_rng(4)


def square_image(size: int, box: tuple[int, int, int, int]) -> np.ndarray:
    """A grey image with a red square at box (x1, y1, x2, y2)."""
    image = np.full((size, size, 3), 90.0)
    x1, y1, x2, y2 = box
    image[y1:y2, x1:x2] = [220, 30, 30]
    return image


def text_qa(base: Path, folder: str, name: str, kind: str, items: list[tuple]) -> None:
    """Image questions answered in text: (prompt, answer[, options])."""
    data = []
    for i, item in enumerate(items):
        prompt, answer, *options = item
        write_png(base / folder / "images" / f"{i}.png", scene(16))
        entry: dict[str, Any] = {"image": f"images/{i}.png", "prompt": prompt}
        if options:
            entry["options"] = options[0]
        data.append({"id": str(i), "input": entry, "output": {"text": answer}})
    task(base, folder, name, kind, data)


def dense_task(
    base: Path, folder: str, name: str, kind: str, maps: list[np.ndarray], field: str
) -> None:
    """Image in, dense map out (PNG for 8-bit maps, .npy otherwise)."""
    data = []
    for i, array in enumerate(maps):
        write_png(base / folder / "images" / f"{i}.png", scene(16))
        if array.dtype == np.uint8 and array.ndim == 2:
            write_png(base / folder / "maps" / f"{i}.png", array)
            target = f"maps/{i}.png"
        else:
            (base / folder / "maps").mkdir(parents=True, exist_ok=True)
            np.save(base / folder / "maps" / f"{i}.npy", array)
            target = f"maps/{i}.npy"
        data.append(
            {
                "id": str(i),
                "input": {"image": f"images/{i}.png", "prompt": f"Predict the {field} map."},
                "output": {field: target},
            }
        )
    task(base, folder, name, kind, data)


def structured(root: Path) -> None:
    comp = root / "image" / "comprehension"
    data = []
    for i, box in enumerate([(2, 3, 10, 11), (6, 1, 14, 9)]):
        write_png(comp / "Short-Expression-VG" / "images" / f"{i}.png", square_image(16, box))
        data.append(
            {
                "id": str(i),
                "input": {"image": f"images/{i}.png", "prompt": "Locate the red square."},
                "output": {"bbox": list(box)},
            }
        )
    task(comp, "Short-Expression-VG", "Short Expression Visual Grounding", "VG", data)
    text_qa(
        comp,
        "Handwriting-OCR",
        "Handwriting OCR",
        "OCR",
        [("Read the word.", "hello"), ("Read the word.", "world")],
    )
    text_qa(
        comp,
        "MNER",
        "Multimodal Named Entity Recognition",
        "MNER",
        [("List the person names.", "ada, bob"), ("List the person names.", "cy")],
    )
    data = []
    for i in range(2):
        write_png(comp / "Scene-Graph" / "images" / f"{i}.png", scene(16))
        data.append(
            {
                "id": str(i),
                "input": {"image": f"images/{i}.png", "prompt": "List the relations."},
                "output": {"relations": ["man ride horse", "man wear hat"][: i + 1]},
            }
        )
    task(comp, "Scene-Graph", "lmage Scene Graph Parsing", "SceneGraph", data)
    labels = [R2.integers(0, 3, (16, 16)).astype(np.uint8) for _ in range(2)]
    dense_task(
        comp, "Hubmap-Organ-Seg", "Hubmap Organ Segmentation", "Segmentation", labels, "mask"
    )
    masks = [(R2.random((16, 16)) > 0.7).astype(np.uint8) for _ in range(2)]
    dense_task(comp, "Bone-Fracture-Det", "Bone Fracture Detection", "Detection", masks, "mask")
    # real matting images are large: SAD is a sum over pixels (in thousands)
    mattes = [(R2.random((200, 200)) * 255).astype(np.uint8) for _ in range(2)]
    dense_task(comp, "Portrait-Matting", "Portrait Matting", "Matting", mattes, "alpha")
    # depth in centimetres, the scale of the table's RMS (36.4)
    depths = [R2.uniform(50, 300, (16, 16)).astype(np.float32) for _ in range(2)]
    dense_task(comp, "Indoor-Depth-Est", "Indoor Depth Estimation", "Depth", depths, "depth")
    panoptic = []
    for _ in range(2):
        pan = np.zeros((16, 16, 2), np.int32)
        pan[:, :, 0] = 2
        pan[2:8, 2:8] = [1, 1]
        panoptic.append(pan)
    dense_task(
        comp,
        "Road-Scene-Panoptic-Seg",
        "Road Scene Panoptic Segmentation",
        "Panoptic",
        panoptic,
        "panoptic",
    )

    video_comp = root / "video" / "comprehension"
    data = []
    for i in range(2):
        boxes = {}
        folder = video_comp / "Animal-Tracking" / "frames" / str(i)
        for t in range(3):
            box = (2 + t, 2 + t, 9 + t, 9 + t)
            write_png(folder / f"{t}.png", square_image(16, box))
            boxes[str(t)] = list(box)
        data.append(
            {
                "id": str(i),
                "input": {
                    "video_file_list": [f"frames/{i}/{t}.png" for t in range(3)],
                    "prompt": "Track the red square.",
                },
                "output": {"boxes": boxes},
            }
        )
    task(video_comp, "Animal-Tracking", "Animal Tracking", "AnimalTrack", data)
    data = []
    for i in range(2):
        folder = video_comp / "Animal-VG" / "frames" / str(i)
        tube = []
        for t in range(3):
            box = (3, 3, 11, 11) if t > 0 else (0, 0, 0, 0)
            write_png(folder / f"{t}.png", square_image(16, box) if t else scene(16))
            tube.append(list(box))
        data.append(
            {
                "id": str(i),
                "input": {
                    "video_file_list": [f"frames/{i}/{t}.png" for t in range(3)],
                    "prompt": "When and where is the animal?",
                },
                "output": {"boxes": tube},
            }
        )
    task(video_comp, "Animal-VG", "Animal Video Grounding", "STVG", data)
    depths = [R2.uniform(0.5, 3.0, (3, 16, 16)).astype(np.float32) for _ in range(2)]
    dense_task(
        video_comp,
        "Static-VDE",
        "Indoor Static Video Depth Estimation",
        "StaticVDE",
        depths,
        "depth",
    )
    flows = [R2.normal(0, 40, (16, 16, 2)).astype(np.float32) for _ in range(2)]
    dense_task(
        video_comp,
        "Complex-Scene-Flow",
        "Optical Flow in Complex Scene Estimation",
        "Flow",
        flows,
        "flow",
    )
    saliency = [(R2.random((16, 16)) > 0.6).astype(np.uint8) * 255 for _ in range(2)]
    dense_task(
        video_comp,
        "Video-Salient-Object-Detection",
        "Video Salient Object Detection",
        "VSOD",
        saliency,
        "mask",
    )
    text_qa(
        video_comp,
        "VidSRL",
        "Video Semantic Role Labeling",
        "VidSRL",
        [
            ("Describe who does what.", "a man rides a horse"),
            ("Describe who does what.", "a dog chases a ball"),
        ],
    )
    text_qa(
        video_comp,
        "VidEvRel",
        "Video Event Relation Prediction",
        "VidEvRel",
        [
            ("How are the events related?", "causes", ["causes", "enables", "unrelated"]),
            ("How are the events related?", "enables", ["causes", "enables", "unrelated"]),
        ],
    )

    three = root / "3D" / "comprehension"

    def cloud(folder: str, i: int) -> None:
        (three / folder / "pointclouds").mkdir(parents=True, exist_ok=True)
        np.save(three / folder / "pointclouds" / f"{i}.npy", shape("cube", 40).astype(np.float32))

    def point_task(
        folder: str, name: str, kind: str, prompt: str, outputs: list[dict[str, Any]]
    ) -> None:
        data = []
        for i, output in enumerate(outputs):
            cloud(folder, i)
            data.append(
                {
                    "id": str(i),
                    "input": {"pointcloud": f"pointclouds/{i}.npy", "prompt": prompt},
                    "output": output,
                }
            )
        task(three, folder, name, kind, data)

    point_task(
        "3D-What-QA",
        '3D Situated Question Answering on "What"',
        "SQA3D",
        "What is in front of you?",
        [{"text": ["a chair", "chair"]}, {"text": "table"}],
    )
    point_task(
        "3D-Space-QA",
        "3D Spatial Scene Question Answering",
        "ScanQA",
        "Where is the lamp?",
        [{"text": "on the table next to the bed"}, {"text": "under the window"}],
    )
    point_task(
        "3D-Detection",
        "3D Detection",
        "Det3D",
        "Detect the objects.",
        [
            {"detections": [{"label": "chair", "box": [0.0, 0.0, 0.0, 0.5, 0.5, 0.5]}]},
            {"detections": [{"label": "table", "box": [0.2, 0.1, 0.0, 0.8, 0.8, 0.4]}]},
        ],
    )
    point_task(
        "3D-Instance-Seg",
        "3D Indoor Instance Segmentation",
        "InstSeg3D",
        "Segment the instances.",
        [
            {"instances": [{"label": "chair", "points": list(range(0, 10))}]},
            {"instances": [{"label": "lamp", "points": list(range(5, 20))}]},
        ],
    )
    point_task(
        "3D-Aircraft-Part-Seg",
        "3D Aircrafts Part Segmentation",
        "PartSeg",
        "Label each point's part.",
        [{"labels": [int(v) for v in R2.integers(0, 3, 40)]} for _ in range(2)],
    )
    point_task(
        "3D-Odometry",
        "3D Odometry",
        "Odometry",
        "How far did the sensor move (x, y, z)?",
        [{"answer": [0.5, 0.1, 0.0]}, {"answer": [1.0, -0.2, 0.1]}],
    )

    gen = root / "image" / "generation" / "Doc-Image-Unwarping"
    data = []
    for i in range(2):
        blocks = R2.integers(0, 256, (11, 11, 3)).repeat(16, 0).repeat(16, 1)  # 176 x 176
        write_png(gen / "images" / f"{i}_gt.png", blocks)
        write_png(gen / "images" / f"{i}.png", np.roll(blocks, 8 + 4 * i, axis=(0, 1)))
        data.append(
            {
                "id": str(i),
                "input": {"image": f"images/{i}.png", "prompt": "Unwarp the document."},
                "output": {"image": f"images/{i}_gt.png"},
            }
        )
    task(gen.parent, "Doc-Image-Unwarping", "Document Image Unwarping", "Unwarping", data)
    gen = root / "video" / "generation" / "Static-T2V"
    data = []
    for i in range(2):
        folder = gen / "videos" / str(i)
        for t in range(3):
            write_png(folder / f"{t}.png", scene(16))
        data.append(
            {
                "id": str(i),
                "input": {"prompt": "A quiet lake at dawn, camera still."},
                "output": {"video_file_list": [f"videos/{i}/{t}.png" for t in range(3)]},
            }
        )
    task(gen.parent, "Static-T2V", "Static Video Generation", "StaticT2V", data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("genbench/data/sample"))
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    for part in (nlp, image, video, audio, three_d, structured):
        part(args.out)
    (args.out / "README.md").write_text(
        "# The bundled sample benchmark\n\nGenerated by `tools/make_sample.py`; do not edit by "
        "hand. A small General-Bench open-set tree: real task names and metrics, tiny media.\n"
    )


if __name__ == "__main__":
    main()
