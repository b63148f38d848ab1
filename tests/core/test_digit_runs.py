"""The scan for numbers too long to read (over 4300 digits) looks at every 430th byte first.

It must answer exactly what reading every byte answers, wherever a run of digits starts,
ends or is cut by the sampling (property tests, with small limits so that hypothesis reaches
every case, and with the real limit around its edge).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.formats.json_fast import _DIGITS_ONLY, digit_run_longer_than, has_too_long_number


def _every_byte(data: bytes, most: int) -> bool:
    return b"0" * (most + 1) in data.translate(_DIGITS_ONLY)


# Runs of digits (of any length, from any digits) between runs of other bytes, some of
# which (letters, '-', '.', 'e', non-ASCII digits such as
# U+0661 in UTF-8) sit next to digits in JSON.
_DIGITS = st.text(alphabet="0123456789", min_size=0, max_size=60).map(str.encode)
_OTHERS = st.sampled_from([b"", b" ", b"-", b".", b"e", b"a", b"\n", "\u0661".encode(), b"\xff"])
_PIECES = st.lists(st.tuples(_DIGITS, _OTHERS), max_size=30)


@settings(max_examples=400, deadline=None)
@given(_PIECES, st.integers(1, 40), st.integers(1, 45), st.binary(max_size=3))
def test_sampled_scan_answers_as_every_byte(
    pieces: list[tuple[bytes, bytes]], most: int, stride: int, lead: bytes
) -> None:
    data = lead + b"".join(digits + other for digits, other in pieces)
    assert digit_run_longer_than(data, most, stride) == _every_byte(data, most)
    assert digit_run_longer_than(bytearray(data), most, stride) == _every_byte(data, most)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 3000),
    st.integers(4290, 4310),
    st.integers(0, 3000),
    st.integers(0, 60),
)
def test_the_real_limit_at_any_offset(
    before: int, length: int, after: int, digits_around: int
) -> None:
    # Short digit runs around the long one, so the sampled digits often run on past it.
    filler = (b"1" * digits_around + b",") * 40
    data = filler[:before] + b"x" + b"7" * length + b"x" + filler[:after]
    assert has_too_long_number(data) == (length > 4300)


def test_a_file_of_digits_alone() -> None:
    assert has_too_long_number(b"5" * 4301)
    assert not has_too_long_number(b"5" * 4300)
    assert has_too_long_number(b"12" * 5_000_000)
    assert not has_too_long_number(b"")
