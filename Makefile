# The two commands of the README. Each creates .venv when it is missing.
#   make bench   set up, then run the bundled sample benchmark with the default model
#   make test    set up, then lint, type-check and run the test suite (one xdist worker per core)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of torch; pyproject.toml's range admits it. Override for a CUDA build,
# e.g. make bench TORCH="torch==2.13.0 --index-url https://download.pytorch.org/whl/cu128".
TORCH ?= torch==2.13.0
STAMP := $(VENV)/.genbench-installed
ARGS ?=

.PHONY: setup bench test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@# genbench's bytecode, once: where Python writes none (PYTHONDONTWRITEBYTECODE, as on
	@# the project's machines) every process and xdist worker would compile it again
	$(BIN)/python -m compileall -q genbench
	touch $(STAMP)

setup: $(STAMP)

bench: $(STAMP)
	$(BIN)/pytest benchmarks $(ARGS)

test: $(STAMP)
	@# The report's browser test drives Debian's chromium: installed here when missing and
	@# run as root (CI); for anyone else the test skips and says why.
	command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest tests -n auto $(ARGS)
