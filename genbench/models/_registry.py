"""Model specs: ``baseline`` (the default), ``hf:<id or folder>``, ``openai:<url>#<model>``,
``diffusers:<id or folder>``, ``compose:<routes or file.toml>``, or ``module.path:factory``
for your own adapter.

A factory is called with the run's settings as keyword arguments it accepts (``seed``,
``device``, ...) and must return an object following :class:`genbench.models.Model`.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from genbench.models._baseline import BaselineModel
from genbench.models._protocol import Model, ModelSpecError

ModelLoader = Callable[[str, Mapping[str, Any]], Model]
#: A spec resolved to its adapter, not loaded yet: call it with the run's settings.
BoundLoader = Callable[[Mapping[str, Any]], Model]
#: Checks a spec's rest before anything loads; raises ModelSpecError with the reason.
SpecCheck = Callable[[str, Mapping[str, Any]], None]

_SCHEMES: dict[str, ModelLoader] = {}
_NAMERS: dict[str, Callable[[str], str]] = {}
_CHECKS: dict[str, SpecCheck] = {}


def register_scheme(
    scheme: str,
    loader: ModelLoader,
    name: Callable[[str], str] | None = None,
    check: SpecCheck | None = None,
) -> None:
    """Let ``<scheme>:<rest>`` specs load through ``loader(rest, settings)``.

    ``name(rest)``, when given, is the name such a model's outputs are filed under (else
    the last path part of ``rest``); ``check(rest, settings)``, when given, validates a
    spec cheaply before a run starts (no weights loaded).
    """
    _SCHEMES[scheme] = loader
    if name is not None:
        _NAMERS[scheme] = name
    if check is not None:
        _CHECKS[scheme] = check


def check_model_spec(spec: str, settings: Mapping[str, Any] | None = None) -> None:
    """Validate a model spec before any item runs, without loading weights: a known
    scheme whose check passes (a checkpoint on disk, a well-formed URL ...), or an
    importable ``module.path:factory``.

    Raises:
        ModelSpecError: the spec cannot load; the message says why in one line.
    """
    resolve_spec(spec)
    scheme, sep, rest = spec.partition(":")
    if sep and scheme in _CHECKS:
        _CHECKS[scheme](rest, dict(settings or {}))


def _call_with_accepted(factory: Callable[..., Any], settings: Mapping[str, Any]) -> Any:
    parameters = inspect.signature(factory).parameters
    takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    kwargs = {k: v for k, v in settings.items() if takes_all or k in parameters}
    return factory(**kwargs)


def resolve_spec(spec: str) -> BoundLoader:
    """The loader a spec names, checked now and called later (a composed model loads its
    parts only when a task needs them, but a misspelt spec should fail at once).

    Raises:
        ModelSpecError: an unknown scheme, or a module or factory that cannot be imported.
    """
    if spec == "baseline":
        return lambda settings: BaselineModel(seed=int(settings.get("seed", 0)))
    scheme, sep, rest = spec.partition(":")
    if sep and scheme in _SCHEMES:
        loader = _SCHEMES[scheme]
        return lambda settings: loader(rest, settings)
    if sep and rest.isidentifier():
        try:
            factory = getattr(importlib.import_module(scheme), rest)
        except (ImportError, AttributeError) as error:
            raise ModelSpecError(
                f"model {spec!r}: cannot import {scheme}:{rest}: {error}"
            ) from None
        return lambda settings: _checked(spec, _call_with_accepted(factory, settings))
    known = ", ".join(["baseline", *(f"{s}:..." for s in _SCHEMES), "module.path:factory"])
    raise ModelSpecError(f"model {spec!r}: unknown spec (known: {known})")


def _checked(spec: str, model: Any) -> Model:
    if not isinstance(model, Model):
        factory = spec.partition(":")[2]
        raise ModelSpecError(
            f"model {spec!r}: {factory}() returned {type(model).__name__}, "
            "which has no name/settings/predict"
        )
    return model


def load_model(spec: str, settings: Mapping[str, Any] | None = None) -> Model:
    """Load the model a spec names.

    Raises:
        ModelSpecError: an unknown scheme, a module or factory that cannot be imported, or
            a factory that returns something without ``predict``.
    """
    return resolve_spec(spec)(dict(settings or {}))


def _load_hf(rest: str, settings: Mapping[str, Any]) -> Model:
    from genbench.models._hf import HFModelError, load_hf

    try:
        return load_hf(rest, settings)
    except HFModelError as error:
        raise ModelSpecError(str(error)) from None


def _load_openai(rest: str, settings: Mapping[str, Any]) -> Model:
    from genbench.models._openai import load_openai

    return load_openai(rest, settings)


def _load_diffusers(rest: str, settings: Mapping[str, Any]) -> Model:
    from genbench.models._diffusers import load_diffusers

    return load_diffusers(rest, settings)


def _load_compose(rest: str, settings: Mapping[str, Any]) -> Model:
    from genbench.models._compose import load_compose

    return load_compose(rest, settings, resolve_spec, default_model_name)


def _compose_name(rest: str) -> str:
    from genbench.models._compose import composition_name

    return composition_name(rest, default_model_name)


def _on_disk(file_name: str) -> SpecCheck:
    def check(rest: str, settings: Mapping[str, Any]) -> None:
        from genbench.models._runtime import check_on_disk

        check_on_disk(rest, file_name, bool(settings.get("allow_download")))

    return check


def _check_openai(rest: str, settings: Mapping[str, Any]) -> None:
    from genbench.models._openai import parse_spec

    try:
        parse_spec(rest)
    except ValueError as error:
        raise ModelSpecError(str(error)) from None


def _check_compose(rest: str, settings: Mapping[str, Any]) -> None:
    from genbench.models._compose import parse_composition

    for route in parse_composition(rest).routes:
        check_model_spec(route.spec, {**settings, **route.options})


register_scheme("hf", _load_hf, check=_on_disk("config.json"))
register_scheme("openai", _load_openai, check=_check_openai)
register_scheme("diffusers", _load_diffusers, check=_on_disk("model_index.json"))
register_scheme("compose", _load_compose, _compose_name, _check_compose)


def default_model_name(spec: str) -> str:
    """The name a spec's outputs are filed under when ``--model-name`` is not given."""
    scheme, sep, rest = spec.partition(":")
    if sep and scheme in _NAMERS:
        return _NAMERS[scheme](rest)
    if sep and scheme in _SCHEMES:
        # hf:Qwen/Qwen2.5-VL-7B-Instruct -> Qwen2.5-VL-7B-Instruct; openai:url#model -> model
        return rest.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or spec
    return spec
