# The two commands of the README: `make run` and `make test`. Everything else is set-up they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-fast lint bench clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $@

HOST ?= 127.0.0.1
PORT ?= 8000

run: $(STAMP)
	$(BIN)/antrian init
	$(BIN)/antrian serve --host $(HOST) --port $(PORT)

# The whole suite: starts a throwaway PostgreSQL (unless ANTRIAN_TEST_DATABASE_URL is set) and
# requires it and Chromium, so nothing is skipped. See scripts/test_postgres.sh.
test: $(STAMP)
	bash scripts/run_tests.sh

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not browser and not postgres"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Texts: Indonesian msgids in the code and templates, English in antrian/translations/en.
# Extract them, merge them into both catalogues, compile the .mo files (committed, so a fresh
# clone runs without this step). Then fill every empty msgstr in en/LC_MESSAGES/messages.po
# and run it again; tests/i18n fail on a message without English.
I18N := antrian/translations
translations: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --add-location=file \
		--sort-output --no-wrap --project=Antrian -o $(I18N)/messages.pot .
	$(BIN)/pybabel -q update -i $(I18N)/messages.pot -d $(I18N) --no-fuzzy-matching --no-wrap \
		--ignore-obsolete
	$(BIN)/pybabel -q compile -d $(I18N)

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) instance .pytest_cache
