# juesuan — two commands do everything: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

export JUESUAN_WAREHOUSE ?= $(CURDIR)/data/warehouse.duckdb
export JUESUAN_REPORTS ?= $(CURDIR)/seeds/reports
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
export DBT_PROFILES_DIR ?= $(CURDIR)/dbt
# dbt must not phone home: no network at run time.
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1

.PHONY: env run test dev lint clean findings dashboards system-deps

# The Dagster instance's config, with telemetry off (no network at run time; Dagster ignores
# DO_NOT_TRACK): written once, kept if the operator already has one that says.
INSTANCE_CONFIG = mkdir -p $(DAGSTER_HOME) && \
	(grep -qs '^telemetry:' $(DAGSTER_HOME)/dagster.yaml || \
	 printf 'telemetry:\n  enabled: false\n' >> $(DAGSTER_HOME)/dagster.yaml)

env: $(STAMP)

# uv resolves and installs the pinned lock in seconds; fall back to pip if uv is unavailable.
# Bytecode is compiled at install: with PYTHONDONTWRITEBYTECODE set (as on our dev machines)
# every process would otherwise compile every module it imports (GX alone: 3 s of 6).
$(STAMP): requirements.lock pyproject.toml Makefile
	@command -v uv >/dev/null 2>&1 || python3 -m pip install -q uv || true
	@if command -v uv >/dev/null 2>&1; then \
	  uv venv -q --allow-existing -p 3.11 $(VENV) && \
	  uv pip install -q --compile-bytecode -p $(PY) -r requirements.lock && \
	  uv pip install -q --compile-bytecode -p $(PY) --no-deps -e . ; \
	else \
	  python3 -m venv $(VENV) && $(PY) -m pip install -q -r requirements.lock && \
	  $(PY) -m pip install -q --no-deps -e . ; \
	fi
	@touch $(STAMP)

run: $(STAMP)
	@mkdir -p $(dir $(JUESUAN_WAREHOUSE)) && $(INSTANCE_CONFIG)
	$(BIN)/juesuan run

findings: $(STAMP)
	$(BIN)/juesuan findings

# Test files run on both cores (pytest-xdist), a file's tests in one process so that its
# module fixtures (a loaded warehouse) are built once; TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= 2
test: $(STAMP)
	@$(INSTANCE_CONFIG)
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

# The dashboards on http://127.0.0.1:8501, offline (.streamlit/config.toml: no usage statistics,
# this machine only); they read the BI file `make run` publishes, never the warehouse.
dashboards: $(STAMP)
	$(BIN)/streamlit run dagster_project/dashboards/app.py --server.address 127.0.0.1 \
		--server.port $${JUESUAN_DASHBOARDS_PORT:-8501}

dev: $(STAMP)
	@mkdir -p $(dir $(JUESUAN_WAREHOUSE)) && $(INSTANCE_CONFIG)
	cd dbt && ../$(BIN)/dbt parse --quiet
	@# Not `dagster dev`: its webserver answers any Host header and GraphQL mutations sent as
	@# GET, so any page visited could launch runs. The UI runs behind dagster_project/webserver.py
	@# (127.0.0.1, own Host and Origin only); the daemon beside it runs the sensor.
	$(BIN)/dagster-daemon run -m dagster_project.definitions & daemon=$$!; \
	trap 'kill $$daemon 2>/dev/null' EXIT INT TERM; \
	$(PY) -m dagster_project.webserver --port 3000

# Redis and Chromium for the Celery and browser tests (root; CI calls it from .ci/run).
system-deps:
	bash .ci/system-deps

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

clean:
	rm -rf data dbt/target dbt/logs .pytest_cache .ruff_cache logs
