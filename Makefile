# Persona Planner: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export FLASK_APP := wsgi

.PHONY: run test test-sqlite test-postgres install install-dev system-deps lint format vendor bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## Debian packages the browser tests need (Chromium, driven by Playwright; no browser download).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

## `make run PORT=8080 HOST=0.0.0.0` serves elsewhere: `flask serve` reads HOST and PORT.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask serve

test: install-dev system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	@# The two passes share nothing (own database, free ports, uniquely named Redis queues),
	@# so they run side by side, each printed whole when it ends.
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite:
	@echo "== suite on SQLite =="
	TEST_DATABASE_URL=sqlite $(BIN)/pytest -q

test-postgres:
	@echo "== suite on PostgreSQL ($(TEST_DATABASE_URL)) =="
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -q -m "not nodb and not once"

## Style, the architecture contracts (.importlinter) and types (pyproject.toml [tool.mypy]).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Refresh planner/static/vendor from the pinned npm packages (needs Node; running the app does not).
vendor:
	npm ci --no-audit --no-fund
	mkdir -p planner/static/vendor
	cp node_modules/@picocss/pico/css/pico.min.css planner/static/vendor/pico.min.css
	cp node_modules/htmx.org/dist/htmx.min.js planner/static/vendor/htmx.min.js
	cp node_modules/fullcalendar/index.global.min.js planner/static/vendor/fullcalendar.min.js
	cp node_modules/axe-core/axe.min.js planner/static/vendor/axe.min.js

bench: install-dev
	$(BIN)/python bench/audit_bench.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache
