"""A synthetic outcome folder in the documented format (docs/OUTCOME.md), written by hand.

Independent of the runner: task results, samples files and the level JSON are plain
dicts, so a change of the runner's writing does not hide a change of the format. One task
per reference row (or the first ``tasks`` rows), plus one unmatched task; some skipped,
some failed; images, audio and a point cloud where the modality has them; an optional
``ci`` block (issue 14's shape). ``perf/report_speed.py`` builds its 700-task tree here.
"""

from __future__ import annotations

import json
import math
import random
import re
import wave
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from genbench.level import level_scores
from genbench.reference import ReferenceRow, ReferenceTable

INJECTION = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


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
            spread = rng.uniform(1, 8)
            intervals[identifier] = {
                "interval": [max(normalized - spread, 0), min(normalized + spread, 100)],
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
            "provenance": provenance,
            "a_key_from_the_future": number,
        }
        (run / "tasks").mkdir(parents=True, exist_ok=True)
        (run / "tasks" / f"{identifier}.json").write_text(json.dumps(result), encoding="utf-8")
    summary = level_scores(table, scores, model).to_json()
    summary["provenance"] = provenance
    if ci:
        summary["ci"] = _ci_block(summary, intervals)
    (outcome / f"{model}_level.json").write_text(json.dumps(summary), encoding="utf-8")
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
