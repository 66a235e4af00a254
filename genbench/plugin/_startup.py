"""A benchmark session's start-up kept small: plugins of the test environment it never uses
are dropped.

``make setup`` installs the test tools beside the harness, and every installed pytest
plugin loads in every session. Hypothesis's plugin imports all of Hypothesis in its
terminal summary, whether or not a test used it: 1.1 s on the project's machine kind,
where pytest's assertion rewriting of Hypothesis's modules cannot be cached (no bytecode
is written there), and again in every xdist worker. No benchmark item uses Hypothesis.
"""

from __future__ import annotations

import pytest

#: Plugins a benchmark session never uses, by their registered names.
UNUSED_IN_BENCHMARKS = ("hypothesispytest",)


def drop_unused_plugins(config: pytest.Config) -> None:
    """Unregister (and block) the plugins of :data:`UNUSED_IN_BENCHMARKS` that loaded."""
    for name in UNUSED_IN_BENCHMARKS:
        if config.pluginmanager.has_plugin(name):
            config.pluginmanager.set_blocked(name)
