"""The values of a key read from texts joined (``query_values._Joined``, a few C calls for a
run of texts) are each text's own (``FieldTerm.values``), texts holding a "\\x00" (which
once told the joined texts apart) included; and a comparison keeps only the values that may be
numbers (``_A_NUMBER``), which are exactly those ``number_of`` reads; all plain ones are
found joined.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core import query_values
from fuse_tui.core.query import Query, prepare
from fuse_tui.core.query_fields import DATA_LINE, FieldTerm, number_of
from fuse_tui.core.query_values import _A_NUMBER, _NUMBER_LINE, _PLAIN_LINES, KeyValues, _Joined

KEYS = ["n", "status", "a.n", "n_"]
# Lines that are data, fixed, odd: the key at a line's start, after a dot, in a value, twice,
# next to the separator ("\n\x00") or its parts, empty lines, non-ASCII text.
LINES = [
    "n: 5",
    "n: 1e3",
    "n: -0",
    "n: 0x10",
    "n:  5",
    "n: inf",
    "n: nan",
    "n: ",
    "n: 12345678901234567",
    "a.n: 7",
    "x.a.n: 8",
    "b: n: 9",
    "status: 200",
    "n_: 3",
    "nn: 4",
    "",
    "\x00",
    "\x00n: 6",
    "n: \x00",
    "x\x00y",
    "info",
    "é: n: 1",
    "n: é",
    "ß",
]


@st.composite
def odd_texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(LINES), max_size=9))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\x00"]))


def each_texts_own(texts: list[str], key: str) -> list[tuple[int, str]]:
    term = FieldTerm.build(key + ":x", key, ":", "x", False, False, 0)
    return [
        (i, value.lower())
        for i, text in enumerate(texts)
        if text.isascii()
        for value in term.values(text)
    ]


@settings(max_examples=500, deadline=None)
@given(
    texts=st.lists(odd_texts(), max_size=12),
    key=st.sampled_from(KEYS),
    run=st.integers(1, 4),
)
def test_values_read_joined_are_each_texts_own(texts: list[str], key: str, run: int) -> None:
    low = [text.lower() if text.isascii() else text for text in texts]
    ascii_ = bytearray(map(str.isascii, texts))
    kept = KeyValues(key)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(query_values, "JOINED_TEXTS", run)  # runs that fail, others that read
        kept.extend(low, ascii_, DATA_LINE, 5)
    assert list(zip(kept.index, kept.values, strict=True)) == each_texts_own(texts, key)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["info\nmod\nvar\nline\nn: 5", "info\nmod\nvar\nline\nx: 1\nn: 6"], ["5", "6"]),
        (["info\nmod\nvar\nline\nn: 5", "info\nn: 6\nvar\nline"], None),  # a fixed line
        (["info\nmod\nvar\nline\nn: 5\nn: 5"], None),  # twice
        (["info\nmod\nvar\nline\na.n: 5"], None),  # after a dot
        (["n: 5\nmod\nvar\nline"], None),  # the class line
        # A "\x00" inside a text starts no other text: line 1 is still a fixed line.
        (["info\nmod\nvar\nline\nx: 1\n\x00", "info\nn: 6\nvar\nline\n"], None),
        (["info\nmod\nvar\nline\nn: 1\n\x00\na\nb", "info\nn: 6\nvar\nline\n"], None),
        # ... nor keeps a usual text from being read joined.
        (["\x00\n\x00\n\x00\n\x00\nn: 1"], ["1"]),
        # A text too short for a data line: its probe is on a fixed line.
        (["info\nmod\nvar\nline\nn: 5", "info\nn: 6", "info\nmod\nvar\nline\nn: 7"], None),
        # The fixed line of the last text, the texts before it usual.
        (["info\nmod\nvar\nline\nn: 5", "info\nmod\nvar\nn: 6"], None),
        # Each text's value, however many data lines come before and after it.
        (["info\nmod\nvar\nline\na: 1\nb: 2\nn: 5\nc: 3", "i\nm\nv\nl\nn: \nz: 1"], ["5", ""]),
    ],
)
def test_a_run_is_read_joined_only_when_every_text_is_usual(
    texts: list[str], expected: list[str] | None
) -> None:
    joined = _Joined.of("n: ", DATA_LINE)
    assert joined is not None
    assert joined.values(texts) == expected


def test_keys_the_joined_texts_cannot_tell_apart_are_read_one_by_one() -> None:
    assert _Joined.of("a: b: ", DATA_LINE) is None
    assert _Joined.of("a\n: ", DATA_LINE) is None
    assert _Joined.of("\x80: ", DATA_LINE) is None  # not ASCII: no text read joined holds it
    assert _Joined.of("a\x00: ", DATA_LINE) is not None


NUMBERISH = st.text(alphabet=" \t\r\x0b\x0c\x1c\x1f\x85\xa0+-.eE0123456789xXabinf_٣", max_size=8)


@settings(max_examples=1000, deadline=None)
@given(value=st.one_of(NUMBERISH, st.text(max_size=6)))
def test_a_number_is_what_number_of_reads(value: str) -> None:
    assert (_A_NUMBER.fullmatch(value) is None) == (number_of(value) is None)


@settings(max_examples=500, deadline=None)
@given(values=st.lists(st.one_of(NUMBERISH, st.text(max_size=6)), max_size=6))
def test_a_number_among_values_joined_is_found(values: list[str]) -> None:
    values = [value.replace("\n", "") for value in values]  # a data line's value
    found = _NUMBER_LINE.search("\n".join(values)) is not None
    assert found == any(number_of(value) is not None for value in values)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.one_of(NUMBERISH, st.sampled_from(["mod3", "200", "7", ""])), max_size=8),
    text=st.sampled_from(["n>5", "n<=0", "n=7", "!n>=1e3", "n>-1", "n<3"]),
)
def test_a_comparison_on_values_of_words_and_numbers_answers_as_each_text(
    values: list[str], text: str
) -> None:
    texts = [f"info\nmod\nvar\nline\nn: {value}".replace("\n\n", "\n") for value in values]
    texts = [text_.rstrip("\n") for text_ in texts]
    query = Query.parse(text)
    expected = [i for i, text_ in enumerate(texts) if query.matches_text(text_)]
    prepare(texts)
    assert query.select(texts) == expected
    assert query.select(texts) == expected  # from the kept values


@settings(max_examples=500, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.text(alphabet="0123456789", max_size=17),
            st.text(alphabet="0123456789 -.e\x00", max_size=4),
        ),
        max_size=5,
    )
)
def test_values_all_plain_digits_are_found_joined(values: list[str]) -> None:
    plain = bool(values) and all(value.isdigit() and len(value) <= 15 for value in values)
    assert bool(_PLAIN_LINES.fullmatch("\n".join(values))) == plain
