"""json_fast.check_utf8 answers as decoding the same bytes as UTF-8 does, for any part."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.formats.json_fast import NotFast, check_utf8

texts = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=20).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@given(texts, st.integers(-50, 50), st.one_of(st.none(), st.integers(-50, 50)))
def test_any_part_is_checked_as_utf_8_decoding_checks_it(
    data: bytes, start: int, end: int | None
) -> None:
    start = max(0, start)  # a negative start is not a position callers give
    try:
        data[start:end].decode("utf-8")
        expected = True
    except UnicodeDecodeError:
        expected = False
    try:
        check_utf8(data, start, end)
        valid = True
    except NotFast:
        valid = False
    assert valid == expected
