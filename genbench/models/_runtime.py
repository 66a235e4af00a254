"""What every adapter of a local checkpoint decides the same way: whether it may reach
the Hugging Face Hub, the error for a checkpoint that is not here, the device and dtype it
runs with, and the seed of each instance's randomness.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from genbench.models._protocol import ModelSpecError, Request


def hub_options(source: str) -> dict[str, Any]:
    """``from_pretrained`` options for a source: none for a local folder, else
    ``local_files_only`` when ``HF_HUB_OFFLINE`` is set, so a model that is not in the
    cache fails at once instead of being looked up.
    """
    if Path(source).exists():
        return {}
    return {"local_files_only": os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0")}


def check_on_disk(source: str, marker: str, allow_download: bool = False) -> None:
    """Fail at once, without touching the network, when a checkpoint is neither a local
    folder nor in the local Hugging Face cache (``marker`` is a file every such
    checkpoint has: ``config.json``, ``model_index.json``), unless downloads are allowed.

    Raises:
        ModelSpecError: the checkpoint is not here; the message says how to get it.
    """
    if allow_download or Path(source).exists():
        return
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(source, marker)
    except ValueError as error:  # not a valid repository id
        raise ModelSpecError(f"{source}: not a local folder nor a hub id ({error})") from None
    if not isinstance(found, str):
        raise ModelSpecError(
            f"{source}: not on disk (no such folder, not in the Hugging Face cache); "
            f"download it first (huggingface-cli download {source}) or pass --allow-download"
        )


def checkpoint_name(source: str) -> str:
    """A checkpoint's short name: a folder's name, or a hub id's last part."""
    return Path(source).name if Path(source).exists() else source.rstrip("/").rsplit("/", 1)[-1]


def not_on_disk(scheme: str, source: str, error: BaseException) -> str:
    """The one-line error for a checkpoint that is neither a folder nor in the cache."""
    return (
        f"{scheme}:{source}: no such model here ({type(error).__name__}); give a local folder "
        f"or fill the Hugging Face cache first (huggingface-cli download {source})"
    )


def first_line(error: BaseException) -> str:
    """An exception's message cut to its first line (library messages run to several)."""
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


def resolve_device(torch: Any, device: str) -> str:
    """``auto``: ``sharded`` when several GPUs are visible, ``cuda`` for one, else ``cpu``;
    any other value is kept.
    """
    if device != "auto":
        return device
    if torch.cuda.is_available():
        return "sharded" if torch.cuda.device_count() > 1 else "cuda"
    return "cpu"


def resolve_dtype(torch: Any, dtype: str, device: str) -> Any:
    """``auto``: bfloat16 on a GPU that supports it, else float32; or a torch dtype's name.

    Raises:
        ModelSpecError: a name that is not a torch dtype.
    """
    if dtype == "auto":
        on_gpu = device != "cpu" and torch.cuda.is_available()
        return torch.bfloat16 if on_gpu and torch.cuda.is_bf16_supported() else torch.float32
    value = getattr(torch, dtype, None)
    if not isinstance(value, torch.dtype):
        raise ModelSpecError(f"--dtype {dtype!r} is not a torch dtype (float16, bfloat16, float32)")
    return value


def instance_seed(seed: int, request: Request) -> int:
    """A 63-bit seed from the run's seed, the task and the instance id.

    Each instance draws its noise from its own generator seeded so: its output is the same
    whatever the batch it lands in, the order of tasks or the number of workers.
    """
    digest = hashlib.sha256(f"{seed}|{request.task}|{request.id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1
