# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The web app and API on http://127.0.0.1:8000 (loopback only); `cruce --help` lists the rest.
run: $(STAMP)
	$(BIN)/cruce serve

# The browser tests render pages in Debian's Chromium (never a browser a test tool downloads).
$(CHROMIUM):
	@echo "installing Debian's chromium for the browser tests"
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || (echo "could not install Debian's chromium: run 'apt-get install chromium' as root" && exit 1)

test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench_cold_start.py
	$(BIN)/python benchmarks/bench_determinations.py
	$(BIN)/python benchmarks/bench_audit.py
	$(BIN)/python benchmarks/bench_exposure.py
	$(BIN)/python benchmarks/bench_simulation.py
	$(BIN)/python benchmarks/bench_api_load.py --concurrency 16
	$(BIN)/python -m pip install --quiet -e '.[test,bench,peers]'
	$(BIN)/python benchmarks/bench_openfisca.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
