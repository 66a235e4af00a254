"""A synthetic outcome folder in the documented format (docs/OUTCOME.md), written by hand.

Independent of the runner: task results, samples files and the level JSON are plain
dicts, so a change of the runner's writing does not hide a change of the format. One task
per reference row (or the first ``tasks`` rows), plus one unmatched task; some skipped,
some failed, some reused; images, audio and a point cloud where the modality has them; an
optional ``ci`` block (issue 14's shape: task intervals on the metric's own scale); the
run's ``discovery.json`` (the tree's tasks, a note, and folders passed over). A close-set
run (``write_closeset_tree``) has every task ``closeset`` and no level JSON.
``perf/report_speed.py`` builds its 700-task tree here.
"""

from __future__ import annotations

import json
import math
import random
import re
import shutil
import wave
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from genbench.level import level_scores
from genbench.reference import ReferenceRow, ReferenceTable

INJECTION = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
#: What the discovery of every synthetic tree passed over (a folder name is untrusted too).
PASSED_OVER = (
    ("image/generation/configs", "no task file (generation_config.json: no 'data' list)"),
    (f"video/comprehension/{INJECTION}", "no JSON file (no task file)"),
)
#: The note the discovery made on the first task.
TASK_NOTE = "2 task files: used json/annotation_v2.json; passed over json/annotation.json"


def item_id(row: ReferenceRow) -> str:
    folder = re.sub(r"[^A-Za-z0-9]+", "-", row.name).strip("-")
    if row.paradigm is None:
        return f"nlp-{folder}"
    return f"{row.modality.lower()}-{row.paradigm.lower()}-{folder}"


def _media_files(folder: Path, rng: random.Random) -> dict[str, list[Path]]:
    """A few small media files shared by the instances (photo-like noise, tones, arrays)."""
    media = folder / "_media"
    media.mkdir(parents=True, exist_ok=True)
    images, sounds = [], []
    for i in range(6):
        pixels = np.random.default_rng(i).integers(0, 255, (192, 256, 3), dtype=np.uint8)
        gradient = np.linspace(0, 255, 256, dtype=np.uint8)[None, :, None]
        path = media / f"image{i}.png"
        Image.fromarray((pixels // 2 + gradient // 2).astype(np.uint8)).save(path)
        images.append(path)
    for i in range(3):
        path = media / f"sound{i}.wav"
        tone = (np.sin(np.arange(8000) * (0.05 + 0.02 * i)) * 8000).astype(np.int16)
        with wave.open(str(path), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(8000)
            handle.writeframes(tone.tobytes())
        sounds.append(path)
    cloud = media / "cloud.npy"
    np.save(cloud, np.zeros((16, 3), dtype=np.float32))
    rng.shuffle(images)
    return {"image": images, "audio": sounds, "cloud": [cloud]}


def _record(
    index: int, row: ReferenceRow, media: dict[str, list[Path]], rng: random.Random
) -> dict[str, Any]:
    missing = rng.random() < 0.05
    parse_failure = not missing and rng.random() < 0.05
    correct = not (missing or parse_failure) and rng.random() < 0.5
    prediction = None if missing else ("B" if correct else f"answer {index}")
    if index == 0 and row.modality == "NLP":
        prediction = INJECTION  # model output is untrusted: the report must escape it
    inputs: list[str] = []
    generated: list[str] = []
    if row.modality in ("Image", "Video"):
        inputs = [
            str(media["image"][(index + k) % 6]) for k in range(3 if row.modality == "Video" else 1)
        ]
        if row.paradigm == "Generation":
            generated = [str(media["image"][(index + 3) % 6])]
    elif row.modality == "Audio":
        inputs = [str(media["audio"][index % 3])]
        if row.paradigm == "Generation":
            generated = [str(media["audio"][(index + 1) % 3])]
    elif row.modality == "3D":
        inputs = [str(media["cloud"][0])]
    return {
        "id": str(index),
        "prompt": f"Question {index} of {row.name}: which option is right? " * 3,
        "prediction": prediction,
        "parsed": None if missing or parse_failure else prediction,
        "reference": "B",
        "score": None if row.metric.name not in ("ACC", "F1") else (100.0 if correct else 0.0),
        "stats": None,
        "missing": missing,
        "parse_failure": parse_failure,
        "media": {"inputs": inputs, "prediction": generated, "reference": []},
    }


def write_outcome_tree(
    outcome: Path,
    table: ReferenceTable,
    *,
    model: str = "synthetic",
    tasks: int | None = None,
    instances: int = 8,
    seed: int = 0,
    ci: bool = False,
    dataset: str = "/data/General-Bench-Openset",
    discovery: bool = True,
) -> Path:
    """Write a run of ``model`` into ``outcome``; return the run folder."""
    rng = random.Random(seed)
    run = outcome / model
    media = _media_files(outcome / f"{model}-inputs", rng)
    rows = list(table)
    if tasks is not None:  # a spread over every sheet, not the first sheet's rows
        rng.shuffle(rows)
        rows = sorted(rows[:tasks], key=lambda r: (r.sheet, r.no))
    provenance = {
        "model_spec": f"test:{model}",
        "model_name": model,
        "dataset": dataset,
        "seed": seed,
        "limit": None,
        "model_settings": {"temperature": 0},
    }
    scores = {}
    intervals: dict[str, Any] = {}
    seen: set[str] = set()
    for number, row in enumerate([*rows, None]):
        status, reason, score = "scored", "", None
        if row is None:  # a task of the tree that no reference row matches
            identifier, sheet, name, metric, sota = (
                "nlp-Custom-Riddles",
                "NLP",
                "Custom Riddles",
                "ACC",
                None,
            )
            status, score = "unmatched", 50.0
        else:
            identifier, sheet, name, metric, sota = (
                item_id(row),
                row.sheet,
                row.name,
                row.metric.name,
                row.sota,
            )
            if identifier in seen:  # one task name with two metrics
                identifier += f"-{row.no}"
            seen.add(identifier)
            draw = rng.random()
            if draw < 0.05:
                status, reason = "skipped", f"metric {metric}: needs the judge: pass --judge"
            elif draw < 0.07:
                status, reason = (
                    "failed",
                    f"{identifier}/annotation.json: instance '3': field 'question': missing",
                )
            else:
                score = row.sota * rng.uniform(0.3, 1.25)
        normalized = win = None
        if row is not None and score is not None:
            normalized = row.metric.normalize(score)
            win = normalized >= row.metric.normalize(row.sota)
            scores[row.key] = score
            spread = rng.uniform(1, 8) / 100 * max(abs(score), 1e-3)  # on the table's scale
            intervals[identifier] = {
                "interval": [max(score - spread, 0), score + spread],
                "win_probability": round(
                    1 / (1 + math.exp(row.metric.normalize(row.sota) - normalized)), 3
                ),
                "note": "",
            }
        records = (
            []
            if status in ("skipped", "failed") or row is None
            else [_record(i, row, media, rng) for i in range(instances)]
        )
        samples = None
        if records:
            samples = f"samples/{identifier}.jsonl"
            (run / "samples").mkdir(parents=True, exist_ok=True)
            text = "".join(json.dumps(r) + "\n" for r in records)
            (run / samples).write_text(text, encoding="utf-8")
            prediction = (
                run
                / "predictions"
                / identifier.replace("-", "/", 2 if row and row.paradigm else 1)
                / "prediction.json"
            )
            prediction.parent.mkdir(parents=True, exist_ok=True)
            prediction.write_text(
                json.dumps(
                    {"data": [{"id": r["id"], "prediction": r["prediction"]} for r in records]}
                )
            )
        result = {
            "model": model,
            "item_id": identifier,
            "status": status,
            "sheet": sheet,
            "task_name": name,
            "metric": metric,
            "score": score,
            "normalized": normalized,
            "sota": sota,
            "win": win,
            "n": len(records),
            "missing": sum(r["missing"] for r in records),
            "parse_failures": sum(r["parse_failure"] for r in records),
            "reason": reason,
            "seconds": round(rng.uniform(0.1, 90), 2),
            "limit": None,
            "aggregation": {"kind": "mean"},
            "samples": samples,
            "reused": status == "scored" and number % 7 == 3,
            "provenance": provenance,
            "a_key_from_the_future": number,
        }
        (run / "tasks").mkdir(parents=True, exist_ok=True)
        (run / "tasks" / f"{identifier}.json").write_text(json.dumps(result), encoding="utf-8")
    if discovery:
        _write_discovery(run, dataset, rows)
    summary = level_scores(table, scores, model).to_json()
    summary["provenance"] = provenance
    if ci:
        summary["ci"] = _ci_block(summary, intervals)
    (outcome / f"{model}_level.json").write_text(json.dumps(summary), encoding="utf-8")
    return run


def _task_spec(
    dataset: str, identifier: str, row: ReferenceRow | None, closeset: bool = False
) -> dict[str, Any]:
    """A task of the tree as the discovery writes it (TaskSpec.to_json)."""
    modality, paradigm = (row.modality, row.paradigm) if row else ("NLP", None)
    parts = identifier.split("-", 1 if paradigm is None else 2)
    folder = "/".join([dataset, *parts[:-1], parts[-1]])
    return {
        "folder": folder,
        "modality": modality,
        "paradigm": paradigm,
        "task_name": row.name if row else "Custom Riddles",
        "type": "MultipleChoiceQA",
        "reference": [row.sheet, row.task_name, row.metric_label] if row else None,
        "error": None,
        "task_file": f"{folder}/annotation.json",
        "instances": 8,
        "closeset": closeset,
        "match_rule": "task field" if row else "none",
        "suggestions": [] if row else ["Time Series", "Riddle <b>Solving</b>"],
        "notes": [],
        "others": {},
        "first": None,
    }


def _write_discovery(
    run: Path, dataset: str, rows: list[ReferenceRow], closeset: bool = False
) -> None:
    """``<run>/discovery.json`` of the tree the run evaluated (docs/OUTCOME.md)."""
    seen: set[str] = set()
    tasks = []
    for row in rows:
        identifier = item_id(row)
        if identifier in seen:
            identifier += f"-{row.no}"
        seen.add(identifier)
        tasks.append(_task_spec(dataset, identifier, row, closeset))
    tasks.append(_task_spec(dataset, "nlp-Custom-Riddles", None, closeset))
    if tasks:
        tasks[0]["notes"] = [TASK_NOTE]
    data = {
        "root": dataset,
        "tasks": tasks,
        "passed_over": [{"path": f"{dataset}/{p}", "reason": r} for p, r in PASSED_OVER],
    }
    run.mkdir(parents=True, exist_ok=True)
    (run / "discovery.json").write_text(json.dumps(data), encoding="utf-8")


def write_closeset_tree(
    outcome: Path,
    table: ReferenceTable,
    *,
    model: str = "closed",
    tasks: int = 12,
    dataset: str = "/data/General-Bench-Closeset",
) -> Path:
    """A close-set run: every task predicted, none scored (``closeset``; the last one
    ``failed``), no level JSON, as ``pytest benchmarks`` leaves it. Returns the run folder.
    """
    rng = random.Random(tasks)
    unique = {item_id(row): row for row in rng.sample(list(table), tasks)}  # one task a name
    rows = sorted(unique.values(), key=lambda r: (r.sheet, r.no))
    run = outcome / model
    (run / "tasks").mkdir(parents=True, exist_ok=True)
    provenance = {"model_spec": model, "model_name": model, "dataset": dataset, "limit": None}
    for number, row in enumerate(rows):
        failed = number == len(rows) - 1
        result = {
            "model": model,
            "item_id": item_id(row),
            "status": "failed" if failed else "closeset",
            "sheet": row.sheet,
            "task_name": row.name,
            "metric": row.metric.name,
            "sota": row.sota,
            "reason": "annotation.json: not valid JSON" if failed else "close set: no references",
            "provenance": provenance,
        }
        path = run / "tasks" / f"{item_id(row)}.json"
        path.write_text(json.dumps(result), encoding="utf-8")
    _write_discovery(run, dataset, rows, closeset=True)
    return run


def _ci_block(summary: dict[str, Any], tasks: dict[str, Any]) -> dict[str, Any]:
    def around(value: float) -> list[float]:
        return [max(value - 1.5, 0.0), value + 1.5]

    return {
        "method": "bootstrap",
        "B": 200,
        "level": 0.95,
        "seed": 0,
        "final": {name: around(value) for name, value in summary["final"].items()},
        "per_modality": {
            modality: {
                q: around(values[q]) for q in ("Level-2", "Level-3", "Level-4", "S_C", "S_G")
            }
            for modality, values in summary["per_modality"].items()
        },
        "nlp": {"S_L": around(summary["nlp"]["S_L"])},
        "reach": {"Level-2": 1.0, "Level-3": 0.98, "Level-4": 0.9, "Level-5": 0.6},
        "tasks": tasks,
    }


def write_worse_copy(outcome: Path, table: ReferenceTable, source: str, model: str) -> list[str]:
    """Copy run ``source`` as ``model``, which answers every instance wrong on the first
    half of the tasks that have per-instance scores (a model that is truly worse there),
    with its level JSON (no ``ci`` block). Returns the item ids of those tasks.
    """
    shutil.copytree(outcome / source, outcome / model)
    results = []
    for path in sorted((outcome / model / "tasks").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["model"] = model
        data["provenance"] = {**data["provenance"], "model_name": model}
        results.append((path, data))
    resampled = [d for _, d in results if d["samples"] and d["metric"] in ("ACC", "F1")]
    worse = [d["item_id"] for d in resampled[: len(resampled) // 2]]
    scores = {}
    for path, data in results:
        if data["item_id"] in worse:
            samples = outcome / model / data["samples"]
            records = [json.loads(line) for line in samples.read_text().splitlines()]
            text = "".join(json.dumps({**r, "score": 0.0}) + "\n" for r in records)
            samples.write_text(text, encoding="utf-8")
            data.update(score=0.0, normalized=0.0, win=False)
        row = table.find(data["sheet"], data["task_name"], data["metric"])
        if data["status"] == "scored" and row is not None:
            scores[row.key] = data["score"]
        path.write_text(json.dumps(data), encoding="utf-8")
    summary = level_scores(table, scores, model).to_json()
    summary["provenance"] = results[0][1]["provenance"]
    (outcome / f"{model}_level.json").write_text(json.dumps(summary), encoding="utf-8")
    return worse
