"""Provenance recorded with every result: what produced a number, so it can be reproduced."""

from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import genbench

_PACKAGES = ("numpy", "pandas", "openpyxl", "torch", "transformers", "pytest", "pytest-xdist")


def package_versions(names: tuple[str, ...] = _PACKAGES) -> dict[str, str]:
    """Installed versions of the packages that can change a score (absent ones omitted)."""
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def git_revision(where: Path | None = None) -> str | None:
    """The git commit of ``where`` (default: the genbench source tree), if it is a checkout."""
    folder = where or Path(genbench.__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def collect_provenance(**settings: object) -> dict[str, object]:
    """Versions, platform and git revision, plus the caller's settings (model, seed, ...)."""
    record: dict[str, object] = {
        "genbench": genbench.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_revision": git_revision(),
    }
    record.update({f"version:{name}": v for name, v in package_versions().items()})
    record.update(settings)
    return record
