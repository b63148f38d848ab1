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
	$(BIN)/python -m pytest

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

BENCHMARKS := bench_read bench_client bench_tui bench_archive bench_sync

# Timing goals live here, not in the tests: each script prints figures and same-run ratios.
bench: $(STAMP)
	@for b in $(BENCHMARKS); do echo "== $$b"; $(BIN)/python benchmarks/$$b.py || exit 1; done

# Mutated dumps through every reader, writer and `archive import` (tests/fuzz/run.py). Stops by
# itself after FUZZ_SECONDS; failing inputs land in fuzz-failures/. A fixed slice runs in `make test`.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz.run --seconds $(FUZZ_SECONDS) --out fuzz-failures

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
