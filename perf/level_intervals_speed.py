"""Time the levels with intervals for a full-size result: every task of the reference table
(699), 325,800 instances in all, B = 1000.

Target (issue 14): under 10 s on the project's machine kind. The script writes a synthetic
outcome folder (task results and samples files, as a run writes them) in which each task
is scored as the harness scores its metric: per-instance values (accuracy, BLEU-1, ROUGE,
PSNR, CLIP score ...), summed statistics (micro-F1, corpus BLEU, pooled errors, mIoU over
20 classes, R@50, Macro-Acc, MS-SSIM), ranked detections (COCO AP: images with one or two
objects, found with probability 0.8 at an IoU drawn from Beta(5, 3), stray boxes, tied
scores), and set-level, judged or unavailable metrics held fixed (FID, MOS, CodeBLEU ...).
It then times reading the folder (results and samples files) and computing the levels and
every interval, separately and together; wall time and CPU time.

Usage: ``python perf/level_intervals_speed.py [--draws 1000] [--repeat 3] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from genbench.level import level_scores
from genbench.metrics import coco_ap_draws, reduce_sums
from genbench.reference import ReferenceRow, load_reference_table
from genbench.runner import SCORED, TaskResult, load_results, save_result, scores_for_level
from genbench.stats import BootstrapSettings, level_intervals, load_tasks

TOTAL_INSTANCES = 325_800
#: Metrics whose scorers keep per-instance values (the task score is their mean).
PER_INSTANCE = {
    "ACC", "BLEU-1", "ROUGE-L", "ROUGE-1", "F1", "EM@1", "ANLS", "AUC", "m_vIoU",
    "Instance mIoU", "DICE", "CLIP score", "CLIP img score", "CLAP", "DINOScore", "PSNR",
    "CD", "RTE", "absRel", "EPE", "SAD", "Structure measure", "RMS", "MSE", "L1 distance",
}  # fmt: skip
#: Metrics reduced from summed statistics, by reducer.
REDUCERS = {
    "Micro-F1": "micro_f1", "BLEU@4": "coco_bleu", "RMSE": "pooled_rmse",
    "MAE": "pooled_mae", "mIoU": "miou", "R@50": "recall", "Macro-Acc": "macro_recall",
    "MS-SSIM": "pooled_mean",
}  # fmt: skip
#: COCO AP statistics and how many IoU thresholds each averages.
RANKED = {"AP": 10, "AP50": 1, "AP75": 1, "AP10": 1}
PROMPT = "Look at the input and answer the question with one of the options. " * 4


def instance_counts(rows: int, rng: np.random.Generator) -> list[int]:
    """Task sizes around 466 (20 to 2000) summing to TOTAL_INSTANCES."""
    sizes = np.clip(rng.lognormal(np.log(400), 0.6, rows), 20, 2000)
    sizes = np.floor(sizes / sizes.sum() * TOTAL_INSTANCES).astype(int)
    sizes[: TOTAL_INSTANCES - sizes.sum()] += 1
    return [int(s) for s in sizes]


def detections(rng: np.random.Generator, thresholds: int) -> dict[str, Any]:
    """One image's COCOeval matches (see the module docstring)."""
    objects = 1 + int(rng.random() < 0.4)
    ious = [float(rng.beta(5, 3)) for _ in range(objects) if rng.random() < 0.8]
    ious += [0.0] * int(rng.poisson(0.4))
    levels = np.linspace(0.5, 0.95, 10) if thresholds == 10 else np.array([0.5])
    return {
        "object": {
            "gt": objects,
            "scores": [1.0] * len(ious),
            "tp": [[int(iou >= t) for iou in ious] for t in levels],
            "ignored": [[0] * len(ious) for _ in levels],
        }
    }


def statistics_of(reducer: str, rng: np.random.Generator) -> dict[str, float]:
    """One instance's sufficient statistics for ``reducer``."""
    if reducer == "micro_f1":
        return {k: int(rng.integers(0, 3)) for k in ("tp", "fp", "fn")}
    if reducer == "coco_bleu":
        length = int(rng.integers(5, 15))
        stats = {"testlen": length, "reflen": length + int(rng.integers(-2, 3))}
        for k in range(1, 5):
            stats[f"guess_{k}"] = max(0, length - k + 1)
            stats[f"correct_{k}"] = int(rng.integers(0, max(1, length - k + 1)))
        return stats
    if reducer in ("pooled_rmse", "pooled_mae"):
        error = rng.normal(0, 2, 3)
        return {
            "abs_error": float(np.abs(error).sum()),
            "squared_error": float((error**2).sum()),
            "count": 3,
        }
    if reducer == "miou":
        stats = {}
        for c in range(20):
            inter = int(rng.integers(0, 500))
            stats[f"intersection:{c}"] = inter
            stats[f"union:{c}"] = inter + int(rng.integers(0, 500))
        return stats
    if reducer == "recall":
        total = int(rng.integers(1, 4))
        return {"found": int(rng.integers(0, total + 1)), "total": total}
    if reducer == "macro_recall":
        label, hit = int(rng.integers(0, 5)), rng.random() < 0.5
        counts = {f"count:{c}": float(label == c) for c in range(5)}
        return counts | {f"hits:{c}": float(hit and label == c) for c in range(5)}
    return {"sum": float(rng.random()), "count": 1}


def instance(row: ReferenceRow, rng: np.random.Generator) -> tuple[Any, Any, dict[str, str]]:
    """One instance's score and statistics, and the task's aggregation."""
    metric = row.metric.name
    if metric in PER_INSTANCE:
        value = 100.0 * (rng.random() < 0.5) if metric == "ACC" else float(rng.gamma(2.0, 10.0))
        return value, None, {"kind": "mean"}
    if metric in RANKED:
        return None, detections(rng, RANKED[metric]), {"kind": "ranked", "reducer": "coco_ap"}
    if metric in REDUCERS:
        reducer = REDUCERS[metric]
        return None, statistics_of(reducer, rng), {"kind": "stats", "reducer": reducer}
    return None, None, {"kind": "none"}


def task_score(
    records: list[dict[str, Any]],
    aggregation: dict[str, str],
    row: ReferenceRow,
    rng: np.random.Generator,
) -> float:
    """The task score its records make (a set-level metric: near the SoTA)."""
    kind = aggregation["kind"]
    if kind == "mean":
        return float(np.mean([r["score"] for r in records]))
    if kind == "stats":
        names = records[0]["stats"]
        sums = {k: np.array([sum(r["stats"][k] for r in records)], dtype=float) for k in names}
        return float(reduce_sums(aggregation["reducer"], sums)[0])
    if kind == "ranked":
        every = np.ones((1, len(records)), dtype=np.int64)
        return float(coco_ap_draws([r["stats"] for r in records], every)[0])
    return float(row.sota) * float(rng.uniform(0.8, 1.2)) or 1.0


def write_outcome(folder: Path, seed: int = 0) -> None:
    """A synthetic outcome folder of model ``synthetic``: every table row, 325,800 instances."""
    rng = np.random.default_rng(seed)
    table = load_reference_table()
    for index, (row, n) in enumerate(zip(table, instance_counts(len(table), rng), strict=True)):
        item_id = f"{row.sheet.lower()}-task-{index:03d}"
        records = []
        aggregation: dict[str, str] = {"kind": "none"}
        for i in range(n):
            score, stats, aggregation = instance(row, rng)
            records.append(
                {
                    "id": str(i),
                    "prompt": PROMPT,
                    "prediction": "B",
                    "parsed": "B",
                    "reference": "A",
                    "score": score,
                    "stats": stats,
                    "missing": False,
                    "parse_failure": False,
                    "media": {"inputs": [f"/data/{i}.jpg"], "prediction": [], "reference": []},
                }
            )
        samples = folder / "synthetic" / "samples" / f"{item_id}.jsonl"
        samples.parent.mkdir(parents=True, exist_ok=True)
        with samples.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record) + "\n")
        result = TaskResult(
            model="synthetic",
            item_id=item_id,
            status=SCORED,
            sheet=row.sheet,
            task_name=row.task_name,
            metric=row.metric.name,
            score=task_score(records, aggregation, row, rng),
            n=n,
            aggregation=aggregation,
            samples=f"samples/{item_id}.jsonl",
        )
        save_result(folder, result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="write the outcome here")
    args = parser.parse_args()
    table = load_reference_table()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        if not (folder / "synthetic").is_dir():
            start = time.perf_counter()
            write_outcome(folder)
            print(f"wrote the outcome in {time.perf_counter() - start:.1f} s")
        settings = BootstrapSettings(draws=args.draws)
        reading, computing, totals, cpu = [], [], [], []
        for _ in range(args.repeat):
            start, processor = time.perf_counter(), time.process_time()
            results = load_results(folder, "synthetic")
            tasks = load_tasks(folder, results, table)
            summary = level_scores(table, scores_for_level(table, results), "synthetic")
            read = time.perf_counter()
            intervals = level_intervals(table, tasks, settings)
            block = intervals.to_json()
            done = time.perf_counter()
            reading.append(read - start)
            computing.append(done - read)
            totals.append(done - start)
            cpu.append(time.process_time() - processor)
        instances = sum(result.n for result in results.values())
        kinds = {k: sum(t.kind == k for t in tasks.values()) for k in ("mean", "stats", "ranked")}
        fixed = len(tasks) - sum(kinds.values())
        print(
            f"{len(tasks)} tasks, {instances} instances ({kinds}, {fixed} held fixed), "
            f"B={args.draws}: read {statistics.median(reading):.2f} s + levels and intervals "
            f"{statistics.median(computing):.2f} s = {statistics.median(totals):.2f} s wall, "
            f"{statistics.median(cpu):.2f} s CPU (medians of {args.repeat}; max total "
            f"{max(totals):.2f} s)"
        )
        low, high = block["final"]["Level-2"]
        print(f"Level-2 {summary.final['Level-2']:.2f} [{low:.2f}, {high:.2f}]")


if __name__ == "__main__":
    main()
