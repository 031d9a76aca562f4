# Essaim — the newcomer path is `make run` and `make test`, nothing else.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
ESSAIM_DATA_DIR ?= var
export ESSAIM_DATA_DIR

.PHONY: install install-test run test test-browser lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Development server and background worker together; Ctrl+C stops both.
run: install
	ESSAIM_DEBUG=$${ESSAIM_DEBUG:-1} $(BIN)/essaim migrate --noinput
	ESSAIM_DEBUG=$${ESSAIM_DEBUG:-1} $(BIN)/essaim demo --if-empty
	ESSAIM_DEBUG=$${ESSAIM_DEBUG:-1} $(BIN)/essaim run-all --port $(PORT)

# The whole suite but the browser tests, on SQLite unless DATABASE_URL says otherwise.
test: install-test
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

# Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium), with axe-core.
test-browser: install-test
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	ESSAIM_DEBUG=1 $(BIN)/essaim makemigrations --check --dry-run

bench: install-test
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/ .pytest_cache
