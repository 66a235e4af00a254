"""The genbench command-line options, and the run settings built from them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from genbench.data import sample_root
from genbench.level import Mode
from genbench.models import default_model_name
from genbench.provenance import collect_provenance
from genbench.runner import RunSettings


def pytest_addoption(parser: pytest.Parser) -> None:
    """The genbench options."""
    group = parser.getgroup("genbench", "General-Bench evaluation")
    group.addoption(
        "--model",
        default="baseline",
        help="model spec: baseline (default), hf:<id or folder>, openai:<base_url>#<model>, "
        "or module.path:factory",
    )
    group.addoption("--dtype", default="auto", help="hf: torch dtype (default auto)")
    group.addoption("--device", default="auto", help="hf: cpu, cuda, cuda:1 ... (default auto)")
    group.addoption(
        "--max-new-tokens", type=int, default=None, help="generation length limit of hf/openai"
    )
    group.addoption(
        "--trust-remote-code",
        action="store_true",
        default=False,
        help="hf: run the checkpoint's own code (off by default)",
    )
    group.addoption(
        "--concurrency", type=int, default=16, help="openai: requests in flight (default 16)"
    )
    group.addoption(
        "--request-timeout", type=float, default=120.0, help="openai: seconds per request"
    )
    group.addoption(
        "--max-frames", type=int, default=8, help="video frames sent to a model (default 8)"
    )
    group.addoption("--model-name", default=None, help="name for outputs (default: from --model)")
    group.addoption(
        "--dataset-dir", default=None, help="General-Bench tree (default: the bundled sample)"
    )
    group.addoption("--outcome-dir", default="outcome", help="results folder (default: outcome)")
    group.addoption(
        "--predictions-dir",
        default=None,
        help="where prediction files go (default: <outcome>/<model>/predictions, mirroring "
        "the tree)",
    )
    group.addoption(
        "--predictions-beside-tasks",
        action="store_true",
        default=False,
        help="write prediction.json beside each task file, as the authors' scorer does "
        "(the dataset must be writable)",
    )
    group.addoption(
        "--step",
        default="123",
        help="1 predict, 2 score, 3 level; any subset as digits (default 123)",
    )
    group.addoption("--limit", type=int, default=None, help="first N instances per task")
    group.addoption("--seed", type=int, default=0, help="random seed (default 0)")
    group.addoption("--batch-size", type=int, default=8, help="requests per model call")
    group.addoption(
        "--level-mode",
        default="paper",
        choices=[m.value for m in Mode],
        help="paper (default) or upstream: reproduce the authors' scorer",
    )
    group.addoption("--gpus-per-worker", type=int, default=1, help="GPUs per xdist worker")
    group.addoption(
        "--metric-weights",
        default=None,
        help="folder of feature-extractor weights for FID, CLIP score, CLAP, WER ... "
        "(default: the local Hugging Face cache only)",
    )
    group.addoption(
        "--judge", default=None, help="judge for judged metrics: openai:<base_url>#<model>"
    )
    group.addoption(
        "--external-scores",
        default=None,
        help="CSV or JSON of supplied task or instance scores (judged metrics and others)",
    )
    group.addoption(
        "--metric-device", default="cpu", help="device of feature extractors (default cpu)"
    )
    group.addoption(
        "--bootstrap",
        type=int,
        default=1000,
        metavar="B",
        help="bootstrap draws for the intervals on the levels (default 1000; 0: none)",
    )
    group.addoption(
        "--ci",
        type=_confidence_level,
        default=0.95,
        metavar="LEVEL",
        help="confidence level of the intervals (default 0.95)",
    )


def _confidence_level(text: str) -> float:
    value = float(text)
    if not 0.0 < value < 1.0:
        raise ValueError(f"--ci {text}: a confidence level lies between 0 and 1")
    return value


def _steps(text: str) -> frozenset[int]:
    if not text or any(c not in "123" for c in text):
        raise pytest.UsageError(f"--step {text!r}: use digits 1 (predict), 2 (score), 3 (level)")
    return frozenset(int(c) for c in text)


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def build_settings(config: pytest.Config) -> tuple[RunSettings, list[str]]:
    """The run's settings from the command line, and notes for the header.

    In an xdist worker, the worker's GPU group is made visible first, so that the
    provenance names it and nothing touches CUDA before.
    """
    option = config.option
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    dataset = Path(option.dataset_dir).resolve() if option.dataset_dir else sample_root()
    outcome = Path(option.outcome_dir).resolve()
    model_name = option.model_name or default_model_name(option.model)
    notes: list[str] = []
    if option.predictions_beside_tasks and option.predictions_dir:
        raise pytest.UsageError(
            "--predictions-dir and --predictions-beside-tasks exclude each other"
        )
    predictions: Path | None = (
        Path(option.predictions_dir).resolve() if option.predictions_dir else None
    )
    if option.predictions_beside_tasks:
        if dataset == sample_root() or not _writable(dataset):
            raise pytest.UsageError(
                f"--predictions-beside-tasks: the dataset folder {dataset} is not writable"
            )
        notes.append("predictions go beside each task file (the authors' layout)")
    if workerinput is not None:
        gpus = workerinput.get("genbench_gpus", "")
        if gpus:
            os.environ["CUDA_VISIBLE_DEVICES"] = gpus
    workers = (
        int(workerinput.get("workercount", 1))
        if workerinput
        else int(getattr(option, "numprocesses", 0) or 1)
    )
    settings = RunSettings(
        model_spec=option.model,
        model_name=model_name,
        outcome_dir=outcome,
        dataset_dir=dataset,
        steps=_steps(option.step),
        predictions_dir=predictions,
        predictions_beside_tasks=option.predictions_beside_tasks,
        limit=option.limit,
        seed=option.seed,
        batch_size=option.batch_size,
        workers=workers,
        metric_weights=Path(option.metric_weights).resolve() if option.metric_weights else None,
        judge=option.judge,
        external_scores=(
            Path(option.external_scores).resolve() if option.external_scores else None
        ),
        metric_device=option.metric_device,
        model_options={
            "dtype": option.dtype,
            "device": option.device,
            "max_new_tokens": option.max_new_tokens,
            "trust_remote_code": option.trust_remote_code,
            "concurrency": option.concurrency,
            "timeout": option.request_timeout,
            "max_frames": option.max_frames,
        },
        provenance=collect_provenance(
            dataset=str(dataset), device=os.environ.get("CUDA_VISIBLE_DEVICES", "cpu")
        ),
    )
    return settings, notes
