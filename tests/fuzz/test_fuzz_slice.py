"""A small, fixed slice of the fuzzer (`make fuzz` runs the long, random one)."""

from __future__ import annotations

from tests.fuzz.run import run_in_process

SEED = 20261202
CASES = 300


def test_a_fixed_slice_of_fuzz_cases_is_clean() -> None:
    summary = run_in_process(CASES, SEED, case_seconds=10.0, heavy=False)
    assert summary.tried == CASES
    assert not summary.failures, summary.report()
    # The slice must exercise both sides: inputs that read and inputs that are refused.
    assert summary.read >= 20 and summary.refused >= 100, summary.report()


def test_the_fixed_slice_is_reproducible() -> None:
    first = run_in_process(40, SEED, heavy=False)
    second = run_in_process(40, SEED, heavy=False)
    assert (first.read, first.refused) == (second.read, second.refused)
