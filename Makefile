# The two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint lint-js typecheck pytest bench install install-test system-packages clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Browser libraries (hls.js, swagger-ui-dist) from npm, pinned by package-lock.json; served from
# /static/vendor. ESLint (devDependencies) comes with them.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm (Node.js 20.19 or newer) is needed"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed
install-test: $(VENV)/.installed-test node_modules/.installed

# HOST and PORT also make the base URL (links, the websocket Origin check, the printed WHIP
# address) unless CONFERENCE_BASE_URL is set.
run: install
	$(BIN)/conference migrate
	$(BIN)/conference demo --host $(HOST) --port $(PORT)
	$(BIN)/conference serve --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium; the production-mode test runs Debian's nginx; the
# GStreamer WHIP publisher test runs webrtcbin under Debian's python3 (GST_PACKAGES).
# Install them when we can (root with apt-get).
GST_PACKAGES := python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 \
	gir1.2-gst-plugins-bad-1.0 gstreamer1.0-nice gstreamer1.0-plugins-base \
	gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if command -v dpkg-query >/dev/null 2>&1; then for package in $(GST_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; fi; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "not installed:$$missing (their tests will be skipped)"; fi; \
	fi

lint: install-test lint-js
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/conference protocol-doc --check

# Our own browser scripts (eslint.config.js; the vendored libraries are not ours to lint).
lint-js: node_modules/.installed
	npx eslint static/js

typecheck: install-test
	$(BIN)/mypy

# Two worker processes (pytest-xdist), one per core of the CI machine; a module's tests stay
# on one worker (--dist loadscope) so its module-scoped servers and browsers start once.
# PYTEST_WORKERS=0 runs in this process (for pdb, or a machine with one core).
PYTEST_WORKERS ?= 2
pytest: install-test system-packages
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

test: lint typecheck pytest

bench: install-test system-packages
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || echo "wrk not installed: the media serving benchmark will be skipped"
	@command -v vips >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq libvips-tools >/dev/null; } || echo "vips not installed: the poster tiling benchmark's peer will be skipped"
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache
