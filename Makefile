# Maatwerk — make demo | make test | make lint | make e2e | make bench
# Needs only Python 3.11+ and make; everything else goes into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint e2e bench install clean check-deploy

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make demo: migrate a SQLite database in var/, load the demo data and serve on http://127.0.0.1:8000
demo: $(STAMP)
	mkdir -p var
	DEBUG=1 $(BIN)/maatwerk demo

## make test: the whole test suite (without the browser tests), with 100% branch coverage of rules/,
## spread over the machine's cores (pytest-xdist; TEST_WORKERS=0 runs it in one process)
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/pytest -m "not e2e" -p no:cacheprovider -n $(TEST_WORKERS) --dist loadgroup \
		--cov=maatwerk.rules --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100

## make e2e: browser tests with Playwright and Debian's /usr/bin/chromium
e2e: $(STAMP) tests/oidc/node_modules
	$(BIN)/pytest -m e2e -p no:cacheprovider tests/e2e

# the local OpenID Connect provider the browser tests log in against (npm registry)
tests/oidc/node_modules: tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund
	touch tests/oidc/node_modules

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts || true

## make bench: the benchmarks at a small scale on SQLite, under 10 minutes (see bench/README.md);
## BENCH_SCALE=1 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/maatwerk_bench make bench for the national run
BENCH_SCALE ?= 0.01
bench: $(STAMP)
	$(BIN)/python bench/run_all.py --scale $(BENCH_SCALE)

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=maatwerk.example.nl \
		$(BIN)/maatwerk check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache .coverage
