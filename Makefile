# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up on the way.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
ADDRESS ?= 127.0.0.1
REPLICAS ?= $(shell nproc 2>/dev/null || echo 2)
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
HOSTNAMES ?=  # names participants use for make serve besides localhost and 127.0.0.1 (HAProxy refuses others)

.PHONY: run serve haproxy test test-fast data lint bench browser office clean

# The venv is rebuilt only when a requirements file changes (the stamp records that).
$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The ETL is incremental: with unchanged inputs and code it does nothing and says so.
data: $(VENV)/.runtime
	$(BIN)/python -m etl

# Production settings (no post-run gc.collect, no file watcher, no run-on-save) are in .streamlit/config.toml, with
# the figures that decided them: every server started from dashboard.py gets them, this one included. deploy.replica
# is `streamlit run dashboard.py` that refuses a config.toml which does not parse (Streamlit alone would serve on
# its defaults: full error details, the file watcher, uploads), as make serve's replicas do.
run: data
	@case "$(ADDRESS)" in 127.0.0.1|localhost) ;; *) echo "Warning: ADDRESS=$(ADDRESS) serves the dashboard to other machines with no login; put the authenticating proxy of docs/security.md in front." >&2;; esac
	STREAMLIT_SERVER_ADDRESS=$(ADDRESS) STREAMLIT_SERVER_PORT=$(PORT) \
	STREAMLIT_BROWSER_GATHER_USAGE_STATS=false STREAMLIT_SERVER_HEADLESS=true \
	$(BIN)/python -m deploy.replica

# A room of 100: REPLICAS Streamlit processes (one per core: one process uses one core) behind HAProxy on
# ADDRESS:PORT (deploy/haproxy.cfg, deploy/serve.py). `exec` makes the supervisor the recipe's process, so Ctrl-C or
# a SIGTERM to it stops HAProxy and every replica; docs/deploy.md has the measured capacity.
serve: data haproxy
	exec $(BIN)/python -m deploy.serve --replicas $(REPLICAS) --port $(PORT) --address $(ADDRESS) --hostnames "$(HOSTNAMES)"

# HAProxy from Debian for make serve and its smoke test (tests/test_serve.py); without it make serve says what to
# install and the smoke test is skipped with that reason.
haproxy:
	@if command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's haproxy for make serve"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	else echo "HAProxy not found and not root: install it (e.g. 'sudo apt-get install haproxy' on Debian or Ubuntu)"; fi

# Browser tests use Debian's chromium; Playwright's own browser download cannot work offline.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not found and not root: browser tests will be skipped (CI treats that as failure)"; fi

# The deck is checked as recipients open it: LibreOffice renders it to PDF, poppler to PNGs and text.
office:
	@if command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's LibreOffice Impress and poppler-utils for the deck rendering tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			libreoffice-impress poppler-utils >/dev/null; \
	else echo "soffice or pdftoppm not found and not root: deck rendering tests will be skipped (CI fails them)"; fi

# mypy checks decarb/, etl/ and pages/ ([tool.mypy] in pyproject.toml; its cache goes to artifacts/).
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# On one pytest-xdist worker per core (tests/conftest.py keeps the server and browser tests together on one of them);
# its 25 slowest tests are listed at the end (make test must stay under 20 minutes).
test: $(VENV)/.dev browser office haproxy data lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=25

# The inner loop, under a minute: everything but the browser, the full-build and the corpus tests.
test-fast: $(VENV)/.dev data
	$(BIN)/python -m pytest -q -m "not browser and not slow and not corpus and not office"

bench: $(VENV)/.dev data
	$(BIN)/python -m bench

clean:
	rm -rf data/processed data/.build-processed-* data/.old-processed-* data/.processed.lock .pytest_cache .ruff_cache artifacts
