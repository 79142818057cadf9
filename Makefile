# Set-up, run and test. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python >= 3.12 on PATH, or in pyenv's versions; override with PYTHON=/path/to/python.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	p=$$(command -v $$c 2>/dev/null) && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& echo $$p && break; done)
# make check-content runs answer code against real PyTorch, whose local CPU wheel is for Python 3.11.
TORCH_PYTHON ?= $(shell for c in python3.11 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.11*/bin/python3 2>/dev/null); do \
	p=$$(command -v $$c 2>/dev/null) && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
	&& echo $$p && break; done)
TORCH_VERSION ?= 2.13.0

VENV := .venv
BIN := $(VENV)/bin
TORCH_VENV := .venv-torch
DEV_ENV := DJANGO_DEBUG=1
PORT ?= 8000

.PHONY: help setup port-free run test lint format check-content bench profile curator clean

help:
	@echo "make run            set up everything and serve http://127.0.0.1:8000 (PORT=8001 for another port)"
	@echo "make test           run the whole test suite"
	@echo "make lint           ruff check and format check"
	@echo "make check-content  run every runnable code block of the question bank against PyTorch"
	@echo "make bench          measure throughput and latency against a bare Django view"
	@echo "make profile        in-process medians and query counts of the quiz page, answers and dashboard"
	@echo "make curator USER=name  put an existing user in the Curators group"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.12 or newer found. Install one or pass PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalls only when a requirements file changes, so a second `make run` starts in seconds.
$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core (accessibility checks in the browser tests only, never served to users) from npm.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { echo "The browser tests need npm for axe-core: apt-get install npm"; exit 1; }
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed

# Checked before anything is migrated or loaded, so a second `make run` changes nothing.
port-free: setup
	@$(BIN)/python -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", $(PORT)))' 2>/dev/null \
		|| { echo "Port $(PORT) is in use (is the site already running?). Stop that, or choose another: make run PORT=8001"; exit 1; }

# The task worker (it sends mail) runs beside the server and stops with it.
run: setup port-free
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py load_question_bank
	$(DEV_ENV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
		$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup $(AXE)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(TORCH_VENV)/.installed:
	@test -n "$(TORCH_PYTHON)" || { echo "check-content needs Python 3.11 (PyTorch's local CPU wheel). Pass TORCH_PYTHON=..."; exit 1; }
	$(TORCH_PYTHON) -m venv $(TORCH_VENV)
	$(TORCH_VENV)/bin/pip install --quiet torch==$(TORCH_VERSION) numpy PyYAML==6.0.3
	touch $@

check-content: $(TORCH_VENV)/.installed
	$(TORCH_VENV)/bin/python scripts/check_content.py content/bank

# wrk drives the load; installed from Debian's packages when missing (as root).
bench: setup
	@command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 \
		|| { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; } \
		|| echo "Could not install wrk: apt-get install wrk"; }
	$(BIN)/python scripts/bench.py

curator: setup
	@test "$(origin USER)" = "command line" || { echo "Usage: make curator USER=username"; exit 1; }
	$(DEV_ENV) $(BIN)/python manage.py make_curator $(USER)

clean:
	rm -rf $(VENV) $(TORCH_VENV) staticfiles .pytest_cache .ruff_cache tests/browser/node_modules

profile: setup
	$(BIN)/python scripts/profile_core_loop.py

# Operations: load test, backups. (PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set.)
.PHONY: loadtest backup restore

loadtest: setup
	$(BIN)/python scripts/loadtest.py

backup: setup
	$(BIN)/python manage.py backup_database

restore: setup
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/prep-....sqlite3 (or .pgdump) [FORCE=1]"; exit 1; }
	$(BIN)/python manage.py restore_database "$(FILE)" $(if $(FORCE),--force)
