# queue-tui: every target bootstraps .venv from a clean clone first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench soak sandbox clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,serve]'
	$(BIN)/python -m compileall -q queue_tui
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/queue-tui --demo

test: $(STAMP)
	$(BIN)/ruff check queue_tui tests benchmarks
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py $(SOAK_ARGS)

sandbox: $(STAMP)
	$(BIN)/queue-tui sandbox --port 8089

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
