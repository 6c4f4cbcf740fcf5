# Lotline (批次链). `make run` starts the demo; `make test` runs every check. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The first Python 3.11+ found (override: make run PYTHON=/path/to/python3.12).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
# Stamps: a second run installs nothing unless pyproject.toml changed.
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NODE_DIR := contracts_solidity
NODE_STAMP := $(NODE_DIR)/node_modules/.installed
# graphql-http's server audits (tests/e2e/http): their own package.json and lock file.
AUDIT_DIR := tests/e2e/http
AUDIT_STAMP := $(AUDIT_DIR)/node_modules/.installed

.PHONY: help run test lint fmt bench clean migrations services

help:
	@echo "make run         start the demo (SQLite under var/): migrate, seed once, serve on 127.0.0.1:8000"
	@echo "make test        install dev deps, start PostgreSQL + Redis if needed, lint, type-check, pytest"
	@echo "make lint        ruff check, ruff format --check, mypy, lint-imports"
	@echo "make fmt         ruff format and ruff check --fix"
	@echo "make bench       run the benchmarks (bench/README.md keeps the latest figures)"
	@echo "make migrations  write a migration for model changes (review it before committing)"
	@echo "make clean       remove var/ (the demo database and token)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.11+ is required (set PYTHON=...)" >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e '.[dev]'
	touch $@ $(STAMP)

# The contract's tests compile with solc-js and run Anvil from npm (see STYLE.md): install them like CI would.
$(NODE_STAMP): $(wildcard $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json)
	@if [ -f $(NODE_DIR)/package.json ]; then \
		if [ -f $(NODE_DIR)/package-lock.json ] && [ ! -d $(NODE_DIR)/node_modules ]; then \
			npm ci --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error; \
		else npm install --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error; fi; \
		mkdir -p $(NODE_DIR)/node_modules && touch $@; fi

$(AUDIT_STAMP): $(AUDIT_DIR)/package.json $(AUDIT_DIR)/package-lock.json
	npm ci --prefix $(AUDIT_DIR) --no-audit --no-fund --loglevel=error
	touch $@

run: $(STAMP)
	@# The demo's local chain is Anvil from npm; without npm it still serves, unanchored.
	@if [ -f $(NODE_DIR)/package-lock.json ] && [ ! -d $(NODE_DIR)/node_modules ]; then \
		if command -v npm >/dev/null; then npm ci --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error; \
		else echo "npm not found: the demo runs without its chain (events stay unanchored)" >&2; fi; fi
	mkdir -p var
	$(BIN)/lotline migrate
	$(BIN)/lotline seed-demo
	exec $(BIN)/lotline serve

services:
	scripts/ensure-services.sh

test: $(DEV_STAMP) $(if $(wildcard $(NODE_DIR)/package.json),$(NODE_STAMP)) $(AUDIT_STAMP)
	scripts/ensure-services.sh
	VENV=$(VENV) scripts/check.sh all

lint: $(DEV_STAMP)
	VENV=$(VENV) scripts/check.sh lint

fmt: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(DEV_STAMP)
	scripts/ensure-services.sh
	@shopt -s nullglob; files=(bench/bench_*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "no benchmarks yet (bench/bench_*.py)"; fi; \
	for f in "$${files[@]}"; do m=$${f%.py}; echo "==> $$f"; $(BIN)/python -m $${m//\//.}; done

# Tortoise's built-in migrations: model changes -> lotline/migrations/NNNN_*.py.
migrations: $(DEV_STAMP)
	mkdir -p var
	$(BIN)/python -c 'import json; from lotline.config import Settings; from lotline.db import tortoise_config; \
	print(json.dumps(tortoise_config(Settings(database_url="sqlite://var/makemigrations.sqlite3"))))' \
	> var/tortoise-makemigrations.json
	$(BIN)/tortoise --config-file var/tortoise-makemigrations.json makemigrations

clean:
	rm -rf var/
