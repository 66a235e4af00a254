"""Shards: partitioning, --shard auto, balance at General-Bench's size, and a sharded run
(three processes, one killed and rerun) merging to the same workbook and level as one run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from genbench.cli import main
from genbench.data import discover_tasks
from genbench.shard import (
    Shard,
    ShardError,
    TaskCost,
    Unscored,
    assign_shards,
    describe_unscored,
    parse_shard,
    read_plan,
    record_plan,
    shard_from_environment,
    task_cost,
    task_instances,
    unscored_by_shard,
)
from tests.shard_helpers import (
    INSTANCES,
    SLOW_MODEL,
    TASKS,
    workbook_values,
    write_full_size_tree,
)

BENCH = """
def test_task(genbench_task, genbench_evaluate):
    genbench_evaluate(genbench_task)
"""


def test_parse_shard():
    assert parse_shard("3/8") == Shard(3, 8)
    assert str(parse_shard(" 1 / 1 ")) == "1/1"
    for bad in ("0/8", "9/8", "3", "a/b", "1/0"):
        with pytest.raises(ShardError, match="K/N"):
            parse_shard(bad)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "8"}, Shard(1, 8)),
        (
            {
                "SLURM_ARRAY_TASK_ID": "7",
                "SLURM_ARRAY_TASK_COUNT": "8",
                "SLURM_ARRAY_TASK_MIN": "0",
                "SLURM_ARRAY_TASK_MAX": "7",
                "SLURM_ARRAY_TASK_STEP": "1",
            },
            Shard(8, 8),
        ),
        ({"JOB_COMPLETION_INDEX": "2", "JOB_COMPLETIONS": "4"}, Shard(3, 4)),
    ],
)
def test_shard_from_environment(environ, expected):
    assert shard_from_environment(environ) == expected


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "no job array here"),
        ({"JOB_COMPLETION_INDEX": "2"}, "JOB_COMPLETIONS is not"),
        ({"JOB_COMPLETION_INDEX": "4", "JOB_COMPLETIONS": "4"}, "outside 0..3"),
        ({"SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_COUNT": "8"}, "not 0-7"),
        (  # a rerun of one array task must not read as 1/1
            {
                "SLURM_ARRAY_TASK_ID": "3",
                "SLURM_ARRAY_TASK_COUNT": "1",
                "SLURM_ARRAY_TASK_MIN": "3",
            },
            "pass --shard 4/<N>",
        ),
        (  # --array=1-8
            {
                "SLURM_ARRAY_TASK_ID": "1",
                "SLURM_ARRAY_TASK_COUNT": "8",
                "SLURM_ARRAY_TASK_MIN": "1",
            },
            "not 0-7",
        ),
        (  # --array=0-14:2
            {
                "SLURM_ARRAY_TASK_ID": "6",
                "SLURM_ARRAY_TASK_COUNT": "8",
                "SLURM_ARRAY_TASK_STEP": "2",
            },
            "step 2",
        ),
        ({"SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "8"}, "not an integer"),
        ({"SLURM_ARRAY_TASK_ID": "1"}, "SLURM_ARRAY_TASK_COUNT is not set"),
    ],
)
def test_shard_from_environment_errors(environ, message):
    with pytest.raises(ShardError, match=message):
        shard_from_environment(environ)


def test_assignment_is_deterministic_and_covers_every_task():
    rng = random.Random(1)
    costs = [TaskCost(f"t{i}", rng.randint(0, 500), rng.randint(0, 500) * 2.0) for i in range(60)]
    first = assign_shards(costs, 7)
    rng.shuffle(costs)
    assert assign_shards(costs, 7) == first
    assert set(first) == {c.item_id for c in costs}
    assert set(first.values()) == set(range(1, 8))
    assert set(assign_shards(costs, 1).values()) == {1}
    few = assign_shards(costs[:3], 5)  # more shards than tasks: some shards are empty
    assert sorted(few.values()) == [1, 2, 3]


def test_task_instances_prefers_discovery_count(sample_tasks):
    task = sample_tasks[0]
    assert task_instances(task) == len(json.loads(task.annotation_path.read_text())["data"])

    class Counted:
        instances = 12345

    assert task_instances(Counted()) == 12345  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def sample_tasks(table):
    from genbench.data import sample_root

    return discover_tasks(sample_root(), table)


@pytest.fixture(scope="module")
def full_size_tree(tmp_path_factory, table):
    root = tmp_path_factory.mktemp("general-bench")
    write_full_size_tree(root, table)
    return discover_tasks(root, table)


@pytest.mark.parametrize("count", [3, 8, 32])
def test_balance_on_a_700_task_tree(full_size_tree, count):
    tasks = full_size_tree
    assert len(tasks) == TASKS
    costs = {t.item_id: task_cost(t) for t in tasks}
    total = sum(c.instances for c in costs.values())
    assert abs(total - INSTANCES) < 500
    assignment = assign_shards(list(costs.values()), count)
    instances = [0] * count
    weights = [0.0] * count
    for item, shard in assignment.items():
        instances[shard - 1] += costs[item].instances
        weights[shard - 1] += costs[item].weight
    mean_instances, mean_weight = total / count, sum(weights) / count
    # the largest shard within 10% of the mean, in instances and in media weight
    assert max(instances) <= 1.10 * mean_instances, (max(instances), mean_instances)
    assert max(weights) <= 1.10 * mean_weight, (max(weights), mean_weight)
    print(
        f"{count} shards: largest {max(instances)} instances vs mean {mean_instances:.0f} "
        f"(+{100 * (max(instances) / mean_instances - 1):.2f}%); weight +"
        f"{100 * (max(weights) / mean_weight - 1):.2f}%"
    )


@pytest.fixture
def bench(pytester):
    pytester.makepyfile(test_bench=BENCH)
    pytester.makeconftest("GENBENCH_BENCHMARK = True\n")
    pytester.makeini("[pytest]\naddopts = --strict-markers -p no:cacheprovider -p no:randomly\n")
    return pytester


def collected_ids(result) -> set[str]:
    return {line.split("[", 1)[1].rstrip("]") for line in result.outlines if "[" in line}


def test_shard_auto_from_slurm_and_kubernetes(bench, monkeypatch):
    out = ["--outcome-dir", str(bench.path / "out"), "--collect-only", "-q"]
    everything = collected_ids(bench.runpytest(*out))
    assert len(everything) == 47
    parts = []
    for index in range(3):
        monkeypatch.setenv("SLURM_ARRAY_TASK_ID", str(index))
        monkeypatch.setenv("SLURM_ARRAY_TASK_COUNT", "3")
        parts.append(collected_ids(bench.runpytest(*out, "--shard", "auto")))
    assert set().union(*parts) == everything
    assert sum(len(p) for p in parts) == len(everything)  # disjoint
    monkeypatch.delenv("SLURM_ARRAY_TASK_ID")
    monkeypatch.delenv("SLURM_ARRAY_TASK_COUNT")
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "1")
    monkeypatch.setenv("JOB_COMPLETIONS", "3")
    assert collected_ids(bench.runpytest(*out, "--shard", "auto")) == parts[1]
    # the shards split what -k left
    nlp = collected_ids(bench.runpytest(*out, "-k", "nlp", "--shard", "1/2"))
    assert nlp and all(i.startswith("nlp-") for i in nlp)
    monkeypatch.delenv("JOB_COMPLETIONS")
    bad = bench.runpytest(*out, "--shard", "auto")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    assert "JOB_COMPLETIONS is not" in bad.stderr.str()
    wrong = bench.runpytest(*out, "--shard", "4/3")
    assert wrong.ret == pytest.ExitCode.USAGE_ERROR


def _pytest(path: Path, outcome: Path, *args: str, delay: float = 0.0) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(path), "GENBENCH_TEST_DELAY": str(delay)}
    argv = [sys.executable, "-m", "pytest", "--outcome-dir", str(outcome), *args]
    return subprocess.Popen(
        argv, cwd=path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _finish(process: subprocess.Popen, timeout: float = 120) -> str:
    out, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, out
    return out


def _level(outcome: Path) -> dict:
    data = json.loads((outcome / "baseline_level.json").read_text())
    data.pop("provenance")
    return data


def test_three_shards_merge_to_one_run(bench):
    bench.makepyfile(slow_model=SLOW_MODEL)
    path, plain, sharded = bench.path, bench.path / "plain", bench.path / "sharded"
    model = ["--model", "slow_model:make", "--model-name", "baseline"]
    one = _pytest(path, plain, "--model", "baseline")
    first = _pytest(path, sharded, *model, "--shard", "1/3", "-n", "2")  # a shard uses -n too
    second = _pytest(path, sharded, *model, "--shard", "2/3")
    third = _pytest(path, sharded, *model, "--shard", "3/3", delay=0.4)
    # kill the third shard once it has finished some of its tasks, not all
    tasks = sharded / "baseline" / "tasks"
    deadline = time.monotonic() + 90
    while True:
        plan = read_plan(sharded, "baseline")
        own = {i for i, k in plan[1].items() if k == 3} if plan else set()
        done = {p.stem for p in tasks.glob("*.json")} & own if tasks.is_dir() else set()
        if done or time.monotonic() > deadline or third.poll() is not None:
            break
        time.sleep(0.05)
    assert third.poll() is None, "the third shard ended before it could be killed"
    third.send_signal(signal.SIGKILL)
    third.communicate()
    assert 0 < len(done) < len(own)
    _finish(one)
    out_first, out_second = _finish(first), _finish(second)
    assert "tasks not yet scored" in out_first + out_second  # some shard ended before the third

    # the merge names the shard that still owes tasks
    genbench = Path(sys.executable).parent / "genbench"
    owed = bench.run(genbench, "level", sharded, "--model-name", "baseline")
    assert owed.ret == 0
    message = [line for line in owed.errlines if "tasks not yet scored" in line]
    assert message and message[0].endswith(", shard 3/3")

    rerun = _finish(_pytest(path, sharded, *model, "--shard", "3/3"))
    assert "3/3" in rerun and "tasks not yet scored" not in rerun
    # the merge step gives the shards' settings (another spec is refused: issue 10)
    merged = _finish(_pytest(path, sharded, *model, "--step", "3"))
    assert "tasks not yet scored" not in merged
    assert _level(sharded) == _level(plain)
    assert workbook_values(sharded / "baseline_result.xlsx") == workbook_values(
        plain / "baseline_result.xlsx"
    )
    # every result records its shard; the level from the CLI agrees
    shards = {json.loads(p.read_text())["provenance"]["shard"] for p in tasks.glob("*.json")}
    assert shards == {"1/3", "2/3", "3/3"}
    assert main(["level", str(sharded), "--model-name", "baseline"]) == 0
    assert _level(sharded) == _level(plain)


def test_plan_and_what_is_owed(tmp_path):
    assert unscored_by_shard(tmp_path, "m", set()) == []  # not sharded
    record_plan(tmp_path, "m", 3, {"a": 1, "b": 2, "c": 3, "d": 3})
    record_plan(tmp_path, "m", 3, {"a": 1, "b": 2, "c": 3, "d": 3})  # every shard records it
    owed = unscored_by_shard(tmp_path, "m", {"a", "b"})
    assert owed == [Unscored(Shard(3, 3), ("c", "d"))]
    assert describe_unscored(owed) == "tasks not yet scored: 2, shard 3/3"
    assert (
        describe_unscored(unscored_by_shard(tmp_path, "m", {"a"}))
        == "tasks not yet scored: 3, shard 2/3 (1), shard 3/3 (2)"
    )
    assert describe_unscored(unscored_by_shard(tmp_path, "m", {"a", "b", "c", "d"})) is None
    record_plan(tmp_path, "m", 2, {"a": 1, "b": 2})  # split anew: the new plan replaces
    assert read_plan(tmp_path, "m") == (2, {"a": 1, "b": 2})


def test_level_of_an_outcome_folder_needs_a_run(tmp_path, capsys):
    assert main(["level", str(tmp_path)]) == 2
    assert "name the run with --model-name (runs here: none)" in capsys.readouterr().err
