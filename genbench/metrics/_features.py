"""Metrics computed on a pretrained network's features, through one extractor interface.

A feature extractor embeds images, texts, audio or videos (``embed(kind, items)``) or
transcribes speech. Extractors are found by network name under ``--metric-weights DIR``:

====================  ===============================================  ====================
network               what DIR holds                                   metrics
====================  ===============================================  ====================
``clip``              a transformers CLIP model (``save_pretrained``)  CLIP score, CLIP img score
``clap``              a transformers CLAP model                        CLAP, FAD
``dino``              a transformers vision model (DINO ViT)           DINOScore
``asr``               a transformers speech-recognition model         WER (of generated speech)
``inception.pt``      TorchScript Inception (images -> 2048 features)  FID
``i3d.pt``            TorchScript I3D (videos -> features)             FVD
====================  ===============================================  ====================

Without DIR (or without the network in it) the transformers networks load from the local
Hugging Face cache by their usual id, offline; otherwise the metric is unavailable with a
message that says what to put where. The Fréchet distance and the cosine similarities are
shared by every metric here.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from genbench.metrics._numeric import load_rgb
from genbench.metrics._scorers import (
    MetricUnavailable,
    Scorer,
    ScoringResources,
    TaskScore,
    mark_unavailable,
    register_scorer_factory,
)
from genbench.models._media import read_wav

Features = NDArray[np.float64]

#: Hugging Face ids tried in the local cache when --metric-weights lacks the network.
HUB_DEFAULTS = {
    "clip": "openai/clip-vit-base-patch32",
    "clap": "laion/clap-htsat-unfused",
    "dino": "facebook/dino-vitb16",
    "asr": "openai/whisper-large-v3-turbo",
}


def frechet_distance(a: Features, b: Features) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (rows are samples).

    ``|mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2))``, with scipy's matrix square root;
    a tiny ridge is added when the product is singular, as FID implementations do.
    """
    from scipy import linalg

    if len(a) < 2 or len(b) < 2:
        raise ValueError("a Fréchet distance needs at least two samples on each side")
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a = np.atleast_2d(np.cov(a, rowvar=False))
    cov_b = np.atleast_2d(np.cov(b, rowvar=False))
    with warnings.catch_warnings():
        # few samples give singular covariances: sqrtm warns, the check below decides
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        root = linalg.sqrtm(cov_a @ cov_b)
    if not np.isfinite(root).all():
        ridge = np.eye(len(cov_a)) * 1e-6
        root = linalg.sqrtm((cov_a + ridge) @ (cov_b + ridge))
    root = np.real(root)
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a + cov_b - 2 * root))


def cosine_rows(a: Features, b: Features) -> NDArray[np.float64]:
    """Cosine similarity of each row of ``a`` with the same row of ``b``."""
    a = a / np.linalg.norm(a, axis=1, keepdims=True).clip(1e-12)
    b = b / np.linalg.norm(b, axis=1, keepdims=True).clip(1e-12)
    return np.asarray(np.sum(a * b, axis=1), dtype=np.float64)


class TransformersExtractor:
    """Embeds with a transformers CLIP, CLAP or vision model loaded from a local folder."""

    def __init__(self, network: str, source: str, device: str) -> None:
        """Load ``source`` (a folder or a cached hub id) without touching the network."""
        import torch
        from transformers import AutoModel, AutoProcessor

        self.network, self.device = network, device
        self.processor = AutoProcessor.from_pretrained(  # type: ignore[no-untyped-call]
            source, local_files_only=True
        )
        self.model = AutoModel.from_pretrained(source, local_files_only=True).to(device).eval()
        self._torch = torch

    def embed(self, kind: str, items: Sequence[Any]) -> Features:
        """Embeddings of images (paths), texts, or audio (paths to WAV files), one per row."""
        torch = self._torch
        with torch.no_grad():
            if kind == "text":
                inputs = self.processor(text=list(items), return_tensors="pt", padding=True)
                output = self.model.get_text_features(**inputs.to(self.device))
            elif kind == "image":
                images = [load_rgb(Path(p)) for p in items]
                inputs = self.processor(images=images, return_tensors="pt")
                if self.network == "dino":
                    output = self.model(**inputs.to(self.device)).last_hidden_state[:, 0]
                else:
                    output = self.model.get_image_features(**inputs.to(self.device))
            elif kind == "audio":
                rate = int(getattr(self.processor.feature_extractor, "sampling_rate", 48000))
                audio = [read_wav(Path(p), rate) for p in items]
                inputs = self.processor(audio=audio, sampling_rate=rate, return_tensors="pt")
                output = self.model.get_audio_features(**inputs.to(self.device))
            else:
                raise ValueError(f"the {self.network} network does not embed {kind}")
        return np.asarray(_tensor(output).float().cpu().numpy(), dtype=np.float64)


def _tensor(output: Any) -> Any:
    """Feature tensors from a model output (newer transformers return an output object)."""
    return output if hasattr(output, "float") else output.pooler_output


class TorchScriptExtractor:
    """Embeds images or videos with a TorchScript network (Inception for FID, I3D for FVD).

    Images go in as float tensors N x 3 x H x W in [0, 255], videos as N x 3 x T x H x W;
    the network resizes as it needs (the StyleGAN exports do).
    """

    def __init__(self, path: Path, device: str) -> None:
        """Load the TorchScript file."""
        import torch

        self.module = torch.jit.load(  # type: ignore[no-untyped-call]
            str(path), map_location=device
        ).eval()
        self.device, self._torch = device, torch

    def embed(self, kind: str, items: Sequence[Any]) -> Features:
        """Features of images (paths) or videos (lists of frame paths), one per row."""
        torch = self._torch
        rows = []
        with torch.no_grad():
            for item in items:
                if kind == "image":
                    array = load_rgb(Path(item)).transpose(2, 0, 1)[None]
                elif kind == "video":
                    frames = np.stack([load_rgb(Path(f)) for f in item])  # T H W C
                    array = frames.transpose(3, 0, 1, 2)[None]
                else:
                    raise ValueError(f"a TorchScript extractor does not embed {kind}")
                tensor = torch.from_numpy(np.ascontiguousarray(array)).float().to(self.device)
                rows.append(self.module(tensor).reshape(1, -1).cpu().numpy())
        return np.concatenate(rows).astype(np.float64)


@functools.cache
def _load(network: str, weights_dir: Path | None, device: str) -> Any:
    if network in ("inception", "i3d"):
        path = weights_dir / f"{network}.pt" if weights_dir else None
        if path is None or not path.is_file():
            raise MetricUnavailable(
                f"needs the {network} network: put its TorchScript file at "
                f"<--metric-weights>/{network}.pt"
            )
        return TorchScriptExtractor(path, device)
    folder = weights_dir / network if weights_dir else None
    source = str(folder) if folder is not None and folder.is_dir() else HUB_DEFAULTS[network]
    missing = MetricUnavailable(
        f"needs the {network} network: put a transformers model in "
        f"<--metric-weights>/{network} or {HUB_DEFAULTS[network]} in the local Hugging Face "
        "cache"
    )
    if source == HUB_DEFAULTS[network] and not _in_hub_cache(source):
        raise missing
    try:
        if network == "asr":
            return _speech_recognizer(source, device)
        return TransformersExtractor(network, source, device)
    except (OSError, ValueError) as error:
        raise MetricUnavailable(f"{missing} ({type(error).__name__}: {error})") from None


def _speech_recognizer(source: str, device: str) -> Any:
    """A transformers speech-recognition pipeline from local files only."""
    import transformers

    options = {"local_files_only": True}
    try:
        model = transformers.AutoModelForSpeechSeq2Seq.from_pretrained(source, **options)
    except ValueError:  # not an encoder-decoder recognizer: a CTC one (wav2vec 2 ...)
        model = transformers.AutoModelForCTC.from_pretrained(source, **options)
    return transformers.pipeline(
        "automatic-speech-recognition",
        model=model,
        tokenizer=transformers.AutoTokenizer.from_pretrained(source, **options),
        feature_extractor=transformers.AutoFeatureExtractor.from_pretrained(  # type: ignore[no-untyped-call]
            source, **options
        ),
        device=device,
    )


def _in_hub_cache(repo_id: str) -> bool:
    """Whether a model's config is in the local Hugging Face cache (no network)."""
    from huggingface_hub import try_to_load_from_cache

    return isinstance(try_to_load_from_cache(repo_id, "config.json"), str)


def extractor(network: str, resources: ScoringResources) -> Any:
    """The extractor of a network (loaded once per process and settings)."""
    return _load(network, resources.weights_dir, resources.device)


def _all_frames(values: Sequence[Any]) -> list[Path]:
    return [Path(f) for v in values for f in (v if isinstance(v, list | tuple) else [v])]


def _factory(network: str, build: Callable[[Any], Scorer]) -> Callable[[ScoringResources], Scorer]:
    return lambda resources: build(extractor(network, resources))


def _frechet(kind: str, items: Callable[[Sequence[Any]], Sequence[Any]]) -> Callable[[Any], Scorer]:
    """The Fréchet distance between the features of the generated and the reference set;
    ``items`` turns a task's values into what the network embeds.
    """

    def build(model: Any) -> Scorer:
        def score(predictions: Sequence[Any], references: Sequence[Any]) -> float:
            return frechet_distance(
                model.embed(kind, items(predictions)), model.embed(kind, items(references))
            )

        return score

    return build


def _as_given(values: Sequence[Any]) -> Sequence[Any]:
    return values


def _percent_mean(values: Sequence[float]) -> float:
    """100 x the mean of per-instance values (0 for none), carrying each instance's value:
    the network is not needed again to resample them.
    """
    if not values:
        return 0.0
    return TaskScore(100.0 * float(np.mean(values)), per_instance=[100.0 * v for v in values])


def _similarity(kind: str, against: str) -> Callable[[Any], Scorer]:
    """100 x mean over instances of max(cos(generated, reference), 0); a video's frames
    (or an image's) are averaged first.
    """

    def build(model: Any) -> Scorer:
        def score(predictions: Sequence[Any], references: Sequence[Any]) -> float:
            values = []
            for prediction, reference in zip(predictions, references, strict=True):
                items = prediction if isinstance(prediction, list | tuple) else [prediction]
                generated = model.embed(kind, list(items))
                target_items = reference if isinstance(reference, list | tuple) else [reference]
                target = model.embed(against, [str(t) for t in target_items][:1])
                cosines = cosine_rows(generated, np.repeat(target, len(generated), axis=0))
                values.append(max(float(np.mean(cosines)), 0.0))
            return _percent_mean(values)

        return score

    return build


def _dino_consistency(model: Any) -> Scorer:
    """VBench subject consistency: each frame's DINO feature against the previous and the
    first frame, averaged, then over videos; percent.
    """

    def score(predictions: Sequence[Any], references: Sequence[Any]) -> float:
        values = []
        for frames in predictions:
            features = model.embed("image", list(frames))
            if len(features) < 2:
                raise ValueError("subject consistency needs at least two frames")
            previous = cosine_rows(features[1:], features[:-1])
            first = cosine_rows(features[1:], np.repeat(features[:1], len(features) - 1, 0))
            values.append(float(np.mean((previous + first) / 2)))
        return _percent_mean(values)

    return score


def _asr_wer(model: Any) -> Scorer:
    from genbench.metrics._text import word_error_rate

    rate = int(model.feature_extractor.sampling_rate)

    def score(predictions: Sequence[Any], references: Sequence[Any]) -> float:
        # decoded here: given a file name, the pipeline would need an ffmpeg binary
        transcripts = [
            str(model({"raw": read_wav(Path(p), rate), "sampling_rate": rate})["text"])
            for p in predictions
        ]
        return word_error_rate(transcripts, references)

    return score


# FID pools every frame of every image output; FVD and FAD embed whole videos and clips
register_scorer_factory("FID", _factory("inception", _frechet("image", _all_frames)))
register_scorer_factory("FVD", _factory("i3d", _frechet("video", _as_given)))
register_scorer_factory("FAD", _factory("clap", _frechet("audio", _as_given)))
register_scorer_factory("CLIP score", _factory("clip", _similarity("image", "text")))
register_scorer_factory("CLIP img score", _factory("clip", _similarity("image", "image")))
register_scorer_factory("CLAP", _factory("clap", _similarity("audio", "text")))
register_scorer_factory("DINOScore", _factory("dino", _dino_consistency))
register_scorer_factory("WER", _factory("asr", _asr_wer))

_NO_EXTRACTOR = {
    "Aesthetic score": "CLIP ViT-L/14 with the LAION aesthetic head",
    "CLIP-Style": "CLIP with the style references of VBench appearance_style",
    "Style-CLAP": "LAION-CLAP with the target style references",
    "DINO+ViCLIP+Optical flow+Motion Smooth": "DINO, ViCLIP, RAFT and AMT-S (VBench-I2V)",
    "MUSIQ": "the MUSIQ image-quality network",
    "Optical Flow Score": "RAFT (VBench dynamic_degree)",
    "Successful rate": "GRiT, ViCLIP or UMT (VBench dimensions)",
    "Single-Object Successful Rate": "GRiT (VBench object_class)",
    "Multi-Object Successful Rate": "GRiT (VBench multiple_objects)",
    "Fram-Acc": "CLIP with the source and target prompts of each frame",
}
for _metric, _network in _NO_EXTRACTOR.items():
    mark_unavailable(
        _metric,
        f"needs {_network}; no built-in extractor: supply the score with --external-scores "
        "or register a scorer factory (genbench.metrics.register_scorer_factory)",
    )
mark_unavailable(
    "MCD",
    "needs pymcd (WORLD mel-cepstra; with setuptools<81), not a dependency: supply the score "
    "with --external-scores",
)
