# `make run` and `make test` are the only commands a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_CATALOGUE := catalogue/demo/activities.csv
POSTGRES_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres lint typecheck format bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Migrate the embedded database, load the demo catalogue, start the bot (or the sandbox chat).
run: $(STAMP)
	$(BIN)/chorus migrate
	@if [ -f $(DEMO_CATALOGUE) ]; then $(BIN)/chorus catalogue import $(DEMO_CATALOGUE) --quiet; fi
	$(BIN)/chorus run

## Every check: formatting, lint, types, and the whole test suite on SQLite.
test: $(STAMP) lint typecheck
	$(BIN)/pytest

## The whole suite again with PostgreSQL as the database under test.
test-postgres: $(STAMP)
	CHORUS_TEST_DATABASE=$(POSTGRES_TEST_URL) $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
