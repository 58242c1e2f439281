# VisionSpace: `make run` starts the product, `make test` runs the whole suite.
# Both bootstrap what they need (venv, Python and npm packages) on a fresh machine.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LOCK_HASH := $(shell sha256sum requirements-dev.lock | cut -c1-16)
PY_STAMP := $(VENV)/.installed-$(LOCK_HASH)
NPM_STAMP := node_modules/.package-lock.json
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test deps lock bench check-docker clean

run: deps
	exec $(PY) manage.py runstack --host $(HOST) --port $(PORT)

test: deps
	$(PY) -m pytest $(PYTEST_ARGS)

deps: $(PY_STAMP) $(NPM_STAMP)

$(PY_STAMP): requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Re-pin every dependency after editing requirements*.in (needs uv: pip install uv).
lock:
	uv pip compile --quiet --python-version 3.11 --generate-hashes requirements.in -o requirements.lock
	uv pip compile --quiet --python-version 3.11 --generate-hashes requirements-dev.in -o requirements-dev.lock

bench: deps
	$(PY) bench/ws_broadcast.py
	$(PY) bench/catalogue.py
	$(PY) bench/render.py

clean:
	rm -rf var staticfiles test-artifacts
