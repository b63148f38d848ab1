"""The kept values of a data key (``query_values.KeyValues``) are what each text's own search
reads (``FieldTerm.values``), and the field terms answered from them keep exactly the entries
each entry's own search keeps.

The texts hold the key the usual way (once, at the start of a data line) and every other way:
in a list (several lines), under a dotted path, in a fixed line, at the text's start, inside a
value, in a value after a path that holds ": ", with escaped quotes and backslashes, next to
'ß', 'İ', the long s and the Kelvin sign; values of plain digits, long digits, leading zeros,
signs, exponents, empty ones.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fuse_tui.core import query_fields
from fuse_tui.core.query import Query, QueryError, prepare, read_fields_ahead
from fuse_tui.core.query_fields import DATA_LINE, FieldTerm, lowered_texts
from fuse_tui.core.query_syntax import field_names
from fuse_tui.core.query_values import KeyValues

KEYS = ["n", "status", "revision_id", "a.n", "x.status", "status.n", "ns", "n_"]
TRICKY = ["ß", "İ", "\u0131", "\u017f", "\u212a", "é", "SS", "K"]
VALUES = [
    "0",
    "5",
    "55000",
    "007",
    "-3",
    "+4",
    "2.5",
    "1e3",
    "1E3",
    " 12 ",
    "12345678901234567",
    "123456789012345",
    "",
    "x",
    "200 OK",
    'say \\"hi\\"',
    "C:\\\\path",
    "n: 5",
    "status: 200",
    "\\n",
    *TRICKY,
]
PATH_PIECES = ["n", "status", "a", "x", '\\"', "\\\\", "N", "Status", "revision_id", *TRICKY]


@st.composite
def paths(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(KEYS))
    return ".".join(draw(st.lists(st.sampled_from(PATH_PIECES), min_size=1, max_size=3)))


@st.composite
def data_lines(draw: st.DrawFn) -> str:
    path = draw(paths())
    value = draw(st.one_of(st.sampled_from(VALUES), st.sampled_from(VALUES).map(str.upper)))
    if draw(st.integers(0, 9)) == 0:
        return f"{path}: a: {value}"  # a path cut at its first ": "
    return f"{path}: {value}"


@st.composite
def search_texts(draw: st.DrawFn) -> str:
    """class, module, variable, line (sometimes a data line themselves), then data lines."""
    fixed = [draw(st.sampled_from(["info", "n: 5", "status: 1", "\u0130nfo"]))]
    fixed += [draw(st.one_of(st.sampled_from(["", "mod", "var"]), data_lines())) for _ in range(3)]
    lines = fixed + draw(st.lists(data_lines(), max_size=5))
    if draw(st.integers(0, 12)) == 0:
        return "\n".join(lines[: draw(st.integers(0, 4))])  # no data lines, or a short text
    return "\n".join(lines)


texts_lists = st.lists(search_texts(), max_size=14)


def one_by_one(query: Query, texts: list[str]) -> list[int]:
    return [i for i, text in enumerate(texts) if query.matches_text(text)]


@settings(max_examples=400, deadline=None)
@given(texts=texts_lists, key=st.sampled_from(KEYS), step=st.integers(1, 5))
def test_the_kept_values_are_each_texts_own(texts: list[str], key: str, step: int) -> None:
    low, ascii_ = (list(part) for part in lowered_texts(texts, range(len(texts))))
    kept = KeyValues(key)
    kept.extend(low, ascii_, DATA_LINE, step)
    term = FieldTerm.build(key + ":x", key, ":", "x", False, False, 0)
    expected = [
        (i, value.lower())
        for i, text in enumerate(texts)
        if text.isascii()
        for value in term.values(text)
    ]
    assert list(zip(kept.index, kept.values, strict=True)) == expected
    assert kept.covered == len(texts)
    assert kept.repeated or len(set(kept.index)) == len(kept.index)


@st.composite
def field_queries(draw: st.DrawFn) -> str:
    key = draw(st.sampled_from(KEYS))
    if draw(st.booleans()):
        op = draw(st.sampled_from([">", ">=", "<", "<=", "="]))
        number = draw(st.sampled_from(["0", "5", "7", "55000", "-3", "2.5", "1e3", "1e20"]))
        term = f"{key}{op}{number}"
    else:
        term = f"{key}:{draw(st.sampled_from(['5', '0', 'ok', 'hi', 'ss', 'k', 'i', *TRICKY]))}"
    return draw(st.sampled_from(["", "!"])) + term


@settings(max_examples=400, deadline=None)
@given(text=field_queries(), texts=texts_lists, prepared=st.booleans())
def test_a_field_term_from_kept_values_selects_what_each_entry_answers(
    text: str, texts: list[str], prepared: bool
) -> None:
    try:
        query = Query.parse(text)
    except QueryError:
        assume(False)
        raise
    if prepared:
        prepare(texts)
    expected = one_by_one(query, texts)
    assert query.select(texts) == expected
    assert query.select(texts) == expected  # from the kept values
    subset = list(range(1, len(texts), 2))
    assert query.select(texts, subset) == [i for i in subset if i in set(expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("n>4", [0, 3, 5]),
        ("n<1", [4]),
        ("n:5", [0]),
        ("n:7", [3]),
        ("status=200", [1]),
        ("!n>4", [1, 2, 4]),
    ],
)
def test_kept_values_on_the_usual_and_the_odd_texts(text: str, expected: list[int]) -> None:
    texts = [
        "info\nmod\nvar\nline\nn: 5",  # usual
        "n: 5\nmod\nvar\nline\nstatus: 200",  # the key on the class line only
        "info\nn: 5\nvar\nline\nurl: x",  # on a fixed line only
        "info\nmod\nvar\nline\na.n: 7\nnote: n: 0",  # dotted path; the key inside a value
        "info\nmod\nvar\nline\nn: 0\nn: 0",  # a list
        "info\nmod\nvar\nline\nN: 9",  # upper case
    ]
    query = Query.parse(text)
    assert one_by_one(query, texts) == expected
    assert query.select(texts) == expected
    assert query.select(texts) == expected


def test_a_cancelled_read_keeps_what_it_read() -> None:
    texts = [f"info\nmod\nvar\nline\nn: {i}" for i in range(10)]
    low, ascii_ = (list(part) for part in lowered_texts(texts, range(len(texts))))
    kept = KeyValues("n")
    calls = iter([False, False, True])
    with pytest.raises(query_fields.SearchCancelled):
        kept.extend(low, ascii_, DATA_LINE, 3, lambda: next(calls))
    assert kept.covered == 6 and kept.index == list(range(6))
    kept.extend(low, ascii_, DATA_LINE, 3)
    assert kept.covered == 10 and kept.values == [str(i) for i in range(10)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("revision_id>", ["revision_id"]),
        ("revision_id>5 !status:2 revision_id<9", ["revision_id", "status"]),
        ("billing x>=", ["x"]),
        ("a.b:c class:error", ["a.b", "class"]),
        ("billing", []),
        ("3>2", []),
    ],
)
def test_the_fields_a_filter_names_finished_or_not(text: str, names: list[str]) -> None:
    assert field_names(text) == names


@settings(max_examples=100, deadline=None)
@given(text=field_queries(), texts=st.lists(search_texts(), min_size=1, max_size=14))
def test_fields_read_ahead_are_kept_and_answer_the_same(text: str, texts: list[str]) -> None:
    try:
        query = Query.parse(text)
    except QueryError:
        assume(False)
        raise
    typed = text.lstrip("!")
    read_fields_ahead(texts, typed[: len(typed.split(">")[0].split("<")[0].split("=")[0]) + 1])
    slot = query_fields._slot[0]
    key = query.terms[0].key  # type: ignore[union-attr]
    assert slot is not None and slot.texts is texts and slot.values[key].covered == len(texts)
    assert query.select(texts) == one_by_one(query, texts)


def test_reading_ahead_skips_the_entrys_own_fields_and_an_empty_list() -> None:
    before = query_fields._slot[0]
    read_fields_ahead([], "revision_id>")
    read_fields_ahead(["info\nmod\nvar\nline\nn: 5"], "class:err line> billing")
    assert query_fields._slot[0] is before  # nothing to read: not even lowered
