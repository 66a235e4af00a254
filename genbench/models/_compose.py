"""``compose:``: one generalist built from several models, each serving a route.

Many generalists are an understanding model plus generators: a multimodal LLM for text
answers, a diffusion model for images, a speech synthesizer for audio. A composition
names a model spec per route, inline or in a TOML file::

    compose:text=hf:Qwen/Qwen2.5-VL-7B-Instruct;image=diffusers:stabilityai/sdxl-turbo
    compose:generalist.toml

A route key is an output kind (``text``, ``image``, ``video``, ``audio``, ``pointcloud``,
``array``), optionally narrowed by input kinds the request must carry (``text+audio``:
text answers about audio; ``image+image``: images drawn from an input image). A request
goes to the routes of its output whose inputs it carries, the most specific first, then
in the order written; the first whose model can take it serves it. Each model loads once,
when the first task routed to it runs; routes naming the same spec and options share it.
A request no route can serve is skipped as unsupported, with each route's reason.

In the TOML form each route is a table with ``model`` and any run options for that model
alone (``dtype``, ``num_inference_steps`` ...); a top-level ``name`` names the result.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, get_args

from genbench.models._protocol import (
    InputKind,
    Model,
    ModelError,
    ModelSpecError,
    OutputKind,
    Request,
    request_inputs,
    unsupported,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Resolver = Callable[[str], Callable[[Mapping[str, Any]], Model]]
Namer = Callable[[str], str]

OUTPUTS: tuple[str, ...] = get_args(OutputKind)
INPUTS: tuple[str, ...] = get_args(InputKind)
#: Libraries whose version can change a sub-model's outputs (recorded when installed).
_LIBRARIES = ("torch", "transformers", "diffusers")


@dataclass(frozen=True)
class Route:
    """Requests for ``output`` that carry at least ``inputs`` go to the model ``spec``,
    loaded with the run's options updated by ``options``.
    """

    key: str
    output: str
    inputs: frozenset[str]
    spec: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def matches(self, request: Request) -> bool:
        """Whether a request is for this route's output and carries its inputs."""
        return request.output == self.output and self.inputs <= request_inputs(request)


@dataclass(frozen=True)
class Composition:
    """A parsed ``compose:`` spec: its routes in the order written, and an optional name."""

    routes: tuple[Route, ...]
    name: str | None = None


def _route(key: str, spec: Any, options: Mapping[str, Any], where: str) -> Route:
    output, *inputs = key.strip().split("+")
    if output not in OUTPUTS or any(kind not in INPUTS for kind in inputs):
        raise ModelSpecError(
            f"{where}: route {key!r}: write <output>[+<input>...] with outputs "
            f"{', '.join(OUTPUTS)} and inputs {', '.join(INPUTS)}"
        )
    if not isinstance(spec, str) or not spec.strip():
        raise ModelSpecError(f"{where}: route {key!r}: no model spec")
    if spec.startswith("compose:"):
        raise ModelSpecError(f"{where}: route {key!r}: a composition cannot hold another")
    return Route(key.strip(), output, frozenset(inputs), spec.strip(), dict(options))


def _inline(text: str) -> Composition:
    routes = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, spec = part.partition("=")
        if not sep:
            raise ModelSpecError(f"compose: {part!r}: write <route>=<model spec>")
        routes.append(_route(key, spec, {}, "compose"))
    return Composition(tuple(routes))


def _from_file(path: Path) -> Composition:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ModelSpecError(f"compose: {path}: {error}") from None
    name = data.pop("name", None)
    if name is not None and not isinstance(name, str):
        raise ModelSpecError(f"compose: {path}: 'name' must be a string")
    routes = []
    for key, table in data.items():
        if not isinstance(table, dict):
            raise ModelSpecError(f"compose: {path}: {key!r}: expected a table with model = ...")
        options = dict(table)
        routes.append(_route(key, options.pop("model", None), options, f"compose: {path}"))
    return Composition(tuple(routes), name)


def parse_composition(text: str) -> Composition:
    """The routes of a ``compose:`` spec (the part after ``compose:``): a TOML file's path,
    or ``route=spec`` pairs separated by ``;``.

    Raises:
        ModelSpecError: a bad route key, a route without a model, a duplicate route, a
            nested composition, or an unreadable file.
    """
    composition = (
        _from_file(Path(text)) if text.endswith(".toml") or Path(text).is_file() else _inline(text)
    )
    keys = [route.key for route in composition.routes]
    if not keys:
        raise ModelSpecError(f"compose:{text}: no routes (e.g. text=hf:<model>;image=...)")
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ModelSpecError(f"compose:{text}: route {duplicates[0]!r} given twice")
    return composition


def composition_name(text: str, namer: Namer) -> str:
    """The name results are filed under: the file's ``name``, else the routes' model
    names joined by ``+`` (``Qwen2.5-VL-7B-Instruct+sdxl-turbo+mms-tts-eng``).
    """
    try:
        composition = parse_composition(text)
    except ModelSpecError:
        return "compose"  # the load reports what is wrong
    if composition.name:
        return composition.name
    names = [namer(route.spec) for route in composition.routes]
    return "+".join(dict.fromkeys(names))


def _describe(request: Request) -> str:
    inputs = sorted(request_inputs(request))
    carried = f"{' and '.join(inputs)} input" if inputs else "text alone"
    return f"{request.output} output from {carried}"


class ComposedModel:
    """Several models behind one genbench model, routed by what each request needs (see
    the module docstring).

    Args:
        text: the spec after ``compose:``.
        composition: its parsed routes.
        options: the run's model options (seed, batch size, dtype ...), which each route's
            own options update.
        resolve: turns a spec into its (checked, not yet called) loader.
        name: the composition's name.
    """

    def __init__(
        self,
        text: str,
        composition: Composition,
        options: Mapping[str, Any],
        resolve: Resolver,
        name: str,
    ) -> None:
        """Check every route's spec and options now; load no model yet."""
        self.name = name
        # the most specific route first; sorted() keeps the written order among equals
        self.routes = sorted(composition.routes, key=lambda route: -len(route.inputs))
        self._options: dict[str, dict[str, Any]] = {}
        self._loaders: dict[str, Callable[[Mapping[str, Any]], Model]] = {}
        slots: dict[tuple[str, str], str] = {}
        self._slot: dict[str, str] = {}
        for route in self.routes:
            unknown = sorted(set(route.options) - set(options))
            if unknown:
                raise ModelSpecError(
                    f"compose:{text}: route {route.key!r}: unknown option {unknown[0]!r} "
                    f"(known: {', '.join(sorted(options))})"
                )
            effective = {**options, **route.options}
            identity = (route.spec, repr(sorted(effective.items())))
            self._slot[route.key] = slots.setdefault(identity, route.key)
            self._options[route.key] = effective
            self._loaders[route.key] = resolve(route.spec)
        self._models: dict[str, Model] = {}
        self._failures: dict[str, str] = {}
        self.outputs = frozenset(route.output for route in self.routes)
        self.settings: Mapping[str, object] = {
            "model": f"compose:{text}",
            "routes": {
                route.key: {
                    "model": route.spec,
                    **{k: v for k, v in self._options[route.key].items() if v is not None},
                }
                for route in composition.routes
            },
            "libraries": _versions(),
        }

    @property
    def inputs(self) -> frozenset[str]:
        """The input kinds known so far without loading anything: those route keys name,
        and those of the models loaded (all kinds for one that declares none).
        """
        kinds: set[str] = set()
        for route in self.routes:
            kinds |= route.inputs
            model = self._models.get(self._slot[route.key])
            if model is not None:
                kinds |= set(getattr(model, "inputs", INPUTS))
        return frozenset(kinds)

    def loaded(self) -> dict[str, Model]:
        """The models loaded so far, by the route that loaded them."""
        return dict(self._models)

    def _model(self, route: Route) -> Model:
        """The route's model, loaded on first use (a failure is kept, not retried)."""
        slot = self._slot[route.key]
        if slot in self._failures:
            raise ModelError(self._failures[slot])
        if slot not in self._models:
            try:
                self._models[slot] = self._loaders[route.key](self._options[route.key])
            except Exception as error:
                self._failures[slot] = f"route {route.key!r} ({route.spec}): cannot load: {error}"
                raise ModelError(self._failures[slot]) from None
        return self._models[slot]

    def _serving(self, request: Request) -> Route | str:
        """The route that serves a request, or why none does."""
        candidates = [route for route in self.routes if route.matches(request)]
        if not candidates:
            keys = ", ".join(route.key for route in self.routes)
            return f"model {self.name!r} has no route for {_describe(request)} (routes: {keys})"
        reasons = []
        for route in candidates:
            reason = unsupported(self._model(route), request)
            if reason is None:
                return route
            reasons.append(f"route {route.key!r} ({route.spec}): {reason}")
        return "; ".join(reasons)

    def unsupported_reason(self, request: Request) -> str | None:
        """Why no route serves a request (None when one does). A route model that fails
        to load is taken to serve it, so that the task fails with the load error.
        """
        try:
            serving = self._serving(request)
        except ModelError:
            return None
        return serving if isinstance(serving, str) else None

    def predict(self, requests: Sequence[Request]) -> list[str]:
        """Each request answered by its route's model; a route's requests go together."""
        groups: dict[str, tuple[Route, list[int]]] = {}
        for index, request in enumerate(requests):
            serving = self._serving(request)
            if isinstance(serving, str):
                raise ModelError(f"instance {request.id!r}: {serving}")
            groups.setdefault(serving.key, (serving, []))[1].append(index)
        answers = [""] * len(requests)
        for route, positions in groups.values():
            outputs = self._model(route).predict([requests[i] for i in positions])
            if len(outputs) != len(positions):
                raise ModelError(
                    f"route {route.key!r} ({route.spec}) returned {len(outputs)} answers "
                    f"for {len(positions)} requests"
                )
            for index, output in zip(positions, outputs, strict=True):
                answers[index] = output
        return answers


def _versions() -> dict[str, str]:
    versions = {}
    for library in _LIBRARIES:
        try:
            versions[library] = metadata.version(library)
        except metadata.PackageNotFoundError:
            continue
    return versions


def load_compose(
    text: str, settings: Mapping[str, Any], resolve: Resolver, namer: Namer
) -> ComposedModel:
    """The ``compose:`` scheme's loader (the registry passes its resolver and namer, so
    this module does not import it back).
    """
    composition = parse_composition(text)
    return ComposedModel(text, composition, settings, resolve, composition_name(text, namer))
