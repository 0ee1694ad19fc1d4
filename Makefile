# COMPASS Knowledge Portal. `make run` serves the portal with demo content (PORT=8000 by default);
# `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
ADMIN_SCHEME ?= http

.PHONY: lighthouse audit install run serve bench-serve setup test test-cluster test-sqlite test-postgres test-opensearch2 lint format check bench-search bench-vectors bench-smoke bench-estimate eval-search

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

setup: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py setup_portal
	$(PY) manage.py setup_teams
	$(PY) manage.py setup_vocabulary
	$(PY) manage.py load_demo_content
	$(PY) manage.py record_lessons
	$(PY) manage.py import_lessons lessons/demo/register.jsonl
	$(PY) manage.py text_index rebuild
	$(PY) manage.py passage_vectors rebuild
	$(PY) manage.py offline_packs --queue
	$(PY) manage.py ensure_admin --url $(ADMIN_SCHEME)://127.0.0.1:$(PORT)/admin/

# The outbox worker keeps the search index in step when SEARCH_URL names an engine (else it exits);
# the task worker sends email and runs Wagtail's background tasks; the scheduler runs the periodic
# jobs (SCHEDULED_JOBS: go-live and expiry dates every minute, digests, reminders).
run: setup
	export WAGTAILADMIN_BASE_URL=http://127.0.0.1:$(PORT); \
		$(PY) manage.py process_search_outbox & worker=$$!; \
		$(PY) manage.py db_worker --no-reload --verbosity 0 & tasks=$$!; \
		$(PY) manage.py run_scheduler & scheduler=$$!; \
		trap 'kill $$worker $$tasks $$scheduler 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production settings' environment on this machine (make serve, make bench-serve): PostgreSQL,
# the engine and two Redis servers (counts; pages) started here, a self-signed certificate and a secret key kept under var/,
# then the portal set up as `make run` sets it up (migrations, taxonomy, demo content), the index
# built and the static files collected.
SERVE_PORT ?= 8443
PRODUCTION_SETUP = db="$$(scripts/postgres start)"; engine="$$(scripts/search-engine start)"; \
	redis="$$(scripts/redis start)"; pages="$$(REDIS_PORT=6391 scripts/redis start)"; \
	mkdir -p var/tls; test -s var/tls/key.pem || \
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=localhost 2>/dev/null \
		-keyout var/tls/key.pem -out var/tls/certificate.pem; \
	test -s var/secret_key || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key; \
	export DJANGO_SETTINGS_MODULE=portal.settings.production DATABASE_URL="$$db" \
		SEARCH_URL="$$engine" REDIS_URL="$$redis" PAGE_CACHE_URL="$$pages" SECRET_KEY="$$(cat var/secret_key)" \
		ALLOWED_HOSTS=127.0.0.1,localhost CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$(SERVE_PORT) \
		WAGTAILADMIN_BASE_URL=https://127.0.0.1:$(SERVE_PORT) BIND=127.0.0.1:$(SERVE_PORT) \
		TLS_CERTIFICATE=var/tls/certificate.pem TLS_KEY=var/tls/key.pem PATH="$(CURDIR)/$(VENV)/bin:$$PATH"; \
	$(MAKE) --no-print-directory setup PORT=$(SERVE_PORT) ADMIN_SCHEME=https; \
	$(PY) manage.py search_index rebuild --verbosity 0; \
	$(PY) manage.py collectstatic --noinput -v0

# The production layout (Procfile: gunicorn, outbox worker, task worker, scheduler, run by honcho)
# over HTTPS: https://127.0.0.1:$(SERVE_PORT)/ (the browser warns of the self-signed certificate).
serve: install
	set -e; $(PRODUCTION_SETUP); exec $(VENV)/bin/honcho start -f Procfile

# What serving the main pages costs in that layout, cached and not (bench/serve.py; a command
# that prints figures, not a test): pages/s, p95 and CPU per request at 1, 4 and 16 connections.
BENCH_SECONDS ?= 5
bench-serve: install
	set -e; scripts/wrk >/dev/null; $(PRODUCTION_SETUP); \
		nice -n 5 $(PY) bench/serve.py --seconds $(BENCH_SECONDS)

check: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

# Supply chain: an SBOM of every package installed (CycloneDX 1.6 JSON, var/sbom/compass.cdx.json)
# and pip-audit's check of each against PyPI's vulnerability data (var/sbom/audit.json). Fails on a
# known vulnerability, and with AUDIT_STRICT=1 on a package the service could not answer for.
audit: install
	mkdir -p var/sbom
	$(VENV)/bin/cyclonedx-py environment $(PY) --output-reproducible --of JSON -o var/sbom/compass.cdx.json
	rm -f var/sbom/audit.json; $(VENV)/bin/pip-audit --progress-spinner off --timeout 5 -f json -o var/sbom/audit.json || true
	scripts/audit-summary var/sbom/audit.json

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates
	$(VENV)/bin/lint-imports
	$(VENV)/bin/hadolint Dockerfile

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

# The suite runs against a real search engine: SEARCH_URL when set, else a local OpenSearch node
# (scripts/search-engine), stopped again by `make test`.
# The browser tests (tests/browser: Chromium from scripts/chromium) run once, here: their server has its own SQLite file.
test-sqlite: install
	url="$$(scripts/search-engine start)" && chromium="$$(scripts/chromium)" && axe="$$(scripts/axe)" && \
		SEARCH_URL="$$url" CHROMIUM_PATH="$$chromium" AXE_PATH="$$axe" $(VENV)/bin/pytest --durations=10

test-postgres: install
	url="$$(scripts/search-engine start)" && db="$$(scripts/postgres start)" && \
		SEARCH_URL="$$url" DATABASE_URL="$$db" $(VENV)/bin/pytest --ignore=tests/browser --durations=10

# The SQLite and PostgreSQL runs go side by side (each pytest keeps one core busy); the engine,
# Chromium and PostgreSQL are installed and started first, one at a time (apt takes one lock); the
# search benchmark's smoke run (bench-smoke) follows on the same engine, then the engine tests on
# OpenSearch 2.19 and the cluster test on three nodes. The supply-chain audit comes first.
test: check lint audit
	set -e; scripts/search-engine start >/dev/null; scripts/chromium >/dev/null; scripts/axe >/dev/null; \
		scripts/postgres start >/dev/null; status=0; \
		$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres || status=$$?; \
		$(MAKE) --no-print-directory bench-smoke || status=$$?; \
		$(MAKE) --no-print-directory test-opensearch2 || status=$$?; \
		scripts/search-engine stop; $(MAKE) --no-print-directory test-cluster || status=$$?; \
		exit $$status

# The tests that talk to the engine once more on OpenSearch 2.x without the k-NN plugin (the
# portal supports 2 and 3, and a cluster without k-NN is searched by meaning by script).
test-opensearch2: install
	scripts/search-engine stop && \
		url="$$(SEARCH_ENGINE_VERSION=2.19.1.0 SEARCH_ENGINE_KNN=0 scripts/search-engine start)" && \
		SEARCH_URL="$$url" $(VENV)/bin/pytest -m engine --ignore=tests/browser; status=$$?; \
		scripts/search-engine stop; exit $$status

# A node killed while readers search and editors publish (tests/search/test_cluster.py), on the
# three nodes of scripts/search-cluster, each in its own JVM; stopped again after.
test-cluster: install
	urls="$$(scripts/search-cluster start)" && SEARCH_CLUSTER_URL="$$urls" $(VENV)/bin/pytest \
		-m cluster tests/search/test_cluster.py; status=$$?; scripts/search-cluster stop; exit $$status

# Search benchmark (a command that prints ratios, not a test): a realistic corpus (bench/corpus.py)
# of BENCH_SIZE pages (1000, 10000 or 100000) on its own SQLite file, BENCH_REPEATS timed samples
# per case; a table on stdout, figures in var/bench/search-SIZE.json. Runs niced: the machine is shared.
BENCH_SIZE ?= 10000
BENCH_REPEATS ?= 60
BENCH_DB := sqlite:///$(CURDIR)/var/bench-$(BENCH_SIZE).sqlite3
bench-search: install
	url="$$(scripts/search-engine start)" && export SEARCH_URL="$$url" DATABASE_URL="$(BENCH_DB)" \
		SEARCH_INDEX_PREFIX=bench && $(PY) manage.py migrate --noinput -v0 && \
		$(PY) manage.py setup_portal && nice -n 10 $(PY) manage.py bench_search --size $(BENCH_SIZE) \
		--repeats $(BENCH_REPEATS)

# What searching by meaning costs the engine by kind of index: k-NN against the exact script, on
# VECTOR_PAGES synthetic pages of 40 passages (random vectors), with k-NN's recall of the exact top ten.
VECTOR_PAGES ?= 2500
bench-vectors: install
	url="$$(scripts/search-engine start)" && SEARCH_URL="$$url" SEARCH_INDEX_PREFIX=bench \
		nice -n 10 $(PY) manage.py bench_vectors --pages $(VECTOR_PAGES) --repeats $(BENCH_REPEATS)

# The 1,000,000-document estimate from the 10,000 and 100,000 runs of bench-search (same corpus,
# grown from one seed): each p95's growth exponent, the estimate, rebuild hours, what breaks first.
bench-estimate: install
	$(PY) manage.py bench_estimate

# CI's smoke run of the search benchmark (called by `make test`): 1,000 short pages on a fresh
# SQLite file, 3 samples per case, no raw bulk comparison; fails when any step or query fails.
SMOKE_DB := $(CURDIR)/var/bench-smoke.sqlite3
bench-smoke: install
	rm -f $(SMOKE_DB) && url="$$(scripts/search-engine start)" && export SEARCH_URL="$$url" \
		DATABASE_URL="sqlite:///$(SMOKE_DB)" SEARCH_INDEX_PREFIX=bench-smoke && \
		$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py setup_portal && \
		$(PY) manage.py bench_search --size 1000 --repeats 3 --smoke

# Lighthouse's mobile scores of the main pages, on a portal `make run` serves (BASE_URL).
lighthouse:
	scripts/lighthouse

# Search quality on the judged set in tests/data/relevance (a command that prints figures, not a
# test): the engine and the database backend on SQLite, then the database backend on PostgreSQL,
# each on a scratch database and index of its own. JSON reports in var/eval/.
eval-search: install
	url="$$(scripts/search-engine start)" && db="$$(scripts/postgres start)" && \
		SEARCH_URL="$$url" $(PY) manage.py eval_search --output var/eval/search-sqlite.json && \
		SEARCH_URL="$$url" DATABASE_URL="$$db" $(PY) manage.py eval_search --backends database,database-no-vocabulary,database-words \
			--output var/eval/search-postgresql.json
