# Gendan — the two commands a newcomer needs:
#   make run    install into .venv, create the SQLite database, load demo data, serve on :8000
#   make test   run the whole test suite (SQLite leg, PostgreSQL leg, browser tests)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/gendan
export PIP_DISABLE_PIP_VERSION_CHECK=1
MSG_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore="*/tests/*" --ignore=test-artifacts

.PHONY: run test install install-dev migrate demo test-sqlite test-clocks test-postgres lint lint-imports format messages bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	@echo "Gendan is at http://127.0.0.1:8000  (Ctrl-C to stop)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v0 --settings=gendan.settings.test
	@# Two lanes on the two cores (scripts/test_lanes.py): each step's log is printed whole when it ends.
	$(PY) scripts/test_lanes.py "test-sqlite test-clocks" "test-postgres test-api-fuzz test-two-servers"

test-sqlite: install-dev
	$(VENV)/bin/pytest -q

# Schemathesis against the running API (scripts/api_fuzz.py): a throwaway SQLite demo, gunicorn on
# 127.0.0.1, every operation of the live schema, fixed seed; any server error, answer outside the
# schema or valid request refused fails. Deeper: API_FUZZ_EXAMPLES=300 make test-api-fuzz
API_FUZZ_EXAMPLES ?= 25
.PHONY: test-api-fuzz
test-api-fuzz: install-dev
	$(PY) scripts/api_fuzz.py -n $(API_FUZZ_EXAMPLES)

# The date-sensitive tests (marked `dates`) again at each fixed clock of tests/clock.py (CLOCKS),
# in one session: Saturday morning in Shanghai (Friday 23:30 UTC), the last working day before the
# Spring Festival, 31 December, 29 February 2028 and a make-up working Saturday (调休). SQLite, no
# browser. A failure's test id ends with its clock; one clock only: GENDAN_TEST_NOW=leap-day .venv/bin/pytest -m dates
TEST_CLOCKS := saturday-in-shanghai spring-festival-eve new-years-eve leap-day tiaoxiu-saturday

test-clocks: install-dev
	GENDAN_TEST_CLOCKS="$(TEST_CLOCKS)" GENDAN_SKIP_BROWSER=1 $(VENV)/bin/pytest -q -m dates

# The PostgreSQL leg: the same suite against a real server. Skips with one line when
# no server answers, except under CI=true where it must run.
test-postgres: install-dev
	@if $(PY) scripts/pg_available.py "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" GENDAN_SKIP_BROWSER=1 $(VENV)/bin/pytest -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL leg: no server at $(PG_URL), and CI=true requires it."; exit 1; \
	else \
		echo "PostgreSQL leg SKIPPED: no server at $(PG_URL) (set PG_URL=...)"; \
	fi

lint:
	$(VENV)/bin/ruff check .

# The one-way house: import contracts between apps (.importlinter, docs/architecture.md); part of `make test`.
lint-imports: install-dev
	$(VENV)/bin/lint-imports --no-cache

format:
	$(VENV)/bin/ruff check --fix .

messages:
	$(PY) manage.py makemessages -l zh_Hans --no-location --no-obsolete $(MSG_IGNORE)
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

# Benchmarks (not part of `make test`): seeds 100 000 orders into /tmp/gendan-bench the first time.
bench: install-dev
	$(PY) bench/order_list.py --orders 100000

clean:
	rm -rf $(VENV) var

# Two app servers, one database (scripts/two_servers.py, docs/deployment.md): PostgreSQL, a private
# Redis, two gunicorn instances sharing the database, Redis and the media folder, the RQ task worker
# and an SMTP server; the golden path alternately through both servers, then the backup / restore
# drill. Skips like the PostgreSQL leg without a server, except under CI=true.
.PHONY: test-two-servers
test-two-servers: install-dev
	@if $(PY) scripts/pg_available.py "$(PG_URL)"; then \
		PG_URL="$(PG_URL)" $(PY) scripts/two_servers.py; \
	elif [ "$$CI" = "true" ]; then \
		echo "Two-server step: no PostgreSQL at $(PG_URL), and CI=true requires it."; exit 1; \
	else \
		echo "Two-server step SKIPPED: no PostgreSQL at $(PG_URL) (set PG_URL=...)"; \
	fi
