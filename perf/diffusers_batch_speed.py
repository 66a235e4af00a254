"""Throughput of the diffusers: adapter with a tiny pipeline on CPU: batch 8 against batch 1.

Target (issue 15): batched generation at batch 8 gives at least 2x the throughput of
batch 1 on the same requests. The pipeline is the tests' tiny Stable Diffusion (random
weights, 32 x 32 images); the requests are the bundled sample's image generation tasks
(text-to-image from their prompts, and image-to-image from their inputs), repeated to 32.
Usage: ``python perf/diffusers_batch_speed.py [--requests 32] [--steps 10] [--repeat 3]
[--threads N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genbench.data import discover_tasks, read_annotation, sample_root
from genbench.models import Request, load_model
from genbench.reference import load_reference_table
from genbench.tasks import resolve_family
from perf._throughput import throughput
from tests.tiny_generators import stable_diffusion


def sample_requests(count: int, out: Path, with_images: bool) -> list[Request]:
    requests = []
    for task in discover_tasks(sample_root(), load_reference_table()):
        if task.modality != "Image" or task.paradigm != "Generation":
            continue
        family = resolve_family(task, None)
        for instance in read_annotation(task.annotation_path):
            request = family.request(task, instance, out / "x.png")
            requests.append(request if with_images else dataclasses.replace(request, images=()))
    return [
        dataclasses.replace(requests[i % len(requests)], id=str(i), output_path=out / f"{i}.png")
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=32)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: all)")
    args = parser.parse_args()
    if args.threads is not None:
        import torch

        torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        pipeline = stable_diffusion(root / "sd")
        model = load_model(f"diffusers:{pipeline}", {"num_inference_steps": args.steps})
        for mode, with_images in (("text-to-image", False), ("image-to-image", True)):
            requests = sample_requests(args.requests, root / "out", with_images)
            rates = {}
            for batch in (1, 8):
                throughput(model, requests[:batch], batch, 1)  # warm up this batch's shapes
                rates[batch] = throughput(model, requests, batch, args.repeat)
                median = f"median of {args.repeat}"
                print(f"{mode} batch {batch}: {rates[batch]:6.1f} images/s ({median})")
            print(f"{mode}: batch 8 / batch 1 throughput {rates[8] / rates[1]:.1f}x")


if __name__ == "__main__":
    main()
