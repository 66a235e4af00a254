"""Throughput of the hf: adapter with a tiny model on CPU: batch 16 against batch 1.

Target (issue 5): batch 16 gives at least 3x the throughput of batch 1 on the same
instances. The model is the tests' tiny Llama (random weights, tokenizer trained on the
fly); the requests are the bundled sample's language prompts, repeated to 64.
Usage: python perf/hf_batch_speed.py [--requests 64] [--new-tokens 16] [--repeat 3].
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genbench.data import discover_tasks, read_annotation, sample_root
from genbench.models import load_model
from genbench.reference import load_reference_table
from genbench.tasks import resolve_family
from perf._throughput import throughput
from tests.tiny_models import causal_lm


def sample_requests(count: int) -> list:  # type: ignore[type-arg]
    requests = []
    for task in discover_tasks(sample_root(), load_reference_table()):
        if task.modality != "NLP":
            continue
        annotation = read_annotation(task.annotation_path)
        family = resolve_family(task, annotation.instances[0])
        requests += [family.request(task, instance, None) for instance in annotation]
    return [requests[i % len(requests)] for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=64)
    parser.add_argument("--new-tokens", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    requests = sample_requests(args.requests)
    with tempfile.TemporaryDirectory() as folder:
        path = causal_lm(Path(folder) / "lm")
        model = load_model(f"hf:{path}", {"max_new_tokens": args.new_tokens, "device": "cpu"})
        model.predict(requests[:4])  # warm up
        rates = {}
        for batch in (1, 16):
            rates[batch] = throughput(model, requests, batch, args.repeat)
            print(f"batch {batch:2d}: {rates[batch]:7.1f} requests/s (median of {args.repeat})")
    print(f"batch 16 / batch 1 throughput: {rates[16] / rates[1]:.1f}x")


if __name__ == "__main__":
    main()
