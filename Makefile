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

.PHONY: help setup run test lint format check-content bench curator clean

help:
	@echo "make run            set up everything and serve http://127.0.0.1:8000"
	@echo "make test           run the whole test suite"
	@echo "make lint           ruff check and format check"
	@echo "make check-content  run every runnable code block of the question bank against PyTorch"
	@echo "make bench          measure throughput and latency against a bare Django view"
	@echo "make curator USER=name  put an existing user in the Curators group"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.12 or newer found. Install one or pass PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalls only when a requirements file changes, so a second `make run` starts in seconds.
$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py load_question_bank
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup
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

bench: setup
	$(BIN)/python scripts/bench.py

curator: setup
	@test "$(origin USER)" = "command line" || { echo "Usage: make curator USER=username"; exit 1; }
	$(DEV_ENV) $(BIN)/python manage.py make_curator $(USER)

clean:
	rm -rf $(VENV) $(TORCH_VENV) staticfiles .pytest_cache .ruff_cache

# Operations: load test, backups. (PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set.)
.PHONY: loadtest backup restore

loadtest: setup
	$(BIN)/python scripts/loadtest.py

backup: setup
	$(BIN)/python manage.py backup_database

restore: setup
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/prep-....sqlite3 (or .dump) [FORCE=1]"; exit 1; }
	$(BIN)/python manage.py restore_database "$(FILE)" $(if $(FORCE),--force)
