"""A benchmark session's start and end kept short: plugins of the test environment it never
uses are dropped, and its process exits without a last walk over every object.

``make setup`` installs the test tools beside the harness, and every installed pytest
plugin loads in every session. Hypothesis's plugin imports all of Hypothesis in its
terminal summary, whether or not a test used it: 1.1 s on the project's machine kind,
where pytest's assertion rewriting of Hypothesis's modules cannot be cached (no bytecode
is written there), and again in every xdist worker. No benchmark item uses Hypothesis.

At exit the interpreter collects garbage over every object still alive; with torch,
transformers and nltk loaded that walk takes 1-2 s here, and an xdist controller waits
for it in each worker before it ends. Freezing the objects at exit (``gc.freeze``, after
the session has closed its files) leaves them to the operating system instead: exit
handlers still run and objects still go as their references are dropped; only objects
kept alive by reference cycles are no longer finalized at exit.
"""

from __future__ import annotations

import atexit
import gc

import pytest

#: Plugins a benchmark session never uses, by their registered names.
UNUSED_IN_BENCHMARKS = ("hypothesispytest",)


def drop_unused_plugins(config: pytest.Config) -> None:
    """Unregister (and block) the plugins of :data:`UNUSED_IN_BENCHMARKS` that loaded."""
    for name in UNUSED_IN_BENCHMARKS:
        if config.pluginmanager.has_plugin(name):
            config.pluginmanager.set_blocked(name)


_EXIT_REGISTERED: list[bool] = []


def quick_exit() -> None:
    """Freeze the garbage collector's objects when the process exits (once per process)."""
    if not _EXIT_REGISTERED:
        atexit.register(gc.freeze)
        _EXIT_REGISTERED.append(True)
