"""The genbench command-line options, and the run settings built from them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from genbench._secrets import redact
from genbench.data import sample_root
from genbench.level import Mode
from genbench.models import default_model_name
from genbench.plugin._checks import check_counts, check_limit, check_model_name, parse_steps
from genbench.plugin._shard import shard_of
from genbench.provenance import collect_provenance
from genbench.runner import RunSettings, run_name


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
    group.addoption(
        "--num-inference-steps",
        type=int,
        default=None,
        help="diffusers: denoising steps (default: the pipeline's)",
    )
    group.addoption(
        "--guidance-scale",
        type=float,
        default=None,
        help="diffusers: classifier-free guidance scale (default: the pipeline's)",
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
    group.addoption(
        "--shard",
        default=None,
        metavar="K/N|auto",
        help="run the K-th of N deterministic shards of the selected tasks; auto: from "
        "SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX/JOB_COMPLETIONS (docs/CLUSTER.md)",
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
        "--task-map",
        default=None,
        help="CSV or JSON: item id or task folder -> Task Name of the reference table "
        "(empty for no row); overrides the matching rules",
    )
    group.addoption(
        "--rescore",
        action="store_true",
        default=False,
        help="score every task again, even where a stored result of the same inputs exists",
    )
    group.addoption(
        "--score-workers",
        type=int,
        default=1,
        help="score prediction files (--step 2 or 23) ahead in N worker processes "
        "(default 1: in the test process); results are those of a serial run",
    )
    group.addoption(
        "--allow-download",
        action="store_true",
        default=False,
        help="hf: fetch a model that is not on disk from the hub (off: fail at once)",
    )
    group.addoption(
        "--progress-every",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="show a long task's progress this often (from half that into it; 0: never)",
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


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def build_settings(config: pytest.Config) -> tuple[RunSettings, list[str]]:
    """The run's settings from the command line, and notes for the header.

    In an xdist worker, the worker's GPU group is made visible first, so that the
    provenance names it and nothing touches CUDA before.
    """
    option = config.option
    check_limit(option.limit)
    check_counts(option)
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    dataset = Path(option.dataset_dir).resolve() if option.dataset_dir else sample_root()
    outcome = Path(option.outcome_dir).resolve()
    model_name = redact(option.model_name or default_model_name(option.model))
    check_model_name(model_name, run_name(model_name))
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
    shard = shard_of(config)
    if shard is not None:
        notes.append(f"shard {shard} of the selected tasks")
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
        steps=parse_steps(option.step),
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
            "allow_download": option.allow_download,
            "num_inference_steps": option.num_inference_steps,
            "guidance_scale": option.guidance_scale,
        },
        rescore=option.rescore,
        provenance=collect_provenance(
            dataset=str(dataset),
            device=os.environ.get("CUDA_VISIBLE_DEVICES", "cpu"),
            **({"shard": str(shard)} if shard else {}),
        ),
    )
    return settings, notes
