# Sihai — two commands on a fresh clone: `make demo` and `make test`.
# Everything they need is installed here (a virtualenv in .venv, npm packages in node_modules).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
SIHAI := $(BIN)/sihai
DEMO_ENV := DJANGO_SETTINGS_MODULE=config.settings.demo

.PHONY: demo setup serve test check lint typecheck migrations-check pytest test-browser \
        messages compile-messages openapi-snapshot bench clean help

help:
	@echo "make demo   — install, migrate, load areas, seed the demo city, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   — ruff, mypy --strict, import contracts, migrations check, full pytest suite"

# --- set-up ----------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# htmx, ECharts and Leaflet from npm. Without npm the platform still runs (no charts or maps).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: continuing without htmx/ECharts/Leaflet (pages still work)"; fi

compile-messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null 2>&1 || { echo "installing gettext (msgfmt)"; apt-get install -y -qq gettext >/dev/null; }
	cd sihai && ../$(SIHAI) compilemessages --verbosity 0

setup: $(VENV)/.installed node_modules/.installed compile-messages

# --- the demo ----------------------------------------------------------------------------

demo: setup
	@mkdir -p var
	$(DEMO_ENV) $(SIHAI) migrate --verbosity 0
	$(DEMO_ENV) $(SIHAI) load-areas
	$(DEMO_ENV) $(SIHAI) seed-demo --scale demo
	@# Service-request reminders and escalation every 5 minutes, in the task worker below.
	$(DEMO_ENV) $(SIHAI) cases-sweep --enqueue --every 300
	@echo "Serving Sihai at http://127.0.0.1:$(PORT)/  (workbench: /workbench/, stop with Ctrl-C)"
	@# One task worker beside the server (register imports run in it); stopped with the server.
	$(DEMO_ENV) $(SIHAI) db_worker --interval 1 & worker=$$!; trap "kill $$worker" EXIT; \
	  $(DEMO_ENV) $(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --log-level warning

# --- checks ------------------------------------------------------------------------------

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy .
	$(BIN)/lint-imports

migrations-check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.test $(SIHAI) makemigrations --check --dry-run

pytest: setup
	$(BIN)/pytest -n 2 -q

check: lint typecheck migrations-check

test: setup check pytest

test-browser: setup
	$(BIN)/pytest -m browser -p no:xdist -q tests/browser

# Regenerate translation catalogues after changing strings (then translate the new entries).
messages: $(VENV)/.installed
	cd sihai && ../$(SIHAI) makemessages -l zh_Hans -l en --no-obsolete --add-location file

openapi-snapshot: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.test $(SIHAI) export_openapi_schema --api config.api.api --indent 2 --sorted --output docs/api/openapi.json

clean:
	rm -rf $(VENV) node_modules staticfiles var .mypy_cache .ruff_cache .pytest_cache
