# firstline developer entry points.
#
#   make demo       create .venv, install, load the sample corpus, print a summary
#   make test       run the test suite against SQLite and PostgreSQL, and the web interface in Chromium
#   make lint       ruff check + ruff format --check
#   make typecheck  mypy (strict on the firstline package; config in pyproject.toml)
#   make i18n       re-extract the interface's messages, update the French catalogue, compile it
#   make bench      run the benchmark harness
#   make clean      remove caches and build artefacts (keeps .venv and data/)
#   make distclean  clean + remove .venv and data/
#
# Everything here is non-interactive. Useful overrides:
#     make test PYTEST_ARGS='-k screening -x'
#     FIRSTLINE_TEST_BACKENDS=sqlite make test     (no PostgreSQL needed)
#     make install PYTHON=/usr/bin/python3.12

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# Interpreter used to create the venv: python3.11 if present, else python3.
# Version >= 3.11 is enforced when the venv is created.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null || echo python3)

VENV  := .venv
BIN   := $(VENV)/bin
PY    := $(BIN)/python
PIP   := $(PY) -m pip --disable-pip-version-check --no-input
STAMP := $(VENV)/.installed

# Only pass paths that exist (bench/ may not be there yet on a fresh clone).
LINT_PATHS := $(wildcard firstline tests bench)

PYTEST_ARGS ?=

.PHONY: help demo install test lint typecheck bench i18n clean distclean

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

# --- environment -------------------------------------------------------------

$(PY):
	@command -v "$(PYTHON)" >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' not found; install Python 3.11+ (e.g. apt-get install python3 python3-venv)" >&2; exit 1; }
	@"$(PYTHON)" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "error: $(PYTHON) is $$("$(PYTHON)" -V 2>&1); firstline needs Python 3.11+" >&2; exit 1; }
	"$(PYTHON)" -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install -e '.[dev]'
	@touch $@

install: $(STAMP)

# --- README commands ---------------------------------------------------------

demo: install
	$(BIN)/firstline demo

test: install
	@if [[ ",$${FIRSTLINE_TEST_BACKENDS:-sqlite,postgres}," == *,postgres,* ]]; then \
	  bash scripts/ensure-services.sh chromium postgres; \
	else \
	  echo "FIRSTLINE_TEST_BACKENDS=$${FIRSTLINE_TEST_BACKENDS}: not starting PostgreSQL" >&2; \
	  bash scripts/ensure-services.sh chromium; \
	fi
	@if $(PY) -c 'import xdist' >/dev/null 2>&1; then \
	  set -x; $(BIN)/pytest -p xdist -n auto $(PYTEST_ARGS); \
	else \
	  set -x; $(BIN)/pytest $(PYTEST_ARGS); \
	fi

# --- quality gates -----------------------------------------------------------

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

typecheck: install
	$(BIN)/mypy

bench: install
	$(PY) bench/run.py

# --- translations --------------------------------------------------------------
# Then translate the new or fuzzy entries of firstline/web/locales/fr/LC_MESSAGES/messages.po
# (a translation edited by hand needs `make i18n` again to compile). See docs/web.md.

LOCALES := firstline/web/locales
PYBABEL := $(BIN)/pybabel

i18n: install
	$(PYBABEL) extract -F babel.cfg -o $(LOCALES)/messages.pot --project=firstline \
	  --add-location=file --sort-output --width=100 --msgid-bugs-address= .
	@for lang in fr; do \
	  po=$(LOCALES)/$$lang/LC_MESSAGES/messages.po; \
	  if [[ -f $$po ]]; then \
	    $(PYBABEL) update -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang --width=100 --ignore-obsolete; \
	  else \
	    $(PYBABEL) init -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang --width=100; \
	  fi; \
	done
	$(PYBABEL) compile -d $(LOCALES) --statistics

# --- housekeeping --------------------------------------------------------------

clean:
	rm -rf build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis bench/out
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) data
