"""Intervals on task scores and levels: the vectorised bootstrap against a direct loop
(the scorers run on each resample, the level engine on each draw), coverage, the level
engine on every draw, and the ``ci`` block.
"""

from __future__ import annotations

import numpy as np
import pytest

from genbench.level import LEVEL_NAMES, Mode, level_scores
from genbench.metrics import Box, get_scorer
from genbench.reference import MODALITIES
from genbench.stats import (
    BootstrapSettings,
    TaskSample,
    fixed_task,
    level_draws,
    level_intervals,
    task_indices,
)
from tests.helpers import make_table
from tests.stats_helpers import task_of

ROWS = [
    ("NLP", "Choice", "ACC", 60.0),
    ("NLP", "Labels", "Micro-F1", 40.0),
    ("Image-Comprehension", "Detect", "AP50", 30.0),
    ("Image-Comprehension", "Classify", "ACC", 55.0),
    ("Image-Generation", "Restore", "PSNR", 20.0),
    ("Image-Generation", "Synth", "FID", 40.0),
    ("3D-Comprehension", "Caption", "BLEU@4", 5.0),
    ("3D-Generation", "Complete", "CD (Chamfer Distance)", 0.5),
]


def _text(rng, words, n):
    return [" ".join(rng.choice(words, rng.integers(2, 9))) for _ in range(n)]


def build_tasks(seed=0):
    """Tasks of every kind with their predictions, references and scorer."""
    rng = np.random.default_rng(seed)
    table = make_table(ROWS)
    row = {r.task_name: r for r in table}
    data = {}
    letters = list("ABCD")
    truth = list(rng.choice(letters, 30))
    data["Choice"] = ([t if rng.random() < 0.7 else "A" for t in truth], truth, ("ACC", ""))
    labels = list("abcde")
    refs = [set(rng.choice(labels, rng.integers(1, 3))) for _ in range(24)]
    preds = [set(r) if rng.random() < 0.5 else {str(rng.choice(labels))} for r in refs]
    data["Labels"] = (preds, refs, ("Micro-F1", ""))
    boxes = [[Box(x, x, x + 12, x + 12, "a")] for x in rng.uniform(0, 40, 16)]
    found = [[Box(b[0].x1 + rng.normal(0, 3), b[0].y1, b[0].x2, b[0].y2, "a")] for b in boxes]
    data["Detect"] = (found, boxes, ("AP50", ""))
    truth = list(rng.choice(letters, 20))
    data["Classify"] = ([t if rng.random() < 0.6 else "B" for t in truth], truth, ("ACC", ""))
    words = ["a", "b", "c", "d", "e", "the", "cat", "dog", "sat"]
    data["Caption"] = (_text(rng, words, 18), _text(rng, words, 18), ("BLEU@4", ""))
    tasks: dict[str, TaskSample] = {}
    for name, (preds, refs, metric) in data.items():
        value = get_scorer(*metric)(preds, refs)
        tasks[name] = task_of(row[name], value, len(refs), item_id=name)
    psnr = rng.normal(21.0, 3.0, 15)
    tasks["Restore"] = task_of(row["Restore"], _mean(psnr), 15, item_id="Restore")
    chamfer = rng.uniform(0.2, 0.9, 12)
    tasks["Complete"] = task_of(row["Complete"], _mean(chamfer), 12, item_id="Complete")
    tasks["Synth"] = fixed_task("Synth", row["Synth"], 35.0, "set-level")
    raw = {"Restore": psnr, "Complete": chamfer}
    return table, tasks, data, raw


def _mean(values):
    from genbench.metrics import TaskScore

    return TaskScore(float(np.mean(values)), per_instance=list(values))


def loop_task_scores(tasks, data, raw, settings):
    """Each task's score on each draw, by the slow road: the scorer on the resample."""
    scores = {}
    for item_id, task in tasks.items():
        if not task.resampled:
            scores[item_id] = [task.score] * settings.draws
            continue
        indices = task_indices(settings, item_id, task.n)
        column = []
        for row in indices:
            if item_id in raw:
                column.append(sum(raw[item_id][i] for i in row) / len(row))
                continue
            preds, refs, metric = data[item_id]
            take = np.sort(row) if task.kind == "ranked" else row
            column.append(
                float(get_scorer(*metric)([preds[i] for i in take], [refs[i] for i in take]))
            )
        scores[item_id] = column
    return scores


def test_vectorised_intervals_equal_a_loop_reference():
    table, tasks, data, raw = build_tasks()
    settings = BootstrapSettings(draws=60, level=0.9, seed=7)
    fast = level_intervals(table, tasks, settings)
    loop = loop_task_scores(tasks, data, raw, settings)
    quantiles = [0.05, 0.95]
    block = fast.to_json()
    for item_id, task in tasks.items():
        assert np.allclose(fast.tasks[item_id].scores, loop[item_id], rtol=0, atol=1e-9)
        entry = block["tasks"][item_id]
        if task.resampled:
            expected = np.quantile(loop[item_id], quantiles)
            assert entry["interval"] == pytest.approx(expected, abs=1e-9)
            normalized = [task.row.metric.normalize(v) for v in loop[item_id]]
            sota = task.row.metric.normalize(task.row.sota)
            assert entry["win_probability"] == np.mean([v >= sota for v in normalized])
        else:
            assert entry["interval"] is None and entry["win_probability"] is None
            assert entry["note"].startswith("no interval: ")
    summaries = [
        level_scores(table, {tasks[i].row.key: loop[i][b] for i in tasks}, "m")
        for b in range(settings.draws)
    ]
    for name in LEVEL_NAMES:
        values = [s.final[name] for s in summaries]
        assert block["final"][name] == pytest.approx(np.quantile(values, quantiles), abs=1e-9)
    for modality in MODALITIES:
        for quantity, interval in block["per_modality"][modality].items():
            values = [s.per_modality[modality].to_json()[quantity] for s in summaries]
            assert interval == pytest.approx(np.quantile(values, quantiles), abs=1e-9)
    s_l = [s.nlp.s_l for s in summaries]
    assert block["nlp"]["S_L"] == pytest.approx(np.quantile(s_l, quantiles), abs=1e-9)
    for k, name in enumerate(LEVEL_NAMES, start=2):
        assert block["reach"][name] == np.mean([s.level >= k for s in summaries])


def test_ci_block_shape():
    table, tasks, _, _ = build_tasks()
    block = level_intervals(table, tasks, BootstrapSettings(draws=50)).to_json()
    assert list(block) == [
        "method",
        "B",
        "level",
        "seed",
        "final",
        "per_modality",
        "nlp",
        "reach",
        "tasks",
    ]
    assert block["method"] == "percentile bootstrap over instances"
    assert (block["B"], block["level"], block["seed"]) == (50, 0.95, 0)
    assert list(block["final"]) == list(LEVEL_NAMES)
    assert list(block["per_modality"]) == list(MODALITIES)
    assert list(block["per_modality"]["3D"]) == ["Level-2", "Level-3", "Level-4", "S_C", "S_G"]
    assert list(block["nlp"]) == ["S_L"]
    assert set(block["tasks"]) == set(tasks)
    for entry in block["tasks"].values():
        assert list(entry) == ["interval", "win_probability", "note"]
        low, high = block["final"]["Level-2"]
        assert low <= high


def test_a_tasks_draws_do_not_depend_on_the_other_tasks():
    table, tasks, _, _ = build_tasks()
    settings = BootstrapSettings(draws=40, seed=3)
    every = level_intervals(table, tasks, settings)
    alone = level_intervals(table, {"Labels": tasks["Labels"]}, settings)
    assert np.array_equal(every.tasks["Labels"].scores, alone.tasks["Labels"].scores)
    other_seed = level_intervals(table, tasks, BootstrapSettings(draws=40, seed=4))
    assert not np.array_equal(every.tasks["Labels"].scores, other_seed.tasks["Labels"].scores)


def test_coverage_of_a_known_accuracy():
    # 2,000 tasks of 200 instances, each right with probability 0.7: the 95% interval of
    # the accuracy should cover 70 in 93-97% of them
    rng = np.random.default_rng(2024)
    table = make_table([("NLP", "T", "ACC", 50.0)])
    row = next(iter(table))
    settings = BootstrapSettings(draws=1000, level=0.95, seed=1)
    covered = 0
    for t in range(2000):
        values = 100.0 * (rng.random(200) < 0.7)
        task = TaskSample(
            f"t{t}", row, float(values.mean()), tuple(map(str, range(200))), "mean", values
        )
        draws = task.draws(task_indices(settings, task.item_id, 200))
        low, high = np.quantile(draws, [0.025, 0.975])
        covered += low <= 70.0 <= high
    assert 0.93 <= covered / 2000 <= 0.97


def random_draws(table, rng, draws, tie_every=5):
    """Random raw scores for every task of the table, some exactly at the SoTA."""
    scores = {}
    for i, row in enumerate(table):
        if i % 7 == 3:
            continue  # unsupported
        spread = rng.lognormal(0.0, 0.4, draws)
        values = row.sota * spread if row.sota > 0 else spread
        if i % tie_every == 0:
            values[::3] = row.sota  # ties win
        scores[row.key] = values
    return scores


@pytest.mark.parametrize("mode", [Mode.PAPER, Mode.UPSTREAM])
def test_level_draws_are_the_engine_on_every_draw(table, mode):
    rng = np.random.default_rng(5)
    draws = 12
    scores = random_draws(table, rng, draws)
    result = level_draws(table, scores, draws, mode)
    for b in range(draws):
        summary = level_scores(table, {k: float(v[b]) for k, v in scores.items()}, "m", mode)
        for name in LEVEL_NAMES:
            assert result.final[name][b] == summary.final[name]
        for modality in MODALITIES:
            expected = summary.per_modality[modality].to_json()
            for quantity, values in result.per_modality[modality].items():
                assert values[b] == expected[quantity]
        assert result.s_l[b] == summary.nlp.s_l
        assert result.reached[b] == summary.level


def test_level_draws_on_a_small_table_every_draw():
    table = make_table(ROWS)
    rng = np.random.default_rng(6)
    draws = 300
    scores = random_draws(table, rng, draws, tie_every=2)
    result = level_draws(table, scores, draws, Mode.PAPER)
    for b in range(draws):
        summary = level_scores(table, {k: float(v[b]) for k, v in scores.items()}, "m")
        assert [result.final[n][b] for n in LEVEL_NAMES] == [summary.final[n] for n in LEVEL_NAMES]
        assert result.reached[b] == summary.level


def test_settings_are_checked():
    with pytest.raises(ValueError, match="confidence level"):
        BootstrapSettings(level=1.5)
    with pytest.raises(ValueError, match=">= 0"):
        BootstrapSettings(draws=-1)
    table, tasks, _, _ = build_tasks()
    with pytest.raises(ValueError, match="at least one"):
        level_intervals(table, tasks, BootstrapSettings(draws=0))


def test_resamples_drawn_in_blocks_equal_the_draws_at_once(monkeypatch):
    # a large task's resamples are drawn a block of rows at a time (memory): every kind
    # of task gets the same scores as from all B x n positions drawn at once
    import genbench.stats._draws as draws_module
    from genbench.stats._tasks import resampled_scores

    _, tasks, _, _ = build_tasks()
    settings = BootstrapSettings(draws=97, seed=3)
    monkeypatch.setattr(draws_module, "CHUNK_POSITIONS", 50)  # blocks of 1-3 rows
    for item_id, task in tasks.items():
        if not task.resampled:
            continue
        at_once = task.draws(task_indices(settings, item_id, task.n))
        (in_blocks,) = resampled_scores([task], settings, item_id, task.n)
        assert in_blocks.shape == (97,)
        np.testing.assert_array_equal(in_blocks, at_once, err_msg=item_id)
    pair = resampled_scores([tasks["Choice"], tasks["Choice"]], settings, "Choice", 30)
    np.testing.assert_array_equal(pair[0], pair[1])
