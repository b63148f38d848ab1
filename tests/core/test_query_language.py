"""The filter language's terms: words AND-ed, phrases, field:value, comparisons, ! per term,
errors that say where, and highlighting per field (issue 11 §1)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import Query, QueryError, search_text

DATA: dict[str, Any] = {
    "module_type": "rest",
    "result_variable": "balance",
    "request": {"url": "https://billing.example.com/v2", "method": "GET"},
    "response": {
        "status": 503,
        "elapsed_ms": 2500.5,
        "headers": {"server": "nginx", "retry": "-3"},
        "body": "upstream timeout",
    },
    "items": [{"n": 1}, {"n": -7}, {"n": "x"}],
    "line": "a data key called line",
}


def entry(cls: str = "error", line: str = "REST request failed", data: Any = None) -> LogEntry:
    payload = DATA if data is None else data
    return LogEntry.model_validate({"class": cls, "event": {"line": line, "data": payload}})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rest failed", True),  # two words, both somewhere
        ("rest nowhere", False),  # AND: one missing is enough
        ('"request failed"', True),  # a phrase keeps its space
        ('"failed request"', False),
        ("status:503", True),  # a data key by its name, at any depth
        ("status:50", True),  # a substring of the value
        ("status:404", False),
        ("request.url:billing", True),  # by its dotted path suffix
        ("response.headers.server:NGINX", True),  # case-insensitive
        ("url:nginx", False),  # the value of another field does not count
        ('body:"upstream timeout"', True),
        ("status: 503", True),  # as the detail pane shows it
        ("class:err", True),
        ("class:info", False),
        ("module:rest", True),
        ("var:balance", True),
        ("line:request", True),
        ("line:called", False),  # line is the entry's own line, not the data key
        ("data.line:called", True),  # data. reaches the data key
        ("Status:503", True),  # field names are case-blind too
        ("missing:503", False),
    ],
)
def test_words_phrases_and_fields(query: str, expected: bool) -> None:
    assert Query.parse(query).matches(entry()) is expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status>=500", True),
        ("status>=503", True),  # the boundaries of each comparison
        ("status>=504", False),
        ("status<=503", True),
        ("status<=502", False),
        ("status<503", False),
        ("status=504", False),
        ("status>503", False),
        ("status=503", True),
        ("status=503.0", True),  # numbers, not text
        ("status<1e3", True),
        ("elapsed_ms>2000", True),
        ("elapsed_ms<=2500.5", True),
        ("elapsed_ms>2500.5", False),
        ("retry<0", True),  # a negative held as text (as XML holds every value)
        ("retry>-4", True),
        ("n<0", True),  # several leaves of one key (a list): any one is enough
        ("n>5", False),  # "x" is no number: it never satisfies a comparison
        ("server>0", False),
        ("!server>0", True),
        ("url>1", False),
    ],
)
def test_numeric_comparisons(query: str, expected: bool) -> None:
    assert Query.parse(query).matches(entry()) is expected


def test_xml_text_values_compare_as_numbers() -> None:
    as_text = entry(data={"response": {"status": "503", "elapsed_ms": " 12.5 "}})
    assert Query.parse("status>=500 elapsed_ms<13").matches(as_text)
    assert not Query.parse("status<500").matches(as_text)


def test_negation_applies_to_one_term() -> None:
    assert Query.parse("module:rest !class:debug").matches(entry())
    assert not Query.parse("module:rest !class:error").matches(entry())
    assert Query.parse("!nowhere rest").matches(entry())
    assert not Query.parse("!status:503").matches(entry())


def test_regex_terms() -> None:
    assert Query.parse("url:re:v\\d$").matches(entry())
    assert not Query.parse("url:re:^v\\d").matches(entry())
    # An unquoted re: runs to the end of the query, spaces included, as it always did.
    assert Query.parse("re:request failed").matches(entry())
    assert not Query.parse("class:error re:^nowhere at all$").matches(entry())
    # Quoted, it ends at its quote and other terms may follow.
    assert Query.parse('re:"request fail(ed)?" class:error').matches(entry())
    assert not Query.parse('re:"request fail(ed)?" class:info').matches(entry())
    assert Query.parse('re:"\\"?upstream" !class:info').matches(entry())


def test_old_escapes_still_mean_the_literal_text() -> None:
    assert Query.parse("\\!important").matches(entry(line="an !important line"))
    assert Query.parse("\\re:x").matches(entry(line="see re:x"))
    assert not Query.parse("\\re:x").matches(entry(line="see x"))


def test_a_word_that_looks_like_a_field_is_quoted() -> None:
    assert Query.parse('"https://billing"').matches(entry())
    assert not Query.parse("https://billing").matches(entry())  # the field "https"
    assert Query.parse("12:30").matches(entry(line="at 12:30"))  # no field starts with a digit


@pytest.mark.parametrize(
    ("query", "message", "column"),
    [
        ("status>=", "`status>=` needs a number", 9),
        ("class:error status>=abc", "`status>=` needs a number, not 'abc'", 21),
        ("url:", "`url:` needs a value", 5),
        ('a "open', "this quote is never closed", 3),
        ("x re:(", "invalid regular expression: missing )", 7),
        ("url:re:(", "invalid regular expression", 9),
        ('re:"a"b', "put a space after the pattern's closing quote", 7),
    ],
)
def test_errors_say_what_and_where(query: str, message: str, column: int) -> None:
    with pytest.raises(QueryError) as caught:
        Query.parse(query)
    assert str(caught.value).startswith(message)
    assert str(caught.value).endswith(f"(column {column})")
    assert caught.value.column == column


def test_unfinished_terms_are_not_errors_while_typing() -> None:
    for text in ["!", "re:", '""', "a !", "   "]:
        query = Query.parse(text)
        assert query.matches(entry())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("!", "`!` needs a term after it (`!class:debug`) (column 1)"),
        ("a !", "`!` needs a term after it (`!class:debug`) (column 3)"),
        ("re:", "`re:` needs a pattern (column 1)"),
        ("a !re:", "`!re:` needs a pattern (column 3)"),
        ('""', '`""` is empty: put what to look for between the quotes (column 1)'),
        ('!""', '`!""` is empty: put what to look for between the quotes (column 1)'),
    ],
)
def test_a_query_given_whole_refuses_terms_that_say_nothing(text: str, message: str) -> None:
    # show --grep and archive search: `!` alone would keep every entry without a word.
    with pytest.raises(QueryError) as caught:
        Query.parse(text, strict=True)
    assert str(caught.value) == message
    assert Query.parse("   ", strict=True).matches(entry())  # no term at all: no filter


def test_spans_per_field() -> None:
    query = Query.parse("status>=500 server:gin upstream re:tim(e)")
    assert query.spans("503", field="response.status") == [(0, 3)]
    assert query.spans("404", field="response.status") == []  # 404 < 500: nothing to mark
    assert query.spans("nginx", field="response.headers.server") == [(1, 4)]
    assert query.spans("nginx", field="request.url") == []  # server: names only server
    # Words and regexes mark every field, and free text; field terms do not mark free text.
    assert query.spans("upstream timeout", field="response.body") == [(0, 8), (9, 13)]
    assert query.spans("upstream timeout") == [(0, 8), (9, 13)]
    assert query.spans("gin 503") == []
    line_query = Query.parse("line:fail !class:error")
    assert line_query.spans("REST request failed", field="line") == [(13, 17)]
    assert line_query.spans("error", field="class") == []  # negated: nothing to mark


def test_overlapping_spans_are_merged() -> None:
    assert Query.parse("abc bcd").spans("xabcde") == [(1, 5)]


def test_key_matches_names_data_paths_only() -> None:
    query = Query.parse("status>=500 request.url:x !server:y class:error")
    assert query.key_matches("response.status")
    assert query.key_matches("request.url")
    assert not query.key_matches("url")  # request.url is not a suffix of url
    assert not query.key_matches("response.headers.server")  # negated
    assert not query.key_matches("class")
    assert not Query.parse("status").key_matches("response.status")  # a word names no key


def test_a_key_holding_colon_space_is_cut_at_its_first_colon() -> None:
    odd = entry(data={"a: b": "c"})
    assert "a: b: c" in search_text(odd).split("\n")
    assert Query.parse("a:c").matches(odd)  # the documented edge: the path reads "a"
    assert Query.parse('"a: b: c"').matches(odd)  # a phrase finds it as shown


# ----- select answers what matches_text answers, for any query of the grammar ------------------

WORDS = ["rest", "ill", "nginx", "503", "GET", "status", "ms", "x", "-7", "1"]
FIELDS = ["status", "url", "server", "n", "elapsed_ms", "class", "module", "line", "var", "nope"]


@st.composite
def queries(draw: st.DrawFn) -> str:
    terms = []
    for _ in range(draw(st.integers(1, 4))):
        sign = "!" if draw(st.integers(0, 3)) == 0 else ""
        kind = draw(st.sampled_from(["word", "phrase", "field", "compare", "regex"]))
        word = draw(st.sampled_from(WORDS))
        name = draw(st.sampled_from(FIELDS))
        if kind == "word":
            terms.append(sign + word)
        elif kind == "phrase":
            terms.append(f'{sign}"{word} {draw(st.sampled_from(WORDS))}"')
        elif kind == "field":
            terms.append(f"{sign}{name}:{word}")
        elif kind == "compare":
            op = draw(st.sampled_from([">", ">=", "<", "<=", "="]))
            terms.append(f"{sign}{name}{op}{draw(st.integers(-10, 600))}")
        else:
            terms.append(f'{sign}re:"{word}$"')
    return " ".join(terms)


values = st.one_of(
    st.integers(-10, 600),
    st.floats(-10, 600, allow_nan=False),
    st.booleans(),
    st.none(),
    st.sampled_from([*WORDS, "billing ok", "Nginx/1.2", " 42 "]),
)
datas = st.recursive(
    values,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from([*FIELDS, "request", "response"]), inner, max_size=3),
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(
    text=queries(),
    logs=st.lists(
        st.tuples(st.sampled_from(["info", "error", "debug"]), st.sampled_from(WORDS), datas),
        max_size=8,
    ),
)
def test_select_answers_what_matches_answers(text: str, logs: list[tuple[str, str, Any]]) -> None:
    entries = [entry(cls, line, {"d": data}) for cls, line, data in logs]
    query = Query.parse(text)
    texts = [search_text(e) for e in entries]
    expected = [i for i, e in enumerate(entries) if query.matches(e)]
    assert query.select(texts) == expected
    odd = list(range(1, len(texts), 2))
    assert query.select(texts, odd) == [i for i in expected if i % 2]


def test_long_numbers_compare_exactly() -> None:
    big = entry(data={"id": 18446744073709551617, "x": "0.1"})
    assert not Query.parse("id=18446744073709551616").matches(big)
    assert Query.parse("id>18446744073709551616").matches(big)
    assert Query.parse("x<0.10000000000000000001").matches(big)  # not 0.1's binary value
    assert not Query.parse("x>0.10000000000000000001").matches(big)


def test_a_key_written_inside_a_value_is_no_field() -> None:
    tricky = entry(data={"note": "see x.status: 5", "status2": "5"})
    for text in ["status:5", "status=5", "x.status:5"]:
        query = Query.parse(text)
        assert not query.matches(tricky)
        assert query.select([search_text(tricky)]) == []
