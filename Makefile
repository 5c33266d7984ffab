# Portal Rekam KTP-el Mojokerto. `make run` serves the portal, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PICCOLO_CONF := portal.piccolo_conf
# A test run starts hundreds of Python processes (servers, `portal` commands, helpers).
# Where the environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE, common in
# containers) every one of them compiled each module it imports again, about a second of
# CPU apiece. Compiled files go to var/pycache instead, outside the source tree.
export PYTHONPYCACHEPREFIX := $(CURDIR)/var/pycache
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install python-deps bench-deps node run migrate demo-data test suites lint typecheck unit integration integration-sqlite integration-postgres reliability e2e bench format clean

help: ## Show this help
	@awk 'BEGIN{FS=":.*##"} /^[a-z-]+:.*##/ {printf "  %-22s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

# `uv sync` removes whatever the groups it is given do not list: once the bench group is in,
# later syncs keep it, or a lock change followed by `make run` would drop granian again.
$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --quiet $(if $(wildcard $(VENV)/.installed-bench),--group bench)
	@touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(UV) sync --frozen --quiet --group bench
	@touch $@

python-deps: $(VENV)/.installed ## The virtualenv with the locked Python dependencies (all `make run` needs)

bench-deps: $(VENV)/.installed-bench ## python-deps plus the bench group (granian, for bench/servers.py)

install: python-deps bench-deps node ## Python dependencies (with the bench group) plus the npm test tools

# Test and measurement tools from npm (axe-core, vnu-jar, lighthouse); the portal has no JS build.
# --ignore-scripts: nothing may download a browser or binary of its own.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

node: node_modules/.installed ## Install the npm test tools (axe-core, vnu-jar, lighthouse)

migrate: python-deps ## Apply database migrations
	$(BIN)/portal migrate

demo-data: migrate ## Load regions, locations, requirements and demo accounts
	$(BIN)/portal demo-data

run: demo-data ## Set up, migrate, load demo data and serve on http://127.0.0.1:8000
	$(BIN)/portal serve --host 127.0.0.1 --port 8000

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install ## mypy over portal/ (configured in pyproject.toml)
	$(BIN)/mypy

format: install ## Reformat the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

unit: install ## Unit tests (rules, no database)
	$(YIELD) $(BIN)/pytest -q tests/unit

integration-sqlite: install ## Integration tests on SQLite
	PORTAL_TEST_ENGINE=sqlite $(YIELD) $(BIN)/pytest -q tests/integration

integration-postgres: install ## Integration tests on PostgreSQL (PORTAL_TEST_POSTGRES_URL)
	PORTAL_TEST_ENGINE=postgres $(YIELD) $(BIN)/pytest -q tests/integration

integration: integration-sqlite integration-postgres ## Integration tests on both engines

reliability: install ## Outage, crash and multi-process tests on throwaway PostgreSQL clusters
	$(BIN)/pytest -q tests/reliability

e2e: install ## Browser tests (Playwright + Debian's Chromium, phone viewport)
	$(BIN)/pytest -q e2e

# The suites run side by side, TEST_JOBS at a time: much of their time is spent waiting
# on PostgreSQL, servers, clusters and the browser, so one suite alone leaves a core idle.
# Each uses a database, ports and folders of its own. --output-sync prints a suite's whole
# output when it ends, so the log reads one suite after another; any failing suite fails
# `make test` (after the others have finished). The suites that only need CPU (unit,
# integration) run niced: they yield it to the two that wait on clocks (reliability's
# recovery limits, the browser's waits for pages), which start first and set the pace.
TEST_JOBS ?= 5
SUITES := e2e reliability integration-postgres integration-sqlite unit
YIELD ?=

test: lint typecheck ## Every check: lint and mypy, then unit, integration (both engines), reliability, browser side by side
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target suites YIELD="nice -n 10"

suites: $(SUITES)

bench: install ## Run every benchmark script under bench/ and print one table
	$(BIN)/python bench/run_all.py

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var .pytest_cache .ruff_cache
