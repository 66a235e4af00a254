"""One lock per model run in an outcome folder, held by whoever writes a shared file.

Shards of one run write their per-task files atomically and need no lock; the files that
every shard rewrites (the run's shard plan, the result workbook, the level JSON) are
read and written under this lock, so that the last writer has seen every shard's results.
The lock is an OS file lock (``filelock``): it is released when its holder dies, so a
killed shard never leaves it stuck.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from genbench.report import safe_model_name

#: Seconds to wait for another shard's write before giving up.
LOCK_TIMEOUT = 600.0


def lock_path(outcome_dir: Path, model: str) -> Path:
    """The lock file of a model's run: ``<outcome>/.<model>.lock``."""
    return outcome_dir / f".{safe_model_name(model)}.lock"


@contextmanager
def outcome_lock(outcome_dir: Path, model: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the run's lock for the block (not reentrant: never nest two).

    Raises:
        TimeoutError: another process held it for ``timeout`` seconds; names the file.
    """
    from filelock import FileLock, Timeout

    path = lock_path(outcome_dir, model)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(path, timeout=timeout):
            yield
    except Timeout:
        raise TimeoutError(
            f"{path}: still held by another genbench process after {timeout:.0f} s"
        ) from None
