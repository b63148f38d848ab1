"""Query.select, the bulk filter: the same answers as matches_text entry by entry, however built.

A regex is searched over all the entries joined into one text; these tests pin the cases where
that would answer differently (a match running into the next entry, lookarounds, atomic groups,
\\Z, a timeout) to the entry-by-entry answer.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fuse_tui.core import query as query_module
from fuse_tui.core.query import Query, QueryError


def one_by_one(query: Query, texts: list[str]) -> list[int]:
    return [i for i, text in enumerate(texts) if query.matches_text(text)]


ATOMS = ["a", "b", "x", " ", ".", r"\s", r"\S", r"\w", r"\W", r"\d", "[^a]", "[ab]", "^", "$"]
ATOMS += [r"\b", r"\B", r"\n", "1"]
# Constructs a joined search must not be trusted with; select has to answer right anyway.
EDGE_ATOMS = ["(?=a)", "(?!b)", "(?<=a)", "(?<!\\n)", r"\Z", r"\A", "(?>a*)", "a*+", "(?-m:$)"]
QUANTIFIERS = ["", "", "*", "+", "?", "{1,2}", "*?", "+?"]


@st.composite
def patterns(draw: st.DrawFn, depth: int = 0) -> str:
    def piece() -> str:
        if depth < 2 and draw(st.integers(0, 5)) == 0:
            inner = draw(patterns(depth + 1))
            opener = draw(st.sampled_from(["(", "(?:", "(?s:", "(?i:"]))
            return f"{opener}{inner})" + draw(st.sampled_from(QUANTIFIERS))
        if draw(st.integers(0, 9)) == 0:
            return draw(st.sampled_from(EDGE_ATOMS))
        return draw(st.sampled_from(ATOMS)) + draw(st.sampled_from(QUANTIFIERS))

    branches = [
        "".join(piece() for _ in range(draw(st.integers(1, 4))))
        for _ in range(draw(st.integers(1, 2)))
    ]
    return "|".join(branches)


texts_lists = st.lists(st.text(alphabet="ab x1\n", max_size=12), max_size=8)


@settings(max_examples=400, deadline=None)
@given(pattern=patterns(), texts=texts_lists, inverted=st.booleans())
def test_select_answers_what_matches_text_answers(
    pattern: str, texts: list[str], inverted: bool
) -> None:
    try:
        query = Query.parse(("!" if inverted else "") + "re:" + pattern)
    except QueryError:
        assume(False)
        raise
    assert query.select(texts) == one_by_one(query, texts)


@settings(max_examples=100, deadline=None)
@given(texts=texts_lists, needle=st.text(alphabet="ab x1", max_size=3), data=st.data())
def test_select_with_text_and_a_subset_of_indices(
    texts: list[str], needle: str, data: st.DataObject
) -> None:
    query = Query.parse(needle)
    subset = sorted(
        data.draw(st.sets(st.integers(0, max(0, len(texts) - 1)))) & set(range(len(texts)))
    )
    assert query.select(texts, subset) == [i for i in subset if query.matches_text(texts[i])]


@pytest.mark.parametrize(
    ("pattern", "texts", "expected"),
    [
        # Joined, "b\nc" is found across the edge of two entries; neither holds it.
        ("re:b\\nc", ["ab", "cd"], []),
        (r"re:b\sc", ["ab", "cd", "b c"], [2]),
        # Joined, the lookbehind would see the previous entry.
        ("re:(?<=b\\n)c", ["ab", "cd"], []),
        # Joined, \Z is only at the very end.
        (r"re:b\Z", ["ab", "cd"], [0]),
        # Joined, the atomic group swallows the next entry and never gives it back.
        ("re:(?>[^x]*)$", ["ab", "cxd"], [0, 1]),
        ("re:[^x]*+$", ["ab", "cxd"], [0, 1]),
    ],
)
def test_where_a_joined_search_would_be_wrong(
    pattern: str, texts: list[str], expected: list[int]
) -> None:
    assert one_by_one(Query.parse(pattern), texts) == expected
    assert Query.parse(pattern).select(texts) == expected


def test_the_joined_search_is_what_answers_an_ordinary_regex(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # It must not quietly fall back to the slow path for what users type every day.
    query = Query.parse("re:^(Exit|Discon)|step \\d+$")
    texts = ["info\nexit\n\nExiting", "info\n\n\nstep 12", "debug\n\n\nnothing"]

    def no_one_by_one(text: str) -> bool:
        raise AssertionError("searched entry by entry")

    monkeypatch.setattr(Query, "_found_in", lambda self, text: no_one_by_one(text))
    assert query.select(texts) == [0, 1]


def test_a_joined_search_over_time_falls_back_and_still_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(query_module, "JOINED_TIMEOUT", 0.0)
    query = Query.parse("re:a+$")
    texts = ["info\n\n\nbaa", "info\n\n\nab"]
    assert query.select(texts) == [0]


def test_a_catastrophic_regex_is_still_refused() -> None:
    query = Query.parse("re:(a|aa)+$")
    with pytest.raises(QueryError, match="takes too long"):
        query.select(["info\n\n\nok", "info\n\n\n" + "a" * 60 + "!"])
