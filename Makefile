# Two commands do everything: `make demo` and `make test`. Both build .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-test

.PHONY: demo test check lint typecheck imports screenshots bench fuzz venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/fuse-tui --demo

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup

# The declared minimums are claims: test-lowest proves them. A separate venv gets every direct
# dependency (pyproject's dependencies and the test extra) at its lowest allowed version (uv's
# lowest-direct resolution; pip has none) and runs the whole suite. Rebuilt from scratch when
# pyproject.toml changes, so a version resolved earlier never lingers.
LOWEST       := .venv-lowest
LOWEST_STAMP := $(LOWEST)/.installed-lowest

.PHONY: test-lowest

$(LOWEST_STAMP): pyproject.toml
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet uv
	$(LOWEST)/bin/uv pip install --quiet --python $(LOWEST)/bin/python \
		--resolution lowest-direct -e '.[test]'
	touch $@

test-lowest: $(LOWEST_STAMP)
	$(LOWEST)/bin/uv pip list --python $(LOWEST)/bin/python
	$(LOWEST)/bin/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check fuse_tui tests benchmarks
	$(BIN)/ruff format --check fuse_tui tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy fuse_tui

imports: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck imports test

screenshots: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,screenshots]'
	$(BIN)/python scripts/screenshots.py

BENCHMARKS := bench_read bench_client bench_tui bench_archive bench_sync bench_cli

# Timing goals live here, not in the tests: each script prints figures and same-run ratios.
bench: $(STAMP)
	@for b in $(BENCHMARKS); do echo "== $$b"; $(BIN)/python benchmarks/$$b.py || exit 1; done

# Mutated dumps through every reader, writer and `archive import` (tests/fuzz/run.py). Stops by
# itself after FUZZ_SECONDS; failing inputs land in fuzz-failures/. A fixed slice runs in `make test`.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz.run --seconds $(FUZZ_SECONDS) --out fuzz-failures

clean:
	rm -rf $(VENV) $(LOWEST) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
