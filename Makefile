# The two commands of the README: `make demo` and `make test`.
# Both create .venv/ with Python 3.11 when it is missing and install the project into it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean-venv

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/scribe models install base
	@touch $(STAMP)

demo: $(STAMP)
	@echo "== typed dictation (fixtures/demo/dictation.txt): structured note and coding as JSON"
	$(BIN)/scribe extract fixtures/demo/dictation.txt --format json
	@echo "== the same session dictated (fixtures/demo/dictation.flac), transcribed locally"
	$(BIN)/scribe extract fixtures/demo/dictation.flac --format text

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy scribe api

unit: $(STAMP)
	@.ci/chromium install
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/negex.py

clean-venv:
	rm -rf $(VENV)
