"""Headless Chromium from the system's packages, driven by Playwright (docs/TESTING.md).

Never a browser that Playwright downloads: ``executable_path`` is Debian's ``chromium``,
and the flags keep it offline and quiet. Shared by the browser tests and
``perf/report_speed.py``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = (
    f"no system Chromium at {CHROMIUM}: install the Debian package 'chromium' "
    "(make test does so when run as root)"
)


def chromium_available() -> bool:
    return CHROMIUM.is_file() and shutil.which(str(CHROMIUM)) is not None


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


@dataclass
class LoadedPage:
    """A page and what its console said (errors and uncaught exceptions)."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_report(browser: Any, path: Path, fragment: str = "") -> LoadedPage:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    loaded = LoadedPage(page)
    page.on(
        "console",
        lambda message: loaded.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: loaded.errors.append(str(error)))

    def dismiss(dialog: Any) -> None:
        loaded.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(path.resolve().as_uri() + fragment, wait_until="load")
    return loaded
