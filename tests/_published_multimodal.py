"""Image, video, audio and 3D tasks of the published-tree generator.

Each task shows some of the release's variants (SPEC "The real release, as published"):
its folder-name style, task file name, media folder and path form, reference shape and
input fields. Generation tasks carry reference media (images, WAV, ``.npy`` point clouds,
``.npz`` depth) so that media outputs can be scored; the close set leaves them out.
"""

from __future__ import annotations

import json

from tests._published_kit import Made, Media, Spec, header, pick, sentence, text_modality

LETTERS = "ABCD"
STALE = "./data/comprehension/fall-human-detection/images/"


def corner_text(boxes: list[list[int]]) -> str:
    """Boxes as the oracle answers them: ``[[x1, y1, x2, y2], ...]`` as JSON text."""
    return json.dumps(boxes)


def _box(m: Media, width: int = 128, height: int = 96) -> list[int]:
    x1, y1 = int(m.rng.integers(0, width // 2)), int(m.rng.integers(0, height // 2))
    return [
        x1,
        y1,
        x1 + int(m.rng.integers(10, width // 2)),
        y1 + int(m.rng.integers(10, height // 2)),
    ]


def _bird_detection(m: Media, i: int) -> Made:
    name = f"Anna_Hummingbird_{87 + i:04d}_{56435 + i}.jpg"
    image = m.picture(f"images/{name}", name)
    boxes = [_box(m) for _ in range(1 + i % 2)]
    prompt = "Detect every bird. Answer with boxes [x_min, y_min, x_max, y_max]."
    return Made(
        {"input": {"image_file": image, "prompt": prompt}, "output": {"text": {"bird": boxes}}},
        corner_text(boxes),
    )


def _fall_detection(m: Media, i: int) -> Made:
    name = f"people-{8824 + i}-_jpg.rf.{int(m.rng.integers(16**8)):08x}.jpg"
    image = m.picture(f"images/{name}", STALE + name)
    corners = [_box(m) for _ in range(1 + i % 2)]
    boxes = [
        {pick(m.rng, ("fall", "person")): [x1, y1, x2 - x1, y2 - y1]} for x1, y1, x2, y2 in corners
    ]
    prompt = "Find the people who fell. Answer with boxes."
    return Made(
        {"input": {"image_file": image, "prompt": prompt}, "output": {"bbox": boxes}},
        corner_text(corners),
    )


BRANDS = ("GMC", "Toyota", "Volvo", "Fiat")


def _car_brand(m: Media, i: int) -> Made:
    image = m.picture(f"images/CarBrands{453 + i:04d}.png")
    brand = pick(m.rng, BRANDS)
    prompt = "Which brand made this car? Answer with the brand name."
    return Made(
        {"input": {"image_file": image, "prompt": prompt}, "output": {"prediction": brand}}, brand
    )


STYLES = ("landscape", "flower-and-bird", "figure", "calligraphy")


def _fine_art(m: Media, i: int) -> Made:
    name = f"painting_{i:03d}.png"
    image = m.picture(f"images/{name}", name)
    style = pick(m.rng, STYLES)
    prompt = "Which genre of Chinese painting is this?"
    return Made(
        {"input": {"image_file": image, "prompt": prompt}, "output": {"category": style}}, style
    )


SUBJECTS = (["person", "man"], ["horse", "pony"], ["boat", "ship", "vessel"])


def _art_vqa(m: Media, i: int) -> Made:
    name = f"art_{i}.png"
    image = m.picture(f"images/{name}", name)
    accepted = list(pick(m.rng, SUBJECTS))
    question = "What is the main subject of this painting?"
    return Made(
        {"input": {"image_file": image, "question": question}, "output": {"text": accepted}},
        accepted[0],
    )


def _chemistry_vqa(m: Media, i: int) -> Made:
    image = m.picture(f"images/chem_{i}.png")
    answer = pick(m.rng, LETTERS)
    choices = "\n".join(f"{letter}. {sentence(m.rng, 3)}" for letter in LETTERS)
    question = f"Which compound is drawn?\n{choices}"
    prompt = "Answer with the option's letter from the given choices directly."
    fields = {
        "input": {"image_file": image, "prompt": prompt, "question": question},
        "output": {"answer": answer},
    }
    return Made(fields, answer)


def _crowd(m: Media, i: int) -> Made:
    image = m.picture(f"images/crowd_{i}.jpg")
    count = str(int(m.rng.integers(3, 60)))
    prompt = "How many people are in the image? Answer with a number."
    return Made(
        {"input": {"image_file": image, "prompt": prompt}, "output": {"text": count}}, count
    )


POKEMON = ("pikachu", "bulbasaur", "eevee")


def _pokemon(m: Media, i: int) -> Made:
    name = f"{i}.png"
    image = m.picture(f"images/{name}", name)
    label = pick(m.rng, POKEMON)
    return Made(
        {
            "input": {"image_file": image, "prompt": "Which Pokemon is this?"},
            "output": {"text": label},
        },
        label,
    )


def _deraining(m: Media, i: int) -> Made:
    rainy = m.picture(f"images/rain_{i}.png")
    clean = m.picture(f"images/clean_{i}.png", reference=True)
    return Made(
        {"input": {"image": rainy, "prompt": "Remove the rain."}, "output": {"image": clean}}, clean
    )


def _agriculture_vqa(m: Media, i: int) -> Made:
    frames = [m.picture(f"videos/{i}/{k}.jpg", f"{i}/{k}.jpg") for k in range(3)]
    answer = sentence(m.rng, 6)
    prompt = "What is the farmer doing in the video?"
    return Made(
        {"input": {"video_file_list": frames, "prompt": prompt}, "output": {"text": answer}}, answer
    )


def _static_depth(m: Media, i: int) -> Made:
    frames = [m.picture(f"video/{i}/{k:05d}.png") for k in range(3)]
    depth = m.depth(f"depth/{i}.npz", len(frames))
    prompt = "Estimate the depth of every frame."
    return Made(
        {"input": {"video_file_list": frames, "prompt": prompt}, "output": {"depth": depth}}, depth
    )


def _denoising(m: Media, i: int) -> Made:
    noisy = [m.picture(f"videos/noisy/{i}/{k}.png", f"noisy/{i}/{k}.png") for k in range(3)]
    clean = [
        m.picture(f"videos/clean/{i}/{k}.png", f"clean/{i}/{k}.png", reference=True)
        for k in range(3)
    ]
    fields = {
        "input": {"video_file_list": noisy, "prompt": "Remove the noise."},
        "output": {"video_file_list": clean},
    }
    return Made(fields, f"videos/clean/{i}")


ACCENTS = ("american", "british", "indian", "australian")


def _accent(m: Media, i: int) -> Made:
    if i == 0:  # written with Windows separators, into a subfolder of audios/
        audio = m.sound("audios/sub/clip_0.wav", "sub\\clip_0.wav")
    else:
        audio = m.sound(f"audios/clip_{i}.wav", f"clip_{i}.wav")
    accent = pick(m.rng, ACCENTS)
    prompt = "Which accent does the speaker have?"
    return Made(
        {"input": {"audio_file": audio, "prompt": prompt}, "output": {"text": accent}}, accent
    )


def _bird_sound(m: Media, i: int) -> Made:
    name = f"bird_{i}.wav"
    audio = m.sound(f"audios/{name}", name)
    answer = pick(m.rng, ("yes", "no"))
    prompt = "Is a bird singing in this recording? Answer yes or no."
    return Made(
        {"input": {"video_file": audio, "prompt": prompt}, "output": {"text": answer}}, answer
    )


def _speech(m: Media, i: int) -> Made:
    text = sentence(m.rng, 5)
    audio = m.sound(f"audios/tts_{i}.wav", reference=True)
    return Made(
        {"input": {"prompt": f"Say: {text}"}, "output": {"audio_file": audio, "text": text}}, audio
    )


FURNITURE = ("chair", "table", "sofa", "bed")


def _furniture(m: Media, i: int) -> Made:
    cloud = m.cloud(f"pointclouds/object_{i}.npy")
    label = pick(m.rng, FURNITURE)
    prompt = "What kind of furniture is this point cloud?"
    return Made(
        {"input": {"pointcloud": cloud, "prompt": prompt}, "output": {"text": label}}, label
    )


def _completion(m: Media, i: int) -> Made:
    partial = m.cloud(f"pointclouds/partial_{i}.npy")
    complete = m.cloud(f"pointclouds/complete_{i}.npy", reference=True)
    prompt = "Complete the point cloud."
    return Made(
        {"input": {"pointcloud": partial, "prompt": prompt}, "output": {"pointcloud": complete}},
        complete,
    )


IMAGE = ("Image-Comprehension", "Image-Generation")
MULTIMODAL: tuple[Spec, ...] = (
    Spec(
        folder="image/comprehension/Bird-Detection",
        task_file="bird_detection.json",
        header=header("Bird Detection", "Detection", modality=text_modality("image")),
        row=(IMAGE[0], "Bird Detection"),
        metric="AP75",
        reference=("output", "text"),
        make=_bird_detection,
    ),
    Spec(
        folder="image/comprehension/Fall-Human-Detection",
        header=header(
            "fall-human-detection",
            "Detection",
            others={"bbox_format": "(x_min, y_min, width, height)"},
        ),
        row=(IMAGE[0], "Fall Human Detection"),
        metric="AP50",
        reference=("output", "bbox"),
        make=_fall_detection,
    ),
    Spec(
        folder="image/comprehension/car_brands_recognition",
        header=header("Car Brands Recognition", "Recognition", data_source="web images"),
        row=(IMAGE[0], "Car Brands Recognition"),
        metric="Acc",
        reference=("output", "prediction"),
        make=_car_brand,
    ),
    Spec(
        folder="image/comprehension/chinese-fine-art",
        task_file="json/annotation_v2.json",
        header=header("Chinese Fine Art Recognition", "Recognition", version="v2"),
        row=(IMAGE[0], "Chinese Fine Art Recognition"),
        metric="Acc",
        reference=("output", "category"),
        make=_fine_art,
        superseded="json/annotation.json",
    ),
    Spec(
        folder="image/comprehension/ArtImageVisualQuestionAnswering",
        task_file="json/annotation.json",
        header=header(
            "ArtImageVisualQuestionAnswering",
            "VQA",
            skill="Visual Question Answering",
            general_capability=["Perception", "Knowledge"],
        ),
        row=(IMAGE[0], "Art Image Visual Question Answering"),
        metric="Acc",
        reference=("output", "text"),
        make=_art_vqa,
    ),
    Spec(
        folder="image/comprehension/Chemistry-VQA",
        header=header("chemistry vqa", "VQA", domain="Chemistry"),
        row=(IMAGE[0], "Chemistry Visual Question Answering"),
        metric="Acc",
        reference=("output", "answer"),
        make=_chemistry_vqa,
    ),
    Spec(
        folder="image/comprehension/crowd_counting",
        header=header("Crowd Counting", "Counting"),
        row=(IMAGE[0], "Crowd Counting"),
        metric="MAE",
        reference=("output", "text"),
        make=_crowd,
    ),
    Spec(
        folder="image/comprehension/PokemonRecognition",
        header=header("Pokemon Recognition", "Recognition"),
        row=None,
        rule="none",
        metric=None,
        reference=("output", "text"),
        make=_pokemon,
    ),
    Spec(
        folder="image/generation/Image-Deraining",
        header=header(
            "Image Deraining",
            "ImageDeraining",
            modality={"in": ["image", "text"], "out": ["image"]},
        ),
        row=(IMAGE[1], "Image Deraining"),
        metric="PSNR",
        reference=("output", "image"),
        make=_deraining,
    ),
    Spec(
        folder="video/comprehension/AgricultureVideoQuestionAnswering",
        header=header("AgricultureVideoQuestionAnswering", "VideoQA", domain="Agriculture"),
        row=("Video-Comprehension", "Agriculture Video Question Answering"),
        metric="BLEU-1",
        reference=("output", "text"),
        make=_agriculture_vqa,
    ),
    Spec(
        folder="video/comprehension/StaticVDE",
        task_file="StaticVDE.json",
        header=header("StaticVDE", "StaticVDE"),
        row=("Video-Comprehension", "Indoor Static Video Depth Estimation"),
        rule="short name",
        metric="absRel",
        reference=("output", "depth"),
        make=_static_depth,
    ),
    Spec(
        folder="video/generation/VideoDenoising",
        header=header("VideoDenoising", "VideoDenoising"),
        row=("Video-Generation", "Video Denoising"),
        metric="PSNR",
        reference=("output", "video_file_list"),
        make=_denoising,
    ),
    Spec(
        folder="audio/comprehension/AccentClassification",
        task_file="accent_classification.json",
        header=header(
            "AccentClassification", "AccentClassification", modality=text_modality("audio")
        ),
        row=("Audio-Comprehension", "Accent Classification"),
        metric="ACC",
        reference=("output", "text"),
        make=_accent,
    ),
    Spec(
        folder="audio/comprehension/BirdSoundDetection",
        header=header("Bird Sound Detection", "BirdSoundDetection"),
        row=("Audio-Comprehension", "Bird Sound Detection"),
        metric="ACC",
        reference=("output", "text"),
        make=_bird_sound,
    ),
    Spec(
        folder="audio/generation/TextToSpeech",
        header=header("TextToSpeech", "TextToSpeech", modality={"in": ["text"], "out": ["audio"]}),
        row=("Audio-Generation", "TextToSpeech"),
        metric="WER",
        reference=("output", "audio_file"),
        make=_speech,
    ),
    Spec(
        folder="3D/comprehension/3d_classification",
        header=header("3D Furniture Classification", "PointCloudClassification"),
        row=("3D-Comprehension", "3D Furniture Classification"),
        metric="Acc",
        reference=("output", "text"),
        make=_furniture,
    ),
    Spec(
        folder="3D/generation/point_cloud_completion",
        header=header("3D Point Cloud Completion", "PCCompletion", version="1.0"),
        row=("3D-Generation", "3D Point Cloud Completion"),
        metric="CD (Chamfer Distance)",
        reference=("output", "pointcloud"),
        make=_completion,
    ),
)
