# The two commands of the README: `make run` and `make test`. Everything else is set-up they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-fast lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $@

run: $(STAMP)
	$(BIN)/antrian init
	$(BIN)/antrian serve

# The whole suite: starts a throwaway PostgreSQL (unless ANTRIAN_TEST_DATABASE_URL is set) and
# requires it and Chromium, so nothing is skipped. See scripts/test_postgres.sh.
test: $(STAMP)
	bash scripts/run_tests.sh

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not browser and not postgres"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) instance .pytest_cache
