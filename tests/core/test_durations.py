"""parse_duration: every input is whole seconds in [0, MAX_DURATION] or a one-line ValueError —
never an OverflowError (``1e308d`` was one)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.durations import MAX_DURATION, UNITS, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5d", 5 * 86400), ("12h", 43200), ("90", 90), ("2w", 14 * 86400), (" 1.5M ", 90)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


def test_the_longest_duration_is_a_century() -> None:
    assert parse_duration("36500d") == MAX_DURATION
    for text in ("36501d", "1e308d", "1e308", "99999999999999999999w", "1e400d", "inf", "nan"):
        with pytest.raises(ValueError) as caught:
            parse_duration(text)
        assert "\n" not in str(caught.value) and len(str(caught.value)) < 120


@given(st.floats(min_value=0, allow_nan=False, allow_infinity=False), st.sampled_from(list(UNITS)))
def test_a_number_and_a_unit(amount: float, unit: str) -> None:
    text = f"{amount!r}{unit}"
    seconds = amount * UNITS[unit]
    if seconds <= MAX_DURATION:
        assert parse_duration(text) == int(seconds)
    else:
        with pytest.raises(ValueError):
            parse_duration(text)


@given(st.text(max_size=40))
def test_any_text_is_a_duration_or_a_value_error(text: str) -> None:
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        assert "\n" not in str(exc)
    else:
        assert 0 <= seconds <= MAX_DURATION
