# ioc57 — the few commands a developer needs.
#
#   make demo       serve the demo on http://127.0.0.1:8057 (prints who may log in)
#   make test       install what is missing, run the whole test suite (PYTEST_ARGS="-k units" to narrow)
#                   in TEST_JOBS processes (default 2: this project's CI has two cores), a file each
#   make test-partitioned   the tests that take a database, on PostgreSQL partitioned by province
#   make fuzz       the long schemathesis run over the whole API (>= 10,000 cases) and leak search
#   make lint       ruff check, ruff format --check and mypy
#   make messages   re-extract translatable strings and update the .po catalogues
#   make clean      remove caches, test artifacts and node_modules (keeps .venv and ioc57.db)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE   := node_modules/.installed
LOCALE := src/ioc57/web/locale
PYTEST_ARGS ?=
TEST_JOBS ?= 2

.PHONY: demo test test-partitioned fuzz lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The browser libraries (Chart.js, Swagger UI), from the npm registry, exactly as package-lock.json
# pins them; no package's install script runs (swagger-ui-dist's @scarf/scarf would report the
# install to its server: the IOC runs on a closed network).
$(NODE): package.json package-lock.json
	bash scripts/system-deps.sh npm
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE)

demo: $(STAMP) $(NODE)
	$(BIN)/ioc57 demo --port 8057 --db ./ioc57.db

test: $(STAMP) $(NODE)
	bash scripts/system-deps.sh
	$(BIN)/pytest -n $(TEST_JOBS) --dist loadfile --durations=20 $(PYTEST_ARGS)

# A national deployment's database (ioc57 init --partition-by-province): every test that takes a
# database, on it (the others do not depend on the database's layout; `make test` runs them).
test-partitioned: $(STAMP) $(NODE)
	bash scripts/system-deps.sh
	IOC57_TEST_BACKENDS=partitioned IOC57_TEST_DATABASE_ONLY=1 \
		$(BIN)/pytest -n $(TEST_JOBS) --dist loadfile --durations=20 $(PYTEST_ARGS)

# The same tests as in `make test`, scaled: examples per operation, role and pass; examples of leaks.
fuzz: $(STAMP) $(NODE)
	IOC57_TEST_BACKENDS=sqlite IOC57_FUZZ_EXAMPLES=60 IOC57_LEAK_EXAMPLES=15 \
		$(BIN)/pytest -s tests/web/test_openapi_fuzz.py tests/web/test_no_leaks.py $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --width 100 \
		--project ioc57 --version "$$($(BIN)/python -c 'import ioc57; print(ioc57.__version__)')" \
		--copyright-holder "the ioc57 authors" -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel update -D messages -i $(LOCALE)/messages.pot -d $(LOCALE) \
		--no-fuzzy-matching --ignore-obsolete --width 100

clean:
	rm -rf node_modules test-artifacts .pytest_cache .ruff_cache .mypy_cache .hypothesis build dist src/*.egg-info $(STAMP)
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} +
