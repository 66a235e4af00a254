"""Time a 705-task tree with the baseline model: the first run and an immediate rerun.

Targets (issue 11): the first run under 20 s here, an immediate rerun at least 5 times
faster (a rerun reuses every unchanged task's stored result without parsing its task
file or loading the model). The tree is the bundled sample's 47 tasks 15 times over
(perf/_common.py: copies in folders of their own, each copy's task field naming a free
row of the same sheet and metric, else no row, since two folders on one row fail).
Each repeat removes the outcome folder, runs ``pytest benchmarks`` (steps 123), then
runs it again; medians of wall and CPU time.

Also MS-SSIM on one 176 x 176 pair, in process: torchmetrics in float64 (what genbench
used before), torchmetrics in float32, and genbench's float64 separable filters, with
each value's difference from torchmetrics' float64 one.

Usage: python perf/tree_speed.py [--copies 15] [--repeat 3] [--pairs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTEST, alternate, copy_sample, fresh, print_table, ratio_line


def best_of(function: Callable[[], float], repeat: int) -> tuple[float, float]:
    """(median seconds, value) of ``repeat`` calls after one warm-up call."""
    value = function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def ms_ssim_rows(pairs: int) -> list[str]:
    from genbench.metrics._msssim import ms_ssim_pair

    rng = np.random.default_rng(0)
    reference = rng.integers(0, 256, (176, 176, 3), dtype=np.uint8)
    prediction = np.clip(reference + rng.normal(0, 25, reference.shape), 0, 255).astype(np.uint8)
    rows = ["MS-SSIM, one 176 x 176 RGB pair, in process (median of the calls):"]
    ours = best_of(lambda: ms_ssim_pair(prediction, reference, 255.0), pairs)
    try:
        import torch
        from torchmetrics.functional.image import multiscale_structural_similarity_index_measure
    except ImportError:
        return [*rows, f"  genbench (float64, separable) {ours[0] * 1000:8.1f} ms"]

    def torchmetrics_value(dtype: torch.dtype) -> float:
        a, b = (
            torch.from_numpy(x).permute(2, 0, 1)[None].to(dtype) for x in (prediction, reference)
        )
        return float(multiscale_structural_similarity_index_measure(a, b, data_range=255.0))

    double = best_of(lambda: torchmetrics_value(torch.float64), pairs)
    single = best_of(lambda: torchmetrics_value(torch.float32), pairs)
    for label, (seconds, value) in (
        ("torchmetrics float64 (before)", double),
        ("torchmetrics float32", single),
        ("genbench float64, separable", ours),
    ):
        rows.append(
            f"  {label:30s} {seconds * 1000:8.1f} ms  {double[0] / seconds:5.1f}x  "
            f"|difference| {abs(value - double[1]):.1e}"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=5, help="MS-SSIM calls per variant")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        tasks = copy_sample(root / "tree", args.copies)

        def command() -> list[str]:
            return [
                *PYTEST, "benchmarks", "-q", "-p", "no:cacheprovider",
                "--dataset-dir", str(root / "tree"), "--outcome-dir", str(root / "out"),
            ]  # fmt: skip

        first, rerun = alternate(
            [("first run", command), ("immediate rerun", command)],
            args.repeat,
            prepare=lambda label: fresh(root / "out") if label == "first run" else None,
        )
    print_table(
        f"{tasks} tasks (the sample x {args.copies}), baseline model, whole pytest processes, "
        f"{args.repeat} pairs of runs",
        [first.row(), rerun.row(), ratio_line(first, rerun), *ms_ssim_rows(args.pairs)],
    )


if __name__ == "__main__":
    main()
