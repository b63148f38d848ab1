"""A search index keeps each search text once (an ASCII one lowered, another as it is), and a
select over it keeps exactly the entries each original text's own search keeps (issue 10: the
TUI held every text twice, as it is and lowered: ~380 MB at 1M entries).

A case-blind search answers the same on an ASCII text and on its lowered form; a regex that can
tell case apart despite IGNORECASE (``query_regex.case_matters``) searches the originals, made
again from the entries. Both are checked here: select over an index against ``matches_text`` on
the originals, and the detector against searches of texts and their lowered forms.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fuse_tui.core import query as query_module
from fuse_tui.core import query_fields
from fuse_tui.core.query import Query, QueryError, SearchCancelled, prepare, take_census
from fuse_tui.core.query_fields import compile_user_regex
from fuse_tui.core.query_regex import case_matters, case_sensitive_plan
from fuse_tui.core.search_index import SearchIndex

# Not ASCII: lowering and case-blind matching part ways on these ('İ' lowers to two
# characters, "k" matches the Kelvin sign, "s" the long s).
TRICKY = ["ß", "İ", "\u0131", "\u017f", "\u212a", "é", "É"]
WORDS = ["Step", "step", "STEP", "Failed", "ok", "Mod3", "mod3", "Kelvin", "SS", "ab", "AB"]
KEYS = ["status", "Status", "n", "response.status", "a.b", "Revision_ID"]

pieces = st.sampled_from([*WORDS, *TRICKY, " ", "9", "12", ": ", "/", "-", "\n", ""])
fields = st.lists(pieces, max_size=5).map("".join)
numbers = st.sampled_from(["0", "5", "12", "-3", "2.5", "1E3", "1e3", "007", "123456789012345678"])


@st.composite
def search_texts(draw: st.DrawFn) -> str:
    """A search text: class, module, variable, line, then ``path: value`` lines (a list gives
    a key several lines; a value may hold ": ")."""
    lines = [draw(st.sampled_from(["info", "Error", "event", "\u0130nfo"]))]
    lines += [draw(fields) for _ in range(3)]
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.sampled_from(KEYS))
        for _ in range(draw(st.integers(1, 2))):
            lines.append(f"{key}: {draw(st.one_of(numbers, fields))}")
    if draw(st.integers(0, 9)) == 0:
        return draw(fields)  # select takes any strings
    return "\n".join(lines)


# Regex pieces, the case-telling ones among them.
ATOMS = [
    *WORDS,
    "k",
    "s",
    "\u212a",
    ".",
    r"\d",
    r"\w",
    r"\s",
    "[a-z]",
    "[A-Z]",
    "[^a-z]",
    "[^A-Z]",
    "[^a]",
    ": ",
    r"\n",
    r"\x53",
    r"\N{LATIN CAPITAL LETTER S}",
    r"\p{Lu}",
    r"\p{Ll}",
    r"\P{Lu}",
    r"\p{Uppercase}",
    r"\p{Changes_When_Lowercased}",
    r"\p{CWU}",
    r"\P{CWCF}",
    r"\p{SB=Upper}",
    r"\p{L}",
    "[[:upper:]]",
    "[[:lower:]]",
    "[^[:upper:]]",
]
GROUPS = ["(", "(?:", "(?-i:", "(?i:", "(?s-i:", "(?a:", "(?f:", "(?x:", "(?=", "(?<n>"]
FLAGS = ["", "", "", "(?-i)", "(?i)", "(?f)", "(?a)", "(?x)", "(?u)", "(?s)", "(?m)"]
QUANTIFIERS = ["", "", "", "*", "+", "?", "{2}", "{0,2}", "+?", "{e<=1}"]


@st.composite
def regexes(draw: st.DrawFn, depth: int = 0) -> str:
    groups = 0

    def piece() -> str:
        nonlocal groups
        roll = draw(st.integers(0, 9))
        if roll == 0 and depth < 2:
            opening = draw(st.sampled_from(GROUPS))
            groups += opening in ("(", "(?<n>")
            return f"{opening}{draw(regexes(depth + 1))})" + draw(st.sampled_from(QUANTIFIERS))
        if roll == 1 and groups:
            return draw(st.sampled_from([r"\1", "(?P=n)", r"\g<1>"]))
        if roll == 2:
            return r"\b"  # zero-width: not repeated
        return draw(st.sampled_from(ATOMS)) + draw(st.sampled_from(QUANTIFIERS))

    branches = []
    for _ in range(draw(st.integers(1, 2))):
        start = "^" if draw(st.integers(0, 3)) == 0 else ""
        end = "$" if draw(st.integers(0, 3)) == 0 else ""
        body = "".join(piece() for _ in range(draw(st.integers(1, 3))))
        branches.append(start + body + end)
    return (draw(st.sampled_from(FLAGS)) if depth == 0 else "") + "|".join(branches)


def queries() -> st.SearchStrategy[str]:
    word = st.sampled_from([*WORDS, *TRICKY, "mod", "a b", "12", "s: 1"])
    term = st.one_of(
        word,
        word.map(lambda w: f'"{w} "'),
        st.tuples(st.sampled_from([*KEYS, "class", "line", "status"]), word).map(
            lambda kv: f"{kv[0]}:{kv[1]}"
        ),
        st.tuples(
            st.sampled_from(["status", "n", "revision_id"]),
            st.sampled_from([">", ">=", "<", "<=", "="]),
            st.sampled_from(["0", "5", "12", "-3", "1e3", "2.5"]),
        ).map("".join),
        regexes().map(lambda r: f're:"{r}"'),
        st.tuples(st.sampled_from(["status", "line", "a.b"]), regexes()).map(
            lambda kr: f'{kr[0]}:re:"{kr[1]}"'
        ),
    )
    signed = st.tuples(st.sampled_from(["", "", "!"]), term).map("".join)
    return st.lists(signed, min_size=1, max_size=3).map(" ".join)


def index_of(texts: list[str], cuts: list[int]) -> SearchIndex:
    """An index of ``texts`` added a piece at a time (cut at ``cuts``) that makes its texts
    again from ``texts`` (as the TUI's does from the entries)."""
    index = SearchIndex(lambda start, stop: texts[start:stop])
    last = 0
    for cut in [*sorted(c % (len(texts) + 1) for c in cuts), len(texts)]:
        index.add(texts[last:cut])
        last = max(last, cut)
    return index


def parsed(text: str) -> Query:
    try:
        return Query.parse(text)
    except QueryError:
        assume(False)
        raise


def one_by_one(query: Query, texts: list[str]) -> list[int] | None:
    """What each original text's own search answers; None when a search refuses (too slow)."""
    try:
        return [i for i, text in enumerate(texts) if query.matches_text(text)]
    except QueryError:
        return None


@settings(max_examples=700, deadline=None)
@given(
    text=queries(),
    texts=st.lists(search_texts(), max_size=14),
    cuts=st.lists(st.integers(0, 20), max_size=3),
    prepared=st.booleans(),
)
def test_a_select_over_the_index_keeps_what_each_original_text_keeps(
    text: str, texts: list[str], cuts: list[int], prepared: bool
) -> None:
    query = parsed(text)
    expected = one_by_one(query, texts)
    assume(expected is not None)
    index = index_of(texts, cuts)
    if prepared:
        prepare(index)
        take_census(index)
    assert query.select(index) == expected
    # Again: from what the first select kept (a key's values).
    assert query.select(index) == expected
    subset = list(range(1, len(texts), 2))
    assert query.select(index, subset, cancelled=lambda: False) == [
        i for i in subset if i in set(expected or ())
    ]
    # Entry by entry, on the kept text where it answers the same.
    assert [i for i in range(len(texts)) if query.matches_at(index, i)] == expected


@settings(max_examples=150, deadline=None)
@given(text=queries(), texts=st.lists(search_texts(), min_size=1, max_size=30))
def test_in_small_steps_the_answers_are_the_same(text: str, texts: list[str]) -> None:
    query = parsed(text)
    expected = one_by_one(query, texts)
    assume(expected is not None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(query_module, "SELECT_STEP", 3)
        patch.setattr(query_module, "ORIGINALS_STEP", 2)
        patch.setattr(query_fields, "LOWER_STEP", 4)
        assert query.select(index_of(texts, [5]), cancelled=lambda: False) == expected


def _differs(compiled: Any, texts: list[str]) -> bool:
    try:
        return any(
            bool(compiled.search(text, timeout=1)) != bool(compiled.search(text.lower(), timeout=1))
            for text in texts
        )
    except (TimeoutError, MemoryError):  # a pathological generated regex: not this test's
        assume(False)
        raise


ascii_texts = st.lists(
    st.lists(st.sampled_from(list("aAbBkKsSzZ 09\n:_-")), max_size=8).map("".join),
    min_size=1,
    max_size=8,
)


@settings(max_examples=3000, deadline=None)
@given(pattern=regexes(), texts=ascii_texts)
def test_where_case_changes_an_answer_the_detector_says_so(pattern: str, texts: list[str]) -> None:
    try:
        compiled = compile_user_regex(pattern, 0)
    except QueryError:
        assume(False)
        raise
    if _differs(compiled, texts):
        assert case_matters(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "(?-i)S",
        "(?-i:S)",
        "a(?s-i:S)",
        r"\p{Changes_When_Lowercased}",
        r"\p{CWU}",
        r"\P{CWL}",
        r"\p{SB=Upper}",
        r"\p{Lu}",  # folded by the regex module today: still searched as it is
        "[[:upper:]]",
        "S{e<=1}",
        "(?f)S",
        "(?L)S",
        "(?r)S",
    ],
)
def test_the_detector_refuses_what_can_tell_case_apart(pattern: str) -> None:
    assert case_matters(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"step \d+: failed",
        "[^a-z]+",
        r"(a)\1",
        "(?P<n>S)(?P=n)",
        r"\N{LATIN CAPITAL LETTER S}",
        r"\x53",
        "(?i)S",
        "(?:S|T){2}",
        "(?<=a)S(?=b)",
        "(?ax)S",
    ],
)
def test_the_detector_lets_case_blind_regexes_search_the_lowered_texts(pattern: str) -> None:
    compiled = compile_user_regex(pattern, 0)
    texts = ["S", "s", "aSb", "asb", "AsB", "SS", "Ss", "sS"]
    assert not _differs(compiled, texts)
    assert not case_matters(pattern)


def test_the_index_keeps_one_copy_and_reads_as_the_original_texts() -> None:
    texts = ["Info\nMod\nv\nStep 1: OK", "error\nm\nv\nGrüße", "x\ny\nz\nAB"]
    made: list[tuple[int, int]] = []

    def texts_of(start: int, stop: int) -> list[str]:
        made.append((start, stop))
        return texts[start:stop]

    index = SearchIndex(texts_of)
    index.add(texts[:1])
    assert index.ascii_ is None  # all ASCII so far: no flags
    index.add(texts[1:])
    assert index.stored == [texts[0].lower(), texts[1], texts[2].lower()]
    assert index.stored[1] is texts[1]  # a text not ASCII is kept as it is
    assert list(index.ascii_ or b"") == [1, 0, 1]
    assert len(index) == 3 and index == texts and list(index) == texts
    assert index[0] == texts[0] and index[-1] == texts[2] and index[1:] == texts[1:]
    made.clear()
    assert index[1] == texts[1] and not made  # as it is: nothing made again
    assert index.originals([0, 1, 2]) == dict(enumerate(texts))
    assert made == [(0, 1), (2, 3)]  # the ASCII ones only, a run at a time
    assert index.first(1) == texts[:1] and index.first(1).ascii_ is None
    with pytest.raises(IndexError):
        index[3]


def recording_index(texts: list[str]) -> tuple[SearchIndex, list[tuple[int, int]]]:
    """An index of ``texts`` and the list of the (start, stop) steps it made texts again for."""
    made: list[tuple[int, int]] = []

    def texts_of(start: int, stop: int) -> list[str]:
        made.append((start, stop))
        return texts[start:stop]

    index = SearchIndex(texts_of)
    index.add(texts)
    return index, made


def test_a_case_telling_regex_makes_the_originals_again_in_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [f"info\nm\nv\n{'Step' if i % 3 else 'step'} {i}" for i in range(20)]
    index, made = recording_index(texts)
    monkeypatch.setattr(query_module, "ORIGINALS_STEP", 8)
    query = Query.parse("re:(?-i)^Step")
    assert query.select(index) == [i for i in range(20) if i % 3]
    assert made == [(0, 8), (8, 16), (16, 20)]
    made.clear()
    assert Query.parse("re:^step").select(index) == list(range(20))
    assert not made  # case-blind: the kept lowered texts
    with pytest.raises(SearchCancelled):
        query.select(index, cancelled=lambda: True)


def test_a_field_regex_that_tells_case_apart_reads_the_original_values() -> None:
    texts = ["info\nm\nv\nl\nstatus: OK", "info\nm\nv\nl\nstatus: ok"]
    index = index_of(texts, [])
    assert Query.parse("status:re:(?-i)OK").select(index) == [0]
    assert Query.parse("status:re:OK").select(index) == [0, 1]
    assert Query.parse("!status:re:(?-i:O)K").select(index) == [1]


def test_a_case_sensitive_regex_makes_again_only_the_texts_holding_its_literals() -> None:
    texts = [f"info\nm\nv\n{'Step' if i % 2 else 'STEP'} {i % 5}: failed" for i in range(20)]
    texts[4] = "info\nm\nv\n\u212a Step 3: failed"  # not ASCII: kept as it is, never made again
    index, made = recording_index(texts)
    query = Query.parse(r"re:(?-i)Step 3: \w+")
    expected = [i for i, text in enumerate(texts) if query.matches_text(text)]
    assert expected == [3, 4, 13]
    assert query.select(index) == expected
    assert made == [(3, 4), (8, 9), (13, 14), (18, 19)]  # those holding "step 3: ", lowered
    inverted = Query.parse(r"!re:(?-i)Step 3: \w+")
    assert inverted.select(index) == [i for i in range(20) if i not in expected]


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        ("(?-i)Step 9", (("step 9",),)),
        (r"(?-i)(Error|Warn)\d", (("error", "warn"),)),
        ("(?-i)[^a]Step", None),  # a negated set accepts less case-blind
        (r"(?-i)\p{Lu}x", None),
        ("(?-i)(?=a)x", None),  # not read by plan_of
        ("a(?-i)Step", None),  # not as a whole
        ("(?-i).*", None),  # nothing required
    ],
)
def test_the_plan_of_a_case_sensitive_regex(
    pattern: str, required: tuple[tuple[str, ...], ...] | None
) -> None:
    plan = case_sensitive_plan(pattern)
    assert (plan.required if plan is not None else None) == required
