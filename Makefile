# Dealwise: `make run` (install + serve the demo on 127.0.0.1:8000) and `make test` (install + the whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
SERVICES ?= auto

.PHONY: run test install services lint bench clean help

help:
	@echo "make run    install everything and serve the seeded demo workspace on http://$(HOST):$(PORT)"
	@echo "make test   install everything (and, as root, PostgreSQL/Redis/Chromium) and run the whole suite"
	@echo "make lint   ruff + mypy;  make bench  the benchmarks (needs ../shared)"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/dealwise serve --demo --host $(HOST) --port $(PORT)

services:
	@if [ "$(SERVICES)" != "0" ]; then bash .ci/services.sh || echo "services: not started (tests that need them will skip)"; fi

test: install services
	@set -a; [ -f .ci/services.env ] && . ./.ci/services.env; set +a; $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy assistant tools transcription retrieval api prompts crm scoring

bench: install
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .ci/services.env
