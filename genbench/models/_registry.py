"""Model specs: ``baseline`` (the default), ``hf:<id or folder>``, ``openai:<url>#<model>``,
or ``module.path:factory`` for your own adapter.

A factory is called with the run's settings as keyword arguments it accepts (``seed``,
``device``, ...) and must return an object following :class:`genbench.models.Model`.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from genbench.models._baseline import BaselineModel
from genbench.models._protocol import Model

ModelLoader = Callable[[str, Mapping[str, Any]], Model]
#: Checks a spec's rest before anything loads; raises ModelSpecError with the reason.
SpecCheck = Callable[[str, Mapping[str, Any]], None]

_SCHEMES: dict[str, ModelLoader] = {}
_CHECKS: dict[str, SpecCheck] = {}


class ModelSpecError(ValueError):
    """A model spec that names no known adapter or cannot be loaded."""


def register_scheme(scheme: str, loader: ModelLoader, check: SpecCheck | None = None) -> None:
    """Let ``<scheme>:<rest>`` specs load through ``loader(rest, settings)``; ``check``, if
    given, validates a spec cheaply before a run starts (no weights loaded).
    """
    _SCHEMES[scheme] = loader
    if check is not None:
        _CHECKS[scheme] = check


def check_model_spec(spec: str, settings: Mapping[str, Any] | None = None) -> None:
    """Validate a model spec before any item runs, without loading weights: a known
    scheme whose check passes, or an importable ``module.path:factory``.

    Raises:
        ModelSpecError: the spec cannot load; the message says why in one line.
    """
    if spec == "baseline":
        return
    scheme, sep, rest = spec.partition(":")
    if sep and scheme in _SCHEMES:
        if scheme in _CHECKS:
            _CHECKS[scheme](rest, dict(settings or {}))
        return
    if sep and rest.isidentifier():
        try:
            module = importlib.import_module(scheme)
        except ImportError as error:
            raise ModelSpecError(f"model {spec!r}: cannot import {scheme}: {error}") from None
        if not callable(getattr(module, rest, None)):
            raise ModelSpecError(f"model {spec!r}: {scheme} has no factory {rest!r}")
        return
    known = ", ".join(["baseline", *(f"{s}:..." for s in _SCHEMES), "module.path:factory"])
    raise ModelSpecError(f"model {spec!r}: unknown spec (known: {known})")


def _call_with_accepted(factory: Callable[..., Any], settings: Mapping[str, Any]) -> Any:
    parameters = inspect.signature(factory).parameters
    takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    kwargs = {k: v for k, v in settings.items() if takes_all or k in parameters}
    return factory(**kwargs)


def load_model(spec: str, settings: Mapping[str, Any] | None = None) -> Model:
    """Load the model a spec names.

    Raises:
        ModelSpecError: an unknown scheme, a module or factory that cannot be imported, or
            a factory that returns something without ``predict``.
    """
    settings = dict(settings or {})
    if spec == "baseline":
        return BaselineModel(seed=int(settings.get("seed", 0)))
    scheme, sep, rest = spec.partition(":")
    if sep and scheme in _SCHEMES:
        return _SCHEMES[scheme](rest, settings)
    if sep and rest.isidentifier():
        try:
            factory = getattr(importlib.import_module(scheme), rest)
        except (ImportError, AttributeError) as error:
            raise ModelSpecError(
                f"model {spec!r}: cannot import {scheme}:{rest}: {error}"
            ) from None
        model = _call_with_accepted(factory, settings)
        if not isinstance(model, Model):
            raise ModelSpecError(
                f"model {spec!r}: {rest}() returned {type(model).__name__}, "
                "which has no name/settings/predict"
            )
        return model
    known = ", ".join(["baseline", *(f"{s}:..." for s in _SCHEMES), "module.path:factory"])
    raise ModelSpecError(f"model {spec!r}: unknown spec (known: {known})")


def _load_hf(rest: str, settings: Mapping[str, Any]) -> Model:
    from genbench.models._hf import HFModelError, load_hf

    try:
        return load_hf(rest, settings)
    except HFModelError as error:
        raise ModelSpecError(str(error)) from None


def _load_openai(rest: str, settings: Mapping[str, Any]) -> Model:
    from genbench.models._openai import load_openai

    return load_openai(rest, settings)


def _check_hf(rest: str, settings: Mapping[str, Any]) -> None:
    from genbench.models._hf import HFModelError, check_hf

    try:
        check_hf(rest, bool(settings.get("allow_download")))
    except HFModelError as error:
        raise ModelSpecError(str(error)) from None


def _check_openai(rest: str, settings: Mapping[str, Any]) -> None:
    from genbench.models._openai import parse_spec

    try:
        parse_spec(rest)
    except ValueError as error:
        raise ModelSpecError(str(error)) from None


register_scheme("hf", _load_hf, _check_hf)
register_scheme("openai", _load_openai, _check_openai)


def default_model_name(spec: str) -> str:
    """The name a spec's outputs are filed under when ``--model-name`` is not given."""
    scheme, sep, rest = spec.partition(":")
    if sep and scheme in _SCHEMES:
        # hf:Qwen/Qwen2.5-VL-7B-Instruct -> Qwen2.5-VL-7B-Instruct; openai:url#model -> model
        return rest.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or spec
    return spec
