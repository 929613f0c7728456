# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# newsroom/settings.py defaults to production (DEBUG off, DJANGO_SECRET_KEY required):
# the targets that run Django for development say so explicitly.
DEV := DJANGO_DEBUG=1

.PHONY: run test node-tools install migrate demo check lint clean bench bench-large scaleout backup restore soak

# The virtualenv is rebuilt whenever a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py load_demo

# HOST is where runserver listens; passed on as NEWSROOM_HOST it is also the address the
# site prints, answers on and puts in mail links (unless NEWSROOM_BASE_URL says otherwise).
run: export NEWSROOM_HOST = $(HOST)
run: demo
	@$(DEV) $(PY) manage.py site_address
	$(DEV) $(PY) manage.py runserver $(HOST)

# The suite in parallel, one worker per core (pytest-xdist; each worker has its own test
# database); whole files stay on one worker, so data built once per module is built once.
# TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install node-tools
	$(DEV) $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile

# The Nu HTML checker (vnu-jar, needs java) and axe-core for tests/a11y.py, from npm, pinned
# in tools/node/package-lock.json, into tools/node/node_modules (git-ignored). No install
# scripts run (vnu-jar's would download a Java). Without npm the checks skip locally; CI
# (.ci/run) installs npm and java and fails if they are missing.
NODE_TOOLS := tools/node/node_modules/.installed
$(NODE_TOOLS): tools/node/package.json tools/node/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd tools/node && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the HTML and accessibility checks (tests/a11y.py) will be skipped"; fi

node-tools: $(NODE_TOOLS)

# Pages under load on PostgreSQL + Redis + gunicorn, at 10,000 and 100,000 stories,
# page cache on and off (bench/run.py; needs PostgreSQL and Redis on 127.0.0.1).
bench: install
	$(PY) bench/run.py

# The same with a third archive of a million stories (slow the first time).
bench-large: install
	BENCH_SIZES=10000,100000,1000000 $(PY) bench/run.py

# Two app servers on one PostgreSQL and one Redis: a story published through one
# is served fresh by the other at once.
scaleout: install
	$(PY) bench/scaleout.py

# Django's system checks, and no model change without its migration (CI runs it on
# SQLite and on PostgreSQL).
check: install
	$(DEV) $(PY) manage.py check
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# ruff (pinned in requirements-dev.txt, configured in ruff.toml).
lint: install
	$(VENV)/bin/ruff check .

# Database (pg_dump / SQLite backup API), media and photo originals into backups/newsroom-<time>/.
# Backups and restores also run on production hosts: an environment that sets
# DJANGO_DEBUG (with its secrets) is used as it is; otherwise development.
backup: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py backup $(BACKUP_DIR)

# make restore BACKUP=backups/newsroom-20250601-093000   (stop the site first)
restore: install
	@test -n "$(BACKUP)" || { echo "用法：make restore BACKUP=backups/newsroom-<时间>"; exit 2; }
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py restore $(BACKUP) --yes

# A few minutes of readers, editors and racing saves on PostgreSQL under gunicorn,
# then (SOAK_OUTAGE=1, the default) ten seconds without PostgreSQL. See README "Soak".
SOAK_SECONDS ?= 180
SOAK_OUTAGE ?= 1
soak: install
	SOAK_SECONDS=$(SOAK_SECONDS) SOAK_OUTAGE=$(SOAK_OUTAGE) $(PY) tools/soak.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
