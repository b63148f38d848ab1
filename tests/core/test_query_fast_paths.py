"""The fast paths of ``Query.select`` keep exactly the entries each entry's own search keeps.

``select`` answers words on the lowered copy of the texts, a regex by what its source says it
must contain (``query_regex``: a required literal, a set of literals at a line's edges, "."),
comparisons from a cache of each key's values. Each is checked here against ``matches_text``
entry by entry, over texts where lowering and case-blind matching part ways: 'ß', 'İ' (its
lower case is two characters), the long s U+017F and the Kelvin sign U+212A (matched by "s" and "k"
case-blind, not by their lowered form), and newlines at a text's edges.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fuse_tui.core import query as query_module
from fuse_tui.core.query import Query, QueryError
from fuse_tui.core.query_regex import plan_of

TRICKY = ["ß", "İ", "\u0131", "\u017f", "\u212a", "é", "É", "SS"]
WORDS = ["info", "event", "ok", "failed", "step", "mod3", "Kelvin", "sk", "is", "ss", "ab"]
KEYS = ["status", "url", "n", "response.status", "a.b"]

word_pieces = st.sampled_from([*WORDS, *TRICKY, " ", "9", "12", ":", "/", "-", "\n", ""])
fields = st.lists(word_pieces, max_size=5).map("".join)
numbers = st.sampled_from(["0", "5", "12", "-3", "2.5", "1e3", "007", "12345678901234567", "x"])


@st.composite
def search_texts(draw: st.DrawFn) -> str:
    """A search text: class, module, variable, line, then ``path: value`` data lines."""
    lines = [draw(st.sampled_from(["info", "event", "error", "Info", "\u0130nfo"]))]
    lines += [draw(fields) for _ in range(3)]
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from(KEYS))
        value = draw(st.one_of(numbers, fields))
        lines.append(f"{key}: {value}")
    if draw(st.integers(0, 9)) == 0:
        return draw(fields)  # select takes any strings, not only search texts
    return "\n".join(lines)


texts_lists = st.lists(search_texts(), max_size=12)

REGEX_ATOMS = [
    *WORDS,
    *TRICKY,
    ".",
    r"\d",
    r"\w",
    r"\s",
    "[a-z]",
    "[^a]",
    r"\b",
    r"\n",
    r"\.",
    " ",
    ":",
    "k",
    "s",
    "i",
]
REGEX_EDGE = ["(?=s)", "(?<=\\n)", "(?i:S)", "(?-i:S)", r"\x41", "(?a)", "(?s)", "[[:alpha:]]"]
QUANTIFIERS = ["", "", "", "*", "+", "?", "{2}", "{0,2}", "{1,}", "+?"]


@st.composite
def regexes(draw: st.DrawFn, depth: int = 0) -> str:
    def piece() -> str:
        roll = draw(st.integers(0, 11))
        if roll == 0 and depth < 2:
            inner = draw(regexes(depth + 1))
            return f"{draw(st.sampled_from(['(', '(?:']))}{inner})" + draw(
                st.sampled_from(QUANTIFIERS)
            )
        if roll == 1:
            return draw(st.sampled_from(REGEX_EDGE))
        return draw(st.sampled_from(REGEX_ATOMS)) + draw(st.sampled_from(QUANTIFIERS))

    branches = []
    for _ in range(draw(st.integers(1, 3))):
        start = "^" if draw(st.integers(0, 3)) == 0 else ""
        end = "$" if draw(st.integers(0, 3)) == 0 else ""
        body = "".join(piece() for _ in range(draw(st.integers(0, 3))))
        branches.append(start + body + end)
    return "|".join(branches)


def one_by_one(query: Query, texts: list[str]) -> list[int]:
    return [i for i, text in enumerate(texts) if query.matches_text(text)]


def parsed(text: str) -> Query:
    try:
        return Query.parse(text)
    except QueryError:
        assume(False)
        raise


@settings(max_examples=500, deadline=None)
@given(pattern=regexes(), texts=texts_lists, inverted=st.booleans())
def test_a_regex_selects_what_each_entry_answers(
    pattern: str, texts: list[str], inverted: bool
) -> None:
    query = parsed(("!" if inverted else "") + "re:" + pattern)
    assert query.select(texts) == one_by_one(query, texts)


@settings(max_examples=600, deadline=None)
@given(
    literals=st.lists(st.sampled_from([*WORDS, *TRICKY, "", "x:", "\\n"]), min_size=1, max_size=3),
    start=st.booleans(),
    end=st.booleans(),
    grouped=st.booleans(),
    data=st.data(),
)
def test_a_set_of_literals_at_the_edges_of_lines_selects_exactly(
    literals: list[str], start: bool, end: bool, grouped: bool, data: st.DataObject
) -> None:
    # Texts of the literals themselves, at a line's edges or not, and of their tricky kin.
    pieces = st.sampled_from([*literals, *literals, "\n", "\n", "x", " ", "\u212a", "\u017f"])
    texts = data.draw(st.lists(st.lists(pieces, max_size=6).map("".join), max_size=10))
    body = "|".join(literals)
    body = f"({body})" if grouped else body
    pattern = ("^" if start else "") + body + ("$" if end else "")
    query = parsed("re:" + pattern)
    assert query.select(texts) == one_by_one(query, texts)


def words_and_fields() -> st.SearchStrategy[str]:
    word = st.sampled_from([*WORDS, *TRICKY, "mod", "a b", "12"])
    term = st.one_of(
        word,
        word.map(lambda w: f'"{w} "'),
        st.tuples(st.sampled_from([*KEYS, "class", "line"]), word).map(
            lambda kv: f"{kv[0]}:{kv[1]}"
        ),
        st.tuples(st.sampled_from(KEYS), st.sampled_from([">", ">=", "<", "<=", "="]), numbers)
        .filter(lambda t: t[2] != "x")
        .map("".join),
        regexes().map(lambda r: f're:"{r}"'),
    )
    signed = st.tuples(st.sampled_from(["", "", "!"]), term).map("".join)
    return st.lists(signed, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(text=words_and_fields(), texts=texts_lists)
def test_a_query_of_words_fields_and_comparisons_selects_what_each_entry_answers(
    text: str, texts: list[str]
) -> None:
    query = parsed(text)
    assert query.select(texts) == one_by_one(query, texts)
    # Again on the same texts: what select keeps between calls must not change the answer.
    assert query.select(texts) == one_by_one(query, texts)


@settings(max_examples=100, deadline=None)
@given(text=words_and_fields(), texts=st.lists(search_texts(), min_size=1, max_size=40))
def test_in_small_steps_and_on_a_subset_the_answers_are_the_same(
    text: str, texts: list[str]
) -> None:
    query = parsed(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(query_module, "SELECT_STEP", 3)
        assert query.select(texts, cancelled=lambda: False) == one_by_one(query, texts)
        subset = list(range(0, len(texts), 2))
        expected = [i for i in subset if query.matches_text(texts[i])]
        assert query.select(texts, subset, cancelled=lambda: False) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("customers/\\d+5$", (("customers/",), ("5",))),
        ("step 9+:", (("step 9",), ("9:",))),
        ("a{2,}b", (("a",), ("ab",))),
        ("^(info|event)", (("info", "event"),)),
        ("a|\\d", ()),
        ("(?i:x)", None),
        ("\\x41", None),
        ("[[:alpha:]]x", None),
        ("a{e<=1}", None),
    ],
)
def test_what_a_regex_must_contain_is_read_from_its_source(
    pattern: str, expected: tuple[tuple[str, ...], ...] | None
) -> None:
    plan = plan_of(pattern)
    assert (None if plan is None else plan.required) == expected


def test_the_plans_the_tui_filters_take() -> None:
    exact = plan_of("^(info|event)")
    assert exact is not None and exact.exact == (("info", True, False), ("event", True, False))
    dot = plan_of(".")
    assert dot is not None and dot.any_char and not dot.everything
    star = plan_of(".*")
    assert star is not None and star.everything
    grouped = plan_of("(a|aa)*")  # a group may backtrack: not "everything"
    assert grouped is not None and not grouped.everything


@pytest.mark.parametrize(
    ("pattern", "texts", "expected"),
    [
        # "s" matches the long s and "k" the Kelvin sign case-blind; their lowered forms differ.
        ("re:mask", ["info\n\n\nma\u017f\u212a", "info\n\n\nmask", "info\n\n\nmas"], [0, 1]),
        ("re:^sk$", ["info\n\n\n\u017f\u212a", "x"], [0]),
        # "." does not match a newline: an empty text and one of newlines have no match.
        ("re:.", ["", "\n\n", "\n\u0130", "a"], [2, 3]),
        ("!re:.", ["", "\n\n", "\n\u0130", "a"], [0, 1]),
        ("re:.*", ["", "\n"], [0, 1]),
        ("re:^$", ["a", "", "a\n", "\nb", "a\n\nb", "ab"], [1, 2, 3, 4]),
        ("re:^(info|event)$", ["info", "x\nEVENT", "info2", "x\ninfo\ny"], [0, 1, 3]),
        # 'İ' lowers to two characters; the regex on the text itself decides it.
        ("re:i\u0307nfo", ["\u0130nfo", "i\u0307nfo"], [1]),
    ],
)
def test_fast_regex_paths_on_text_where_lowering_and_case_blindness_part_ways(
    pattern: str, texts: list[str], expected: list[int]
) -> None:
    query = Query.parse(pattern)
    assert one_by_one(query, texts) == expected
    assert query.select(texts) == expected


@pytest.mark.parametrize(
    "text", ["status:20", "status>100", "!status:20", "n.status=200", "status<2", "status:1"]
)
@pytest.mark.parametrize("kelvin", [False, True])
def test_kept_values_keep_a_text_once_however_many_of_its_values_hold(
    text: str, kelvin: bool
) -> None:
    # A key inside a list is one line per item: each value may hold.
    texts = [
        "info\n\n\nline\nstatus: 200\nstatus: 201\nn.status: 200",
        "info\n\n\nstatus: 200",  # the line is not data
        "info\n\nstatus: 1\nline\nstatus: 2",  # nor is the variable
        "info\n\n\nline\nurl: x\nresponse.status: 204",
        "info\n\n\nline\nstatus: 20\u212a" if kelvin else "info\n\n\nline\nstatus: 2",
    ]
    query = Query.parse(text)
    expected = one_by_one(query, texts)
    assert query.select(texts) == expected
    assert query.select(texts) == expected  # from the kept values
    assert query.select(texts, [3, 0]) == [i for i in [3, 0] if query.matches_text(texts[i])]


# Texts with and without what escape_control changes (a newline is also the field separator).
_texts_for_search = st.one_of(
    st.sampled_from(["info", "error", "\x1b[31m", "a\nb", "\t", "\u202e"]),
    st.text(max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "class": st.one_of(
                    st.none(),
                    _texts_for_search,
                ),
                "event": st.fixed_dictionaries(
                    {},
                    optional={
                        "line": _texts_for_search,
                        "data": st.dictionaries(
                            _texts_for_search,
                            st.recursive(
                                st.one_of(
                                    st.none(),
                                    st.booleans(),
                                    st.integers(),
                                    st.floats(allow_nan=False),
                                    _texts_for_search,
                                ),
                                lambda inner: st.one_of(
                                    st.lists(inner, max_size=3),
                                    st.dictionaries(_texts_for_search, inner, max_size=3),
                                ),
                                max_leaves=6,
                            ),
                            max_size=4,
                        ),
                    },
                ),
            },
        ),
        min_size=1,
        max_size=3,
    )
)
def test_search_text_unescaped_road_is_the_escaped_text(raw: list[dict[str, object]]) -> None:
    # search_text joins the fields as they are when nothing needs escaping (most entries):
    # it must give exactly the text that escaping every field gives.
    from fuse_tui.core.model import LogEntry

    for item in raw:
        try:
            entry = LogEntry.model_validate(item)
        except ValueError:
            continue
        assert query_module.search_text(entry) == query_module.escaped_search_text(entry)


@settings(max_examples=300, deadline=None)
@given(
    literals=st.lists(st.sampled_from([*WORDS, *TRICKY, "x:", "\\n"]), min_size=1, max_size=3),
    start=st.booleans(),
    end=st.booleans(),
    data=st.data(),
)
def test_a_set_of_literals_over_some_of_the_texts_selects_exactly(
    literals: list[str], start: bool, end: bool, data: st.DataObject
) -> None:
    # A subset of the texts (a class hidden, a module chosen): the plan's checks run on the
    # texts no check before held for, kept as a list of their own.
    pieces = st.sampled_from([*literals, *literals, "\n", "\n", "x", " ", "\u212a"])
    texts = data.draw(st.lists(st.lists(pieces, max_size=6).map("".join), max_size=12))
    chosen = data.draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)))
    indices = [i for i, keep in enumerate(chosen) if keep]
    pattern = ("^" if start else "") + "(" + "|".join(literals) + ")" + ("$" if end else "")
    query = parsed("re:" + pattern)
    expected = [i for i in indices if query.matches_text(texts[i])]
    assert query.select(texts, indices) == expected
    assert query.select(texts, indices, lambda: False) == expected
