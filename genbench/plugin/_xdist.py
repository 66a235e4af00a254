"""xdist, controller side: one GPU group per worker, chosen before the worker starts, and
the controller's discovery handed over, so no worker reads every task file again.
"""

from __future__ import annotations

from typing import Any

import pytest

from genbench.placement import gpus_for_worker, visible_gpus, worker_number
from genbench.plugin._state import STATE


class XdistHooks:
    """Controller side of GPU placement: one GPU group per worker, logged."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.gpus: list[str] | None = None

    def pytest_configure_node(self, node: Any) -> None:
        if self.gpus is None:
            self.gpus = visible_gpus()
        per_worker = self.config.option.gpus_per_worker
        group = gpus_for_worker(self.gpus, worker_number(node.gateway.id), per_worker)
        node.workerinput["genbench_gpus"] = ",".join(group)
        state = self.config.stash.get(STATE, None)
        if state is not None:
            node.workerinput["genbench_discovery"] = state.discovery().to_json()
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            where = f"GPU {','.join(group)}" if group else "CPU (no GPU visible)"
            reporter.write_line(f"genbench: worker {node.gateway.id} -> {where}")
