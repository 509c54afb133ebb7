# Two commands on a fresh Debian-based machine: `make demo` and `make test`. Both set up what is missing
# (system packages, a virtual environment, the package) and are idempotent: a second run installs nothing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages
SYSTEM_PACKAGES := graphviz poppler-utils qpdf fonts-dejavu-core fonts-liberation2 fonts-noto-core fonts-noto-cjk \
	fonts-noto-color-emoji libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# For the tests only, installed without their recommends: LibreOffice converts the Word addenda to PDF headless.
TEST_PACKAGES := libreoffice-writer-nogui
BROWSER_STAMP := $(VENV)/.browser-test
BROWSER_TESTS := tests/browser
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser-test-setup demo test lint typecheck bench docs clean help

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(SYSTEM_STAMP) $(STAMP)  ## Install system packages, the virtual environment and trustdocs

$(SYSTEM_STAMP):
	@set -e; missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q 'ok installed' || echo $$p; done); \
	for_tests=$$(for p in $(TEST_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing$$for_tests" ]; then \
		echo "Installing system packages:" $$missing $$for_tests; \
		$(SUDO) apt-get update -qq; \
	fi; \
	if [ -n "$$missing" ]; then DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi; \
	if [ -n "$$for_tests" ]; then \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$for_tests; \
	fi
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "trustdocs needs Python 3.11 or newer"'
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml $(SYSTEM_STAMP)
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

browser-test-setup: $(BROWSER_STAMP)  ## Install Chromium (Debian) and the browser test's npm packages

# The trust center's browser test: Debian's chromium, and puppeteer-core + axe-core from the lock file
# (puppeteer's own browser download skipped: the test drives /usr/bin/chromium).
# Node.js and npm come from Debian only when the machine lacks node or npm (a NodeSource nodejs
# bundles npm, and Debian's npm package conflicts with it).
$(BROWSER_STAMP): $(BROWSER_TESTS)/package-lock.json $(SYSTEM_STAMP)
	@missing=$$([ -x /usr/bin/chromium ] || echo chromium; \
		command -v node >/dev/null && command -v npm >/dev/null || echo nodejs npm); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	cd $(BROWSER_TESTS) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
	@touch $@

SAMPLE := sample_inputs/acme
GLOBEX := $(SAMPLE)/customers/globex.yaml

demo: setup  ## Validate, check and build the sample into build/acme/, and Globex's packet into build/acme/globex/
	$(BIN)/trustdocs validate $(SAMPLE)
	$(BIN)/trustdocs check $(SAMPLE) --fail-on never --format sarif --output build/acme/threat-model.sarif
	$(BIN)/trustdocs build $(SAMPLE) -o build/acme
	$(BIN)/trustdocs build $(SAMPLE) --customer $(GLOBEX) -o build/acme/globex --docx
	$(BIN)/trustdocs packet $(SAMPLE) --customer $(GLOBEX) -o build/acme/globex

test: setup lint typecheck $(BROWSER_STAMP)  ## Lint (ruff), type-check (mypy) and run the whole test suite (with the browser test)
	$(BIN)/python -m pytest -q -n auto --dist loadfile

lint: setup  ## ruff: lint and format check
	$(BIN)/ruff check trustdocs tests benchmarks scripts
	$(BIN)/ruff format --check trustdocs tests benchmarks scripts

typecheck: setup  ## mypy on trustdocs/ (strict on the model and the analysis)
	$(BIN)/mypy

bench: setup  ## Run the benchmarks (figures go to standard output)
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/build.py --cache

docs: setup  ## Regenerate docs/format.md from the JSON Schemas in schemas/
	$(BIN)/python scripts/format_reference.py

clean:  ## Remove build outputs (keeps the virtual environment)
	rm -rf build dist
