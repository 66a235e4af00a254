"""Start-up stays light: the entry points import no heavy library until it is used."""

import json
import subprocess
import sys

import pytest

HEAVY = (
    "nltk",
    "scipy",
    "sklearn",
    "torch",
    "torchmetrics",
    "transformers",
    "pycocotools",
    "pycocoevalcap",
    "codebleu",
    "openpyxl",
    "pandas",
    "rouge_score",
    "jiwer",
    "PIL",
)

PROBE = """
import json, sys
import {modules}
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def loaded_after(*modules: str) -> set[str]:
    code = PROBE.format(modules=", ".join(modules))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


@pytest.mark.parametrize(
    "entry",
    [
        "genbench.cli",
        "genbench.level",
        "genbench.reference",
        "genbench.plugin",
        "genbench.runner",
        "genbench.metrics",
    ],
)
def test_entry_point_leaves_heavy_modules_unimported(entry):
    assert loaded_after(entry) & set(HEAVY) == set()


def test_the_probe_sees_a_heavy_import():
    # the check above can fail: importing a scorer's library shows up in sys.modules
    assert "nltk" in loaded_after("genbench.metrics", "nltk")


def test_a_benchmark_session_drops_plugins_it_never_uses(pytester):
    # Hypothesis's plugin imports all of Hypothesis at the terminal summary (1.1 s here,
    # in every xdist worker too); a benchmark session unregisters it
    pytester.makepyfile(test_bench="def test_task(genbench_task, genbench_evaluate):\n    pass\n")
    pytester.makeconftest(
        "import sys\n"
        "GENBENCH_BENCHMARK = True\n"
        "def pytest_unconfigure(config):\n"
        "    print('hypothesis imported:', 'hypothesis' in sys.modules)\n"
        "    print('plugin:', config.pluginmanager.has_plugin('hypothesispytest'))\n"
    )
    result = pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:cacheprovider")
    assert "hypothesis imported: False" in result.stdout.str()
    assert "plugin: False" in result.stdout.str()


SUBCOMMAND_PROBE = """
import json, sys
from genbench.cli import main
status = main(sys.argv[1:])
print(json.dumps([status, sorted(sys.modules)]))
"""


@pytest.mark.parametrize("prefix", [[], ["--reference", "REFERENCE"]])
def test_a_named_subcommand_imports_its_own_module_alone(tmp_path, prefix):
    from genbench.reference import default_reference_path

    prefix = [str(default_reference_path()) if p == "REFERENCE" else p for p in prefix]
    argv = [*prefix, "template", str(tmp_path / "template.xlsx")]
    out = subprocess.run(
        [sys.executable, "-c", SUBCOMMAND_PROBE, *argv], capture_output=True, text=True, check=True
    ).stdout
    status, modules = json.loads(out.splitlines()[-1])  # after the command's own lines
    assert status == 0 and (tmp_path / "template.xlsx").is_file()
    assert "genbench.cli._template" in modules
    others = {"genbench.cli._level", "genbench.cli._compare", "genbench.cli._report"}
    assert others.isdisjoint(modules)
    assert {"genbench.stats", "genbench.viewer", "genbench.runner"}.isdisjoint(modules)
