"""xdist: every worker orders its items longest task first; ``-n auto`` counts GPU groups."""

from __future__ import annotations

from types import SimpleNamespace

from genbench.data import discover, sample_root
from genbench.plugin._distribute import auto_workers, longest_first
from genbench.shard import task_cost


def item(task):
    return SimpleNamespace(callspec=SimpleNamespace(params={"genbench_task": task}))


def test_items_run_longest_task_first_in_the_same_order_everywhere(table):
    tasks = discover(sample_root(), table).tasks
    items = [item(task) for task in tasks] + [SimpleNamespace(name="not a task")]
    ordered = longest_first(items, limit=None)
    costs = [task_cost(i.callspec.params["genbench_task"]) for i in ordered[:-1]]
    assert [max(c.weight, 1.0) for c in costs] == sorted(
        (max(c.weight, 1.0) for c in costs), reverse=True
    )
    assert ordered[-1].name == "not a task"  # items that are no task keep their place last
    assert longest_first(list(reversed(items[:-1])), limit=None) == ordered[:-1]
    assert {id(i) for i in ordered} == {id(i) for i in items}
    # a limit caps instances as --limit does, so the order follows the run's own costs
    limited = longest_first(items[:-1], limit=1)
    assert [task_cost(i.callspec.params["genbench_task"], 1).weight for i in limited] == sorted(
        (task_cost(t, 1).weight for t in tasks), reverse=True
    )


def test_n_auto_starts_one_worker_per_gpu_group(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1,2,3")
    assert auto_workers(1) == 4
    assert auto_workers(2) == 2
    assert auto_workers(8) == 1
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert auto_workers(1) is None  # no GPU: xdist's own count (one per CPU)
