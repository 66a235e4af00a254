"""genbench: evaluate multimodal generalist models on General-Bench and compute General-Level."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("genbench")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
