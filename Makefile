# queue-tui: every target bootstraps .venv from a clean clone first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench soak soak-selftest sandbox clean browser

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,serve]'
	$(BIN)/python -m compileall -q queue_tui
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/queue-tui --demo

test: $(STAMP) browser
	$(BIN)/ruff check queue_tui tests benchmarks
	$(BIN)/mypy --strict queue_tui/core queue_tui/service
	$(BIN)/pytest -q

# Headless Chromium for the browser tests of `queue-tui serve`, from Debian's packages (CI runs as root).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	{ echo "make browser: the browser tests need Chromium (Debian: sudo apt-get install chromium)"; exit 1; }

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py $(SOAK_ARGS)

# Plants known bugs one at a time in a scratch copy and shows the quick soak fails on each
# (first an unplanted run, then two seeds each; SELFTEST_ARGS=--quick: each bug once, for CI).
soak-selftest: $(STAMP)
	$(BIN)/python benchmarks/soak_selftest.py $(SELFTEST_ARGS)

sandbox: $(STAMP)
	$(BIN)/queue-tui sandbox --port 8089

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
