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
ATOMS += [r"\b", r"\B", r"\n", "1", "é", "\u017f", r"\X", r"(\w)\1"]
# Global inline flags act on the whole pattern wherever they stand.
FLAGS = ["", "", "", "(?a)", "(?s)", "(?i)", "(?-i)"]
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
    flag = draw(st.sampled_from(FLAGS)) if depth == 0 else ""
    return flag + "|".join(branches) if draw(st.booleans()) else "|".join(branches) + flag


texts_lists = st.lists(st.text(alphabet="ab x1\nÉéS\u017f\r", max_size=12), max_size=8)


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
        # Joined, \r and the separator's \n make one grapheme, and $ no longer follows it.
        (r"re:\X$", ["a\r", "b"], [0, 1]),
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
    monkeypatch.setattr(query_module, "CHUNK_MIN_BUDGET", 0.0)
    query = Query.parse("re:a+$")
    texts = ["info\n\n\nbaa", "info\n\n\nab"]
    assert query.select(texts) == [0]


def test_a_chunk_over_its_budget_leaves_it_and_the_rest_to_the_entry_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(query_module, "CHUNK_CHARS", 40)  # a few entries a chunk
    texts = [f"info\n\n\nstep {n}" for n in range(60)]
    query = Query.parse("!re:step [0-9]*[05]$")
    expected = [i for i, text in enumerate(texts) if query.matches_text(text)]
    chunks: list[int] = []
    real = Query._search_chunk

    def third_chunk_over_budget(self: Query, parts, first, last, found, budget):  # type: ignore[no-untyped-def]
        chunks.append(first)
        return False if len(chunks) == 3 else real(self, parts, first, last, found, budget)

    monkeypatch.setattr(Query, "_search_chunk", third_chunk_over_budget)
    assert query.select(texts) == expected
    assert len(chunks) == 3  # the chunks after the slow one were not tried joined


def test_global_inline_flags_act_on_the_joined_search_too() -> None:
    # (?a): \w and case folding are ASCII-only, so CAFÉ does not match café.
    for pattern, texts in [("re:(?a)café", ["info\n\n\nCAFÉ"]), ("re:é\\w(?a)", ["i\n\n\néé"])]:
        query = Query.parse(pattern)
        assert query.select(texts) == one_by_one(query, texts) == []


def test_a_regex_that_one_entry_would_refuse_is_refused_by_select_too() -> None:
    # One entry takes ~0.4 s for this regex: over the 0.25 s an entry's own search may take.
    texts = ["info\n\n\n" + "a" * 29 + "!", "info\n\n\nbaa"]
    query = Query.parse("re:(a|aa)+$")
    with pytest.raises(QueryError, match="takes too long"):
        one_by_one(query, texts)
    with pytest.raises(QueryError, match="takes too long"):
        query.select(texts)


def test_a_catastrophic_regex_is_still_refused() -> None:
    query = Query.parse("re:(a|aa)+$")
    with pytest.raises(QueryError, match="takes too long"):
        query.select(["info\n\n\nok", "info\n\n\n" + "a" * 60 + "!"])
