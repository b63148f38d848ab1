"""core.query: the filter language shared by the TUI and ``show --grep``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import Query, QueryError, search_text


def make(line: str, cls: str | None = "info", module: str = "prompt", result: str = "var_0"):
    data = {"event": {"line": line, "data": {"module_type": module, "result_variable": result}}}
    if cls is not None:
        data["class"] = cls
    return LogEntry.model_validate(data)


def test_empty_query_matches_everything() -> None:
    query = Query.parse("")
    assert query.is_empty
    assert query.matches(make("anything"))
    assert query.spans("anything") == []


def test_substring_is_case_insensitive_and_highlights_every_occurrence() -> None:
    query = Query.parse("sent")
    assert query.matches(make("Message SENT"))
    assert not query.matches(make("Sending"))
    assert query.spans("Sent and sent") == [(0, 4), (9, 13)]


def test_substring_is_literal_not_a_regex() -> None:
    query = Query.parse("a.b(")
    assert query.matches(make("x a.b( y"))
    assert not query.matches(make("axb("))


def test_class_module_and_result_are_searched() -> None:
    assert Query.parse("error").matches(make("nothing here", cls="error"))
    assert Query.parse("transfer").matches(make("x", module="transfer"))
    assert Query.parse("var_7").matches(make("x", result="var_7"))
    assert Query.parse("unknown").matches(make("x", cls=None))


def test_invert() -> None:
    query = Query.parse("!sent")
    assert query.inverted
    assert not query.matches(make("Sent"))
    assert query.matches(make("Sending"))
    assert query.spans("Sent") == []  # kept entries do not match: nothing to highlight


def test_regex_and_anchors_per_field() -> None:
    query = Query.parse("re:^Send(ing)?$")
    assert query.is_regex
    assert query.matches(make("Sending"))
    assert query.matches(make("send"))  # case-insensitive
    assert not query.matches(make("Sending email"))
    assert query.spans("Sending") == [(0, 7)]
    assert Query.parse("!re:^Send").matches(make("Exiting"))


def test_zero_width_regex_matches_but_highlights_nothing() -> None:
    query = Query.parse("re:^")
    assert query.matches(make("x"))
    assert query.spans("x") == []


def test_invalid_regex_is_a_clear_error() -> None:
    with pytest.raises(QueryError, match="invalid regular expression"):
        Query.parse("re:(unclosed")


def test_backslash_escapes_the_prefixes() -> None:
    assert Query.parse("\\!important").matches(make("an !important line"))
    assert Query.parse("\\re:x").matches(make("see re:x"))
    assert not Query.parse("\\re:x").is_regex


def test_control_characters_are_searched_as_shown() -> None:
    entry = make("a\nb\x1b[31m")
    assert "\\n" in search_text(entry)
    assert Query.parse("a\\nb").matches(entry)
    assert Query.parse("re:\\\\x1b").matches(entry)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30), st.text(min_size=1, max_size=5))
def test_highlight_and_match_agree(line: str, needle: str) -> None:
    """An entry matches exactly when some displayed field has a highlighted span."""
    # One quoted phrase: whitespace now separates terms, and quotes group them.
    phrase = needle.replace("\\", "\\\\").replace('"', '\\"')
    query = Query.parse(f'"{phrase}"')
    entry = make(line)
    fields = search_text(entry).split("\n")
    assert query.matches(entry) == any(query.spans(f) for f in fields)
