"""Model adapters behind one small protocol, selected by a spec string."""

from genbench.models._baseline import BaselineModel
from genbench.models._protocol import (
    Model,
    ModelError,
    ModelSpecError,
    OutputKind,
    Request,
    capability_gap,
    request_inputs,
    unsupported,
)
from genbench.models._registry import (
    check_model_spec,
    default_model_name,
    load_model,
    register_scheme,
    resolve_spec,
)

__all__ = [
    "BaselineModel",
    "Model",
    "ModelError",
    "ModelSpecError",
    "OutputKind",
    "Request",
    "capability_gap",
    "check_model_spec",
    "default_model_name",
    "load_model",
    "register_scheme",
    "request_inputs",
    "resolve_spec",
    "unsupported",
]
