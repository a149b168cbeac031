# Entry points. `make report` and `make test` are the whole set-up on a fresh machine with
# Python 3.11+ and git: both create .venv and install the package when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DOCS_STAMP := $(VENV)/.docs-stamp

.PHONY: help venv report test test-slow lint format sample docs bench clean

help:
	@echo "make report     validate the embedded data and build every report (creates .venv)"
	@echo "make test       lint and run the test suite (creates .venv)"
	@echo "make test-slow  run the slow checks too"
	@echo "make sample     regenerate data/sample with impact simulate"
	@echo "make docs       regenerate docs/data-model.md and build the documentation site"
	@echo "make bench      run the benchmarks in bench/"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "impact needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

report: $(STAMP)
	$(BIN)/impact validate data/sample data/published data/programmes/*/
	$(BIN)/impact run --all --jobs 2
	@echo "open reports/index.html"

test: $(STAMP) lint
	$(BIN)/python -m pytest

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

sample: $(STAMP)
	$(BIN)/impact simulate --out data/sample

$(DOCS_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	@touch $(DOCS_STAMP)

# The data-model page from the schema, then the site from docs/ and the docstrings
# (Sphinx, warnings as errors) into docs/_build/html.
docs: $(DOCS_STAMP)
	$(BIN)/impact schema --out docs/data-model.md
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html
	@echo "open docs/_build/html/index.html"

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/estimators.py
	$(BIN)/python bench/coverage.py
	$(BIN)/python bench/reports.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info docs/_build
