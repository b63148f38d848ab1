"""Whatever the bytes, reading gives a Document or a ReadError: never another exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.formats import CallListDocument, LogsDocument, ReadError, load

DATA = Path(__file__).parent.parent / "data"
SEEDS = [
    (DATA / name).read_bytes()
    for name in ("seed_call.json", "seed_call.xml", "all_logs.json", "calls.xml", "expired.xml")
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_or_refuse(data: bytes) -> None:
    try:
        document = load(data, source="fuzz")
    except ReadError as exc:
        assert str(exc).startswith("fuzz: ")
        assert "\n" not in str(exc) and "\x1b" not in str(exc)
    else:
        assert isinstance(document, LogsDocument | CallListDocument)


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes(data: bytes) -> None:
    _read_or_refuse(data)


@SETTINGS
@given(
    st.sampled_from(SEEDS),
    st.integers(min_value=0, max_value=2500),
    st.binary(min_size=1, max_size=4),
)
def test_damaged_real_answers(seed: bytes, position: int, garbage: bytes) -> None:
    position = min(position, len(seed))
    _read_or_refuse(seed[:position])  # truncated
    _read_or_refuse(seed[:position] + garbage + seed[position + len(garbage) :])  # overwritten
