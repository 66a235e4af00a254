"""The custom-adapter example of docs/MODELS.md, run exactly as written on the sample."""

import json
import re
from pathlib import Path

import numpy as np
from PIL import Image

from tests.test_plugin import bench, run  # noqa: F401  (the pytester fixture)

DOC = Path(__file__).resolve().parents[1] / "docs" / "MODELS.md"


def example_source():
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- example: my_adapter.py -->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, "docs/MODELS.md lost its example"
    return match.group(1)


def test_documented_adapter_runs_the_sample(bench, monkeypatch):  # noqa: F811
    (bench.path / "my_adapter.py").write_text(example_source())
    monkeypatch.syspath_prepend(str(bench.path))
    result, outcome = run(bench, "--model", "my_adapter:make", "-k", "image or nlp")
    outcomes = result.parseoutcomes()
    # it takes images and writes images: every image task runs but the 5 dense-map ones,
    # and the language tasks get answers too
    assert outcomes["passed"] == 7 + 14 - 5 and outcomes["skipped"] == 5
    (written,) = outcome.rglob("Image-Dehazing/prediction.json")
    record = json.loads(written.read_text())
    # filed under the run's model name; the adapter's own settings are recorded
    assert record["model"] == "my_adapter:make"
    assert record["settings"] == {"model": "inverter", "seed": 0}
    first = record["data"][0]
    task = Path(__file__).parents[1] / "genbench/data/sample/image/generation/Image-Dehazing"
    annotation = json.loads((task / "annotation.json").read_text())
    (instance,) = [i for i in annotation["data"] if str(i["id"]) == first["id"]]
    source = np.asarray(Image.open(task / instance["input"]["image"]).convert("RGB"))
    drawn = np.asarray(Image.open(written.parent / first["prediction"]))
    assert (drawn == 255 - source).all()  # the adapter's inverted image was scored
