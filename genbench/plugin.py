"""The genbench pytest plugin (registered through the ``pytest11`` entry point).

``pytest benchmarks`` collects one item per General-Bench task (``pytest_generate_tests``
over the sorted task list, so every xdist worker collects the same items), runs predict
and score under a session fixture that holds the loaded model, sends each task's result
to the controller with its report, and on the controller alone writes the result
workbook and the General-Level summary at session end, before pytest-html renders it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from genbench.data import TaskSpec, discover_tasks, sample_root
from genbench.level import LevelSummary, Mode, level_scores
from genbench.models import Model, default_model_name, load_model
from genbench.placement import gpus_for_worker, visible_gpus, worker_number
from genbench.provenance import collect_provenance
from genbench.reference import ReferenceTable, load_reference_table
from genbench.report import (
    outcome_paths,
    render_summary,
    render_summary_html,
    safe_model_name,
    write_outcome,
    write_result_workbook,
)
from genbench.runner import (
    SKIPPED,
    UNMATCHED,
    RunSettings,
    TaskError,
    TaskResult,
    TaskRunner,
    TaskSkipped,
    load_result,
    load_results,
    scores_for_level,
)

MARKERS = {
    "nlp": "language tasks",
    "image": "image tasks",
    "video": "video tasks",
    "audio": "audio tasks",
    "3d": "3D tasks",
    "comprehension": "comprehension tasks",
    "generation": "generation tasks",
}
PROPERTY = "genbench"


@dataclass
class GenbenchState:
    """Everything the plugin keeps for one session (on ``config.stash``)."""

    settings: RunSettings
    table: ReferenceTable
    mode: Mode
    is_worker: bool
    notes: list[str] = field(default_factory=list)
    results: dict[str, TaskResult] = field(default_factory=dict)
    summary: LevelSummary | None = None
    written: list[Path] = field(default_factory=list)
    collected: bool = False
    _tasks: list[TaskSpec] | None = None
    _runner: TaskRunner | None = None

    def tasks(self) -> list[TaskSpec]:
        """The dataset's tasks, discovered once."""
        if self._tasks is None:
            self._tasks = discover_tasks(self.settings.dataset_dir, self.table)
        return self._tasks

    def runner(self) -> TaskRunner:
        """The task runner; its model loads on first use, once per process."""
        if self._runner is None:
            settings = self.settings
            self._runner = TaskRunner(settings, self.table, _model_loader(settings))
        return self._runner


STATE = pytest.StashKey[GenbenchState]()


def _model_loader(settings: RunSettings) -> Callable[[], Model]:
    failure: list[BaseException] = []

    def load() -> Model:
        if failure:  # do not retry a failed load for every task
            raise TaskError(str(failure[0]))
        try:
            return load_model(
                settings.model_spec,
                {
                    "seed": settings.seed,
                    "batch_size": settings.batch_size,
                    **settings.model_options,
                },
            )
        except Exception as error:
            failure.append(error)
            raise TaskError(f"cannot load model {settings.model_spec!r}: {error}") from None

    return load


def pytest_addoption(parser: pytest.Parser) -> None:
    """The genbench options."""
    group = parser.getgroup("genbench", "General-Bench evaluation")
    group.addoption(
        "--model",
        default="baseline",
        help="model spec: baseline (default), hf:<id or folder>, openai:<base_url>#<model>, "
        "or module.path:factory",
    )
    group.addoption("--dtype", default="auto", help="hf: torch dtype (default auto)")
    group.addoption("--device", default="auto", help="hf: cpu, cuda, cuda:1 ... (default auto)")
    group.addoption(
        "--max-new-tokens", type=int, default=None, help="generation length limit of hf/openai"
    )
    group.addoption(
        "--trust-remote-code",
        action="store_true",
        default=False,
        help="hf: run the checkpoint's own code (off by default)",
    )
    group.addoption(
        "--concurrency", type=int, default=16, help="openai: requests in flight (default 16)"
    )
    group.addoption(
        "--request-timeout", type=float, default=120.0, help="openai: seconds per request"
    )
    group.addoption(
        "--max-frames", type=int, default=8, help="video frames sent to a model (default 8)"
    )
    group.addoption("--model-name", default=None, help="name for outputs (default: from --model)")
    group.addoption(
        "--dataset-dir", default=None, help="General-Bench tree (default: the bundled sample)"
    )
    group.addoption("--outcome-dir", default="outcome", help="results folder (default: outcome)")
    group.addoption(
        "--predictions-dir",
        default=None,
        help="where prediction files go (default: beside each annotation.json)",
    )
    group.addoption(
        "--step",
        default="123",
        help="1 predict, 2 score, 3 level; any subset as digits (default 123)",
    )
    group.addoption("--limit", type=int, default=None, help="first N instances per task")
    group.addoption("--seed", type=int, default=0, help="random seed (default 0)")
    group.addoption("--batch-size", type=int, default=8, help="requests per model call")
    group.addoption(
        "--level-mode",
        default="paper",
        choices=[m.value for m in Mode],
        help="paper (default) or upstream: reproduce the authors' scorer",
    )
    group.addoption("--gpus-per-worker", type=int, default=1, help="GPUs per xdist worker")
    group.addoption(
        "--metric-weights",
        default=None,
        help="folder of feature-extractor weights for FID, CLIP score, CLAP, WER ... "
        "(default: the local Hugging Face cache only)",
    )
    group.addoption(
        "--judge", default=None, help="judge for judged metrics: openai:<base_url>#<model>"
    )
    group.addoption(
        "--external-scores",
        default=None,
        help="CSV or JSON of supplied task or instance scores (judged metrics and others)",
    )
    group.addoption(
        "--metric-device", default="cpu", help="device of feature extractors (default cpu)"
    )


def _steps(text: str) -> frozenset[int]:
    if not text or any(c not in "123" for c in text):
        raise pytest.UsageError(f"--step {text!r}: use digits 1 (predict), 2 (score), 3 (level)")
    return frozenset(int(c) for c in text)


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers; build the session's settings; place a worker on its GPU."""
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    option = config.option
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    dataset = Path(option.dataset_dir).resolve() if option.dataset_dir else sample_root()
    outcome = Path(option.outcome_dir).resolve()
    model_name = option.model_name or default_model_name(option.model)
    notes = []
    predictions: Path | None = (
        Path(option.predictions_dir).resolve() if option.predictions_dir else None
    )
    if predictions is None and (dataset == sample_root() or not _writable(dataset)):
        predictions = outcome / safe_model_name(model_name) / "predictions"
        why = "the bundled sample" if dataset == sample_root() else "a read-only tree"
        notes.append(f"predictions go to {predictions} ({why})")
    if workerinput is not None:
        gpus = workerinput.get("genbench_gpus", "")
        if gpus:
            os.environ["CUDA_VISIBLE_DEVICES"] = gpus
    workers = (
        int(workerinput.get("workercount", 1))
        if workerinput
        else int(getattr(option, "numprocesses", 0) or 1)
    )
    settings = RunSettings(
        model_spec=option.model,
        model_name=model_name,
        outcome_dir=outcome,
        dataset_dir=dataset,
        steps=_steps(option.step),
        predictions_dir=predictions,
        limit=option.limit,
        seed=option.seed,
        batch_size=option.batch_size,
        workers=workers,
        metric_weights=Path(option.metric_weights).resolve() if option.metric_weights else None,
        judge=option.judge,
        external_scores=(
            Path(option.external_scores).resolve() if option.external_scores else None
        ),
        metric_device=option.metric_device,
        model_options={
            "dtype": option.dtype,
            "device": option.device,
            "max_new_tokens": option.max_new_tokens,
            "trust_remote_code": option.trust_remote_code,
            "concurrency": option.concurrency,
            "timeout": option.request_timeout,
            "max_frames": option.max_frames,
        },
        provenance=collect_provenance(
            dataset=str(dataset), device=os.environ.get("CUDA_VISIBLE_DEVICES", "cpu")
        ),
    )
    state = GenbenchState(
        settings, load_reference_table(), Mode(option.level_mode), workerinput is not None, notes
    )
    config.stash[STATE] = state
    config.pluginmanager.register(_ResultCollector(state), "genbench-results")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(config), "genbench-xdist")
    if config.pluginmanager.hasplugin("html"):
        config.pluginmanager.register(_HtmlHooks(config), "genbench-html")


def pytest_report_header(config: pytest.Config) -> list[str]:
    """What this run evaluates, and where it writes (once, on the controller)."""
    state = config.stash[STATE]
    s = state.settings
    steps = "".join(str(step) for step in sorted(s.steps))
    lines = [
        f"genbench: model {s.model_spec} as {s.model_name!r}, steps {steps}, "
        f"level mode {state.mode.value}",
        f"genbench: dataset {s.dataset_dir}",
        f"genbench: outcome {s.outcome_dir}",
    ]
    return lines + [f"genbench: {note}" for note in state.notes]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One item per task, id ``<modality>-<paradigm>-<folder>``, marked by modality/paradigm."""
    if "genbench_task" not in metafunc.fixturenames:
        return
    state = metafunc.config.stash[STATE]
    try:
        tasks = state.tasks()
    except FileNotFoundError as error:
        raise pytest.UsageError(str(error)) from None
    state.collected = True
    params = []
    for task in tasks:
        marks = [getattr(pytest.mark, task.modality.lower())]
        if task.paradigm is not None:
            marks.append(getattr(pytest.mark, task.paradigm.lower()))
        params.append(pytest.param(task, id=task.item_id, marks=marks))
    metafunc.parametrize("genbench_task", params)


@pytest.fixture(scope="session")
def genbench_runner(pytestconfig: pytest.Config) -> TaskRunner:
    """The session's task runner (one per xdist worker)."""
    return pytestconfig.stash[STATE].runner()


@pytest.fixture(scope="session")
def genbench_model(genbench_runner: TaskRunner) -> Model:
    """The loaded model, loaded once per worker."""
    try:
        return genbench_runner.model
    except TaskError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture
def genbench_evaluate(
    request: pytest.FixtureRequest, genbench_runner: TaskRunner
) -> Callable[[TaskSpec], TaskResult | None]:
    """Run the session's steps on one task, record its result with the test report."""

    def evaluate(task: TaskSpec) -> TaskResult | None:
        runner = genbench_runner
        steps = runner.settings.steps
        try:
            if steps.isdisjoint({1, 2}):
                result = load_result(
                    runner.settings.outcome_dir, runner.settings.model_name, task.item_id
                )
                if result is None:
                    pytest.skip("no result yet: run steps 1 and 2 first")
            else:
                result = runner.run(task)
        except TaskSkipped as skip:
            stored = load_result(
                runner.settings.outcome_dir, runner.settings.model_name, task.item_id
            )
            if stored is not None:
                request.node.user_properties.append((PROPERTY, stored.to_json()))
            pytest.skip(str(skip))
        except TaskError as error:
            pytest.fail(str(error), pytrace=False)
        if result is not None:
            request.node.user_properties.append((PROPERTY, result.to_json()))
            if result.status == SKIPPED:
                pytest.skip(result.reason)
        return result

    return evaluate


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On the controller: gather every result of the model, write the workbook and level."""
    state = session.config.stash.get(STATE, None)
    if state is None or state.is_worker or session.config.option.collectonly:
        return
    settings = state.settings
    if settings.steps.isdisjoint({2, 3}) or not (state.results or state.collected):
        return
    results = load_results(settings.outcome_dir, settings.model_name)
    results.update(state.results)
    scores = scores_for_level(state.table, results)
    provenance = dict(state.runner().provenance())
    if 3 in settings.steps:
        state.summary = level_scores(state.table, scores, settings.model_name, state.mode)
        state.written.extend(
            write_outcome(settings.outcome_dir, state.table, scores, state.summary, provenance)
        )
    else:
        workbook, _ = outcome_paths(settings.outcome_dir, settings.model_name)
        write_result_workbook(workbook, state.table, {settings.model_name: scores}, [], provenance)
        state.written.append(workbook)
    state.results = results


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The General-Level table and what was written, at the end of the terminal output."""
    state = config.stash.get(STATE, None)
    if state is None or state.is_worker or not (state.summary or state.written):
        return
    terminalreporter.write_sep("=", "genbench")
    skipped = [r for r in state.results.values() if r.status == SKIPPED]
    unmatched = [r for r in state.results.values() if r.status == UNMATCHED]
    for r in unmatched:
        terminalreporter.write_line(
            f"not counted (no reference row): {r.item_id} {r.metric} {r.score:.4g}"
        )
    for r in skipped:
        terminalreporter.write_line(f"unsupported: {r.item_id}: {r.reason}")
    missing = sum(r.missing for r in state.results.values())
    if missing:
        terminalreporter.write_line(f"instances without a prediction (scored as wrong): {missing}")
    if state.summary is not None:
        terminalreporter.write_line(render_summary(state.summary))
    for path in state.written:
        terminalreporter.write_line(f"wrote {path}")


class _ResultCollector:
    """Keeps each task's result as its report arrives (from an xdist worker too).

    A plugin object rather than a module-level hook, because ``pytest_runtest_logreport``
    gets no config: the object holds the session's state instead of a global.
    """

    def __init__(self, state: GenbenchState) -> None:
        self.state = state

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == PROPERTY and isinstance(value, dict):
                result = TaskResult.from_json(value)
                self.state.results[result.item_id] = result


class _XdistHooks:
    """Controller side of GPU placement: one GPU group per worker, logged."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.gpus: list[str] | None = None

    def pytest_configure_node(self, node: Any) -> None:
        if self.gpus is None:
            self.gpus = visible_gpus()
        per_worker = self.config.option.gpus_per_worker
        group = gpus_for_worker(self.gpus, worker_number(node.gateway.id), per_worker)
        node.workerinput["genbench_gpus"] = ",".join(group)
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            where = f"GPU {','.join(group)}" if group else "CPU (no GPU visible)"
            reporter.write_line(f"genbench: worker {node.gateway.id} -> {where}")


class _HtmlHooks:
    """pytest-html: the level summary above the results; score, metric, SoTA per row."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_html_results_summary(
        self, prefix: list[str], summary: list[str], postfix: list[str], session: pytest.Session
    ) -> None:
        state = self.config.stash[STATE]
        if state.summary is not None:
            prefix.append(render_summary_html(state.summary))

    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        cells.insert(2, '<th class="sortable" data-column-type="score">Score</th>')
        cells.insert(3, "<th>Metric</th>")
        cells.insert(4, "<th>SoTA</th>")

    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        values = next((v for n, v in report.user_properties if n == PROPERTY), None)
        score = metric = sota = "-"
        if isinstance(values, dict):
            metric = str(values.get("metric") or "-")
            if values.get("score") is not None:
                score = f"{values['score']:.4g}"
            if values.get("sota") is not None:
                sota = f"{values['sota']:.4g}"
        cells.insert(2, f'<td class="col-score">{score}</td>')
        cells.insert(3, f'<td class="col-metric">{metric}</td>')
        cells.insert(4, f'<td class="col-sota">{sota}</td>')
