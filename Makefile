# Two entry points that work on a bare Debian machine: `make demo` and `make test`.
# Each step leaves a stamp so a second run starts in seconds.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMPS := .stamps
OUT    ?= media/lessons
LINTED := mfml_anim scenes tests bench scripts

.PHONY: setup demo test test-fast check-all lint audit bench clean

setup: $(STAMPS)/sysdeps $(STAMPS)/venv

$(STAMPS)/sysdeps: scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv: pyproject.toml $(STAMPS)/sysdeps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

demo: setup
	$(BIN)/mfml render chain-rule -q l --out $(OUT)

test: setup
	$(BIN)/python -m pytest -q -n 2 --durations=10

# Everything, including the sweeps over every example of every lesson (slow: tens of minutes).
check-all: setup
	$(BIN)/python -m pytest -q -n 2 -m "sweep or not sweep"
	$(MAKE) lint

test-fast: setup
	$(BIN)/python -m pytest -q -n 2 -m "not render and not sweep"

# The gates CI runs before the tests (.ci/run): ruff (with complexity <= 10 and lines <= 110),
# the formatter's check, and mypy at the strictness pyproject.toml sets.
lint: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

audit: setup
	$(BIN)/mfml audit --all

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(STAMPS) media .pytest_cache
