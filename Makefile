# Two commands matter: `make run` and `make test` (see README.md).
# Both start from nothing but Python 3.11: uv is bootstrapped into .uv/ and the
# environment is built from uv.lock, so a fresh clone behaves like CI.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
PY := .venv/bin/python
# `make serve-prod` serves on 8100 unless PORT is given, beside `make run`.
SERVE_PROD_PORT := $(if $(filter undefined,$(origin PORT)),8100,$(PORT))
PORT ?= 8000
# The settings make links (e-mails, feeds) to the port served.
export PORT
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
# Every Python process of a run (xdist workers, manage.py, the tests' own
# subprocesses) would otherwise compile each module it imports anew: half of
# the CPU that starting Django takes.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install run serve-prod test bench bench-http bench-views wrk lint migrations-check test-sqlite test-postgres \
	test-browser test-plugins-off test-without-first-party-plugins chromium pango messages openbadges-validator \
	mutate

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV) pango
	$(UV) sync --frozen --python $(PYTHON) --quiet

# WeasyPrint (certificates as PDF) draws text with Debian's Pango.
pango:
	@ldconfig -p | grep -q libpangoft2-1.0 || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq libpangoft2-1.0-0 fonts-dejavu-core; \
		else echo "Install Pango for PDFs: sudo apt-get install -y libpangoft2-1.0-0"; exit 1; fi; }

run: install
	@# Quiet: a first run applies ~150 migrations, which buried the demo logins.
	$(PY) manage.py migrate --noinput --verbosity 0
	@echo "Database migrated."
	$(PY) manage.py load_demo
	$(PY) manage.py serve_with_worker 127.0.0.1:$(PORT)

# The production settings on this machine: PostgreSQL and Redis on 127.0.0.1
# (DATABASE_URL, CACHE_URL), migrate, collectstatic, then gunicorn with two
# web workers and one task worker (deploy/serve_prod.py, docs/deploy.md).
serve-prod: install
	PORT=$(SERVE_PROD_PORT) $(PY) deploy/serve_prod.py

# The stages of `make test`, two at a time, in two lanes: the SQLite then the
# PostgreSQL suite (two xdist workers each: CPU-bound, so never side by side —
# a PostgreSQL test waits on its server for every query, and with four workers
# and the server on two cores each round trip waits for a turn), and beside
# them the browser tests (chromium and a live server: a core, not two) then
# the plugins-off runs (one process each).
FIRST_PARTY_PLUGINS := toolkits coaching grantwriting discussions surveys partners
TEST_STAGES := lint migrations-check test-sqlite test-browser test-postgres test-plugins-off
STAGE_TIMES := .pytest_cache/stage-times

test: install chromium openbadges-validator
	@mkdir -p .pytest_cache && rm -f $(STAGE_TIMES)
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory -j2 --output-sync=target $(addprefix timed-,$(TEST_STAGES)); \
	rc=$$?; echo "== time per stage (two at a time)"; cat $(STAGE_TIMES); \
	echo "make test: $$(( $$(date +%s) - start )) s"; exit $$rc

# The lanes: each stage waits for the one before it in its lane.
timed-test-postgres: | timed-test-sqlite
timed-test-plugins-off: | timed-test-browser

# Runs a target and notes how long it took in STAGE_TIMES.
timed-%:
	@start=$$(date +%s); $(MAKE) --no-print-directory $*; rc=$$?; \
	echo "$*: $$(( $$(date +%s) - start )) s" >> $(STAGE_TIMES); exit $$rc

# Mutation testing of the high-risk modules (not part of `make test`): each
# module's mutants against the tests that cover it, then a table of killed and
# surviving mutants and the survivors. `make mutate MODULES=lms/delivery.py`
# runs some; tools/mutate.py lists the modules and their tests.
mutate: install
	nice -n 10 $(PY) tools/mutate.py $(MODULES)

# Benchmarks print ratios against a bare Wagtail page; they assert no timings.
# `make bench`: every ratio the product promises, measured over HTTP
# (gunicorn, production settings, wrk) on SQLite and on PostgreSQL with Redis,
# with databases of its own, plus worker memory with and without plugins
# (bench/README.md). About seven minutes. `make bench-http` is the same.
bench: bench-http

bench-http: install wrk
	$(PY) -m bench.http.run

# Views timed in process through the test client: quick, for comparing two
# versions of one view, but they skip the middleware and the server.
bench-views: install
	$(PY) -m pytest bench -q -s -p no:randomly

wrk:
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq wrk; \
		else echo "Install wrk for make bench-http: sudo apt-get install -y wrk"; exit 1; fi; }

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	PYTHONPATH=examples/signups-plugin .venv/bin/lint-imports --no-cache
	$(PY) tools/check_inner_imports.py

migrations-check:
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) manage.py check --fail-level WARNING

# Each pytest stage lists its slowest tests: CI's log is where the time of
# `make test` (under 12 minutes on 2 cores) is won or lost.
SLOWEST := --durations=20

# One test at a time per worker, the long-running ones first (tests/conftest.py).
XDIST := -n 2 --maxschedchunk 1

test-sqlite:
	$(PY) -m pytest $(XDIST) -m "not browser" $(SLOWEST)

# A test marked backend_independent checks the same thing on any database
# (code, docs, settings, subprocesses that open none): test-sqlite runs it.
test-postgres:
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest $(XDIST) \
		-m "not browser and not backend_independent" $(SLOWEST)

# The first-party plugins switched off: first all of them (the demo loads
# and a crawl of the site as every role, following every link, meets no
# server error: test-sqlite's crawl gave every kind of page its filter
# choices and the adversarial values), then each plugin alone beside core
# (it is healthy and its own tests pass without the others). Together they
# show core needs no plugin and no plugin needs another. One process each
# (no xdist): they run beside the other stages.
test-plugins-off: test-without-first-party-plugins $(addprefix test-alone-,$(FIRST_PARTY_PLUGINS))

# tests/test_enabled_plugins.py is `manage.py lms_plugins --check` in the
# test process: a process started for the check alone costs as much as the
# check of every plugin (starting Django).
test-without-first-party-plugins:
	@echo "== without the first-party plugins (LMS_PLUGINS=example)"
	LMS_PLUGINS=example $(PY) -m pytest -q -n 0 -m "not browser" -p no:randomly \
		tests/test_enabled_plugins.py tests/test_crawl.py

test-alone-%:
	@echo "== $* alone (LMS_PLUGINS=example,$*)"
	LMS_PLUGINS=example,$* $(PY) -m pytest -q -n 0 -m "not browser" -p no:randomly \
		tests/test_enabled_plugins.py tests/test_$*.py

test-browser: chromium openbadges-validator
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser $(SLOWEST)

# IMS Global's Open Badges validator, in a virtualenv of its own (see the file).
OBV := .obv/bin/python
openbadges-validator: $(OBV)
$(OBV): tools/openbadges-validator/requirements.txt
	$(PYTHON) -m venv .obv
	.obv/bin/pip install --quiet --disable-pip-version-check --no-deps \
		-r tools/openbadges-validator/requirements.txt
	touch $(OBV)

chromium:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq chromium; \
		else echo "Install Debian's chromium: sudo apt-get install -y chromium"; exit 1; fi; }

# Regenerate and compile the translation catalogues (needs GNU gettext).
# First-party plugins keep their own catalogues (plugins/<name>/lms_<name>/locale).
messages: install
	$(PY) manage.py makemessages -l es --ignore=.venv --ignore=.uv --ignore=.obv \
		--ignore=tests --ignore=examples --ignore=bench --ignore=plugins --ignore=tools \
		--no-obsolete
	for app in plugins/*/lms_*; do (cd $$app && DJANGO_SETTINGS_MODULE=lms.settings.test \
		PYTHONPATH=$(CURDIR) $(CURDIR)/.venv/bin/django-admin makemessages -l es --no-obsolete); done
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.uv --ignore=.obv

# locust against `make serve-prod` on a database of its own (deploy/loadtest/):
# 200 people for two minutes unless LOADTEST_USERS / LOADTEST_TIME say less.
loadtest: install
	$(PY) -m deploy.loadtest.driver
