# The front door. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app qa_app
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The demo's session-signing key: random, made once, readable by this user only. The app reads it
# when SECRET_KEY is not set; it has no built-in key (qa_app/config.py).
SECRET_FILE := instance/secret_key
LINT_PATHS  := qa_app tests scripts

.PHONY: install i18n secret-key db demo serve test test-fast test-browser lint format bench train-reviews eval-reviews clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) i18n

i18n: $(STAMP)
	$(PY) scripts/i18n.py compile

$(SECRET_FILE):
	mkdir -p $(@D)
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > $@.tmp && mv $@.tmp $@

secret-key: $(SECRET_FILE)

db: install $(SECRET_FILE)
	$(FLASK) db upgrade
	$(FLASK) demo seed

demo: db
	@echo ""
	@echo "Serving the demo at http://$(HOST):$(PORT)"
	@echo "Log in as admin, trainer, qa, lead or agent; the password is: demo"
	@echo ""
	$(FLASK) run --host $(HOST) --port $(PORT)

serve: install
	$(VENV)/bin/gunicorn -c gunicorn.conf.py "qa_app:create_app()"

# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process, e.g. to debug.
TEST_WORKERS ?= auto

test: install
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Everything but the tests marked slow (property, bench, concurrency, migration data, browser).
test-fast: install
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not slow" $(PYTEST_ARGS)

# The browser journeys only (headless /usr/bin/chromium; skipped when it is absent).
test-browser: install
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

# Lint rules, formatting (checked, never rewritten here) and types of services and models
# (mypy's file list is in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format $(LINT_PATHS)
	$(VENV)/bin/ruff check --fix $(LINT_PATHS)

bench: install
	$(PY) scripts/bench.py $(BENCH_ARGS)

train-reviews: install
	$(PY) -m pip install --quiet -r requirements-train.txt
	$(PY) scripts/train_reviews.py

# Leave-one-source-out figures of the review classifier (slow: not part of `make test`).
eval-reviews: install
	$(PY) -m pip install --quiet -r requirements-train.txt
	$(PY) scripts/eval_reviews.py

clean:
	rm -rf $(VENV) instance/qa_app.sqlite3* .pytest_cache test-artifacts
