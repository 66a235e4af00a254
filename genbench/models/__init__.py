"""Model adapters behind one small protocol, selected by a spec string."""

from genbench.models._baseline import BaselineModel
from genbench.models._protocol import (
    Model,
    ModelError,
    OutputKind,
    Request,
    request_inputs,
    unsupported,
)
from genbench.models._registry import (
    ModelSpecError,
    check_model_spec,
    default_model_name,
    load_model,
    register_scheme,
)

__all__ = [
    "BaselineModel",
    "Model",
    "ModelError",
    "ModelSpecError",
    "OutputKind",
    "Request",
    "check_model_spec",
    "default_model_name",
    "load_model",
    "register_scheme",
    "request_inputs",
    "unsupported",
]
