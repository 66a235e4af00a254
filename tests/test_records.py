"""Per-instance records made as the samples file is written equal those made eagerly, and
a 100,000-instance task keeps no dictionary per instance while it is scored.
"""

from __future__ import annotations

import json
import shutil
import tracemalloc

import pytest

from genbench.data import discover, read_annotation, sample_root
from genbench.metrics import get_metric, get_scorer
from genbench.runner import RunSettings, TaskRunner, read_predictions
from genbench.runner._score import _record_of, score_predictions
from genbench.tasks import resolve_family


def eager_records(task, annotation, family, predictions, value):
    """The records as they were made before: a dictionary per instance, scores attached."""
    base = predictions.path.parent
    records = []
    for index, instance in enumerate(annotation):
        raw = predictions.predictions.get(instance.id)
        parsed = family.parse(task, instance, raw, base)
        record = _record_of(task, family, instance, raw, parsed, family.reference(task, instance))
        if getattr(value, "per_instance", None) is not None:
            record["score"] = value.per_instance[index]
        if getattr(value, "stats", None) and getattr(value, "reducer", None):
            record["stats"] = {k: v[index] for k, v in value.stats.items()}
        records.append(record)
    return records


@pytest.fixture(scope="module")
def predicted(tmp_path_factory):
    """The bundled sample, predicted by the baseline (prediction files on disk)."""
    root = tmp_path_factory.mktemp("records")
    tree = root / "tree"
    shutil.copytree(sample_root(), tree)
    from genbench.models import BaselineModel
    from genbench.reference import load_reference_table

    table = load_reference_table()
    settings = RunSettings("baseline", "baseline", root / "out", tree, steps=frozenset({1}))
    runner = TaskRunner(settings, table, lambda: BaselineModel(seed=0))
    tasks = [t for t in discover(tree, table).tasks if t.error is None and not t.closeset]
    for task in tasks:
        runner.run(task)
    return runner, tasks


def test_records_made_on_reading_equal_the_eager_ones(predicted):
    runner, tasks = predicted
    compared = 0
    for task in tasks:
        annotation = read_annotation(task.annotation_path)
        family = resolve_family(task, annotation.instances[0])
        metric = get_metric(
            task.reference.metric_label if task.reference else family.default_metric
        )
        try:
            scorer = get_scorer(metric.name, family.scorer_variant(task, annotation.instances[0]))
        except LookupError:
            continue  # needs weights or a judge
        predictions = read_predictions(runner.prediction_path(task))
        value, records, _ = score_predictions(
            task, annotation, family, scorer, metric.name, predictions
        )
        expected = eager_records(task, annotation, family, predictions, value)
        assert list(records) == expected
        assert [records[i] for i in range(len(records))] == expected
        assert records[-2:] == expected[-2:]
        assert records.missing == sum(r["missing"] for r in expected)
        assert records.parse_failures == sum(r["parse_failure"] for r in expected)
        assert [json.dumps(r) for r in records] == [json.dumps(r) for r in expected]
        compared += 1
    assert compared >= 35


def test_a_large_task_keeps_no_dictionary_per_instance(tmp_path):
    from genbench.reference import load_reference_table

    n = 20_000
    folder = tmp_path / "nlp" / "TriviaQA"
    folder.mkdir(parents=True)
    data = [
        {"id": str(i), "input": {"question": f"question {i}?"}, "output": {"answer": [f"a{i}"]}}
        for i in range(n)
    ]
    (folder / "annotation.json").write_text(
        json.dumps({"task": "TriviaQA", "type": "OpenQA", "data": data})
    )
    answers = [{"id": str(i), "prediction": f"a{i}" if i % 2 else "no"} for i in range(n)]
    (folder / "prediction.json").write_text(json.dumps(answers))
    table = load_reference_table()
    (task,) = discover(tmp_path, table).tasks
    annotation = read_annotation(task.annotation_path)
    family = resolve_family(task, annotation.instances[0])
    predictions = read_predictions(folder / "prediction.json")
    scorer = get_scorer("F1")
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    value, records, _ = score_predictions(task, annotation, family, scorer, "F1", predictions)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(records) == n
    assert value == pytest.approx(50.0)
    # parsed answers, references and per-instance scores: 185 bytes an instance here,
    # where the records made as dictionaries held 890 bytes an instance
    assert held / n < 400, f"{held / n:.0f} bytes held per instance"
