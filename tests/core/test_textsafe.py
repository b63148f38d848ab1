"""The one rule for showing log content: nothing in it can drive, reorder or hide the terminal."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.textsafe import escape_control, is_printable

# Characters that move, hide or control text: none may survive escaping.
DANGEROUS = (
    [chr(c) for c in range(0x20)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u061c", "\u180e", "\u200b", "\u200e", "\u200f", "\u2028", "\u2029"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2060, 0x2065)]
    + [chr(c) for c in range(0x2066, 0x2070)]
    + ["\ufeff", "\ufff9", "\ufffa", "\ufffb", "\ud800", "\udfff"]
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x1b]52;c;SGVsbG8=\x07", "\\x1b]52;c;SGVsbG8=\\x07"),
        ("over\rwrite", "over\\rwrite"),
        ("two\nlines\ttab", "two\\nlines\\ttab"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("pay\u200bment", "pay\\u200bment"),
        ("\ufeffBOM", "\\ufeffBOM"),
        ("lone \ud83d surrogate", "lone \\ud83d surrogate"),
        ("[bold]markup[/bold] stays text", "[bold]markup[/bold] stays text"),
    ],
)
def test_examples(raw: str, shown: str) -> None:
    assert escape_control(raw) == shown
    assert not is_printable(raw) or raw == shown


def test_multi_line_mode_keeps_newlines_and_tabs_only() -> None:
    assert escape_control("a\nb\tc\rd\x1b", one_line=False) == "a\nb\tc\\rd\\x1b"


def test_text_people_write_is_left_alone() -> None:
    text = "Grüße — 日本語 — عربي — 👨\u200d👩\u200d👧 — नमस्ते — Ünïcödé"
    assert escape_control(text) == text and is_printable(text)


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(DANGEROUS) | st.characters(), max_size=60))
def test_nothing_dangerous_survives(text: str) -> None:
    shown = escape_control(text)
    assert not any(char in shown for char in DANGEROUS)
    assert is_printable(shown)
    shown.encode("utf-8")  # always writable to a UTF-8 terminal


@settings(max_examples=200)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_printable_text_is_unchanged(text: str) -> None:
    assert escape_control(text) == text


@pytest.mark.parametrize("code", range(0x100))
def test_is_printable_says_what_escaping_does_to_each_character(code: int) -> None:
    # ASCII takes its own road in is_printable (a byte table, not the regex).
    for text in (chr(code), f"plain {chr(code)} text", "é" + chr(code)):
        assert is_printable(text) == (escape_control(text) == text), repr(text)


@settings(max_examples=300)
@given(
    st.text(st.characters(max_codepoint=0x7F))
    | st.text(st.sampled_from(DANGEROUS) | st.characters())
)
def test_is_printable_says_whether_escaping_changes_anything(text: str) -> None:
    assert is_printable(text) == (escape_control(text) == text)


def test_every_format_character_that_hides_text_is_covered() -> None:
    # The only format characters left as they are: the joiners that emoji and scripts need.
    allowed = {"\u200c", "\u200d"}
    hiding = [
        chr(c)
        for c in range(0x2000, 0x2070)
        if unicodedata.category(chr(c)) == "Cf" and chr(c) not in allowed
    ]
    assert all(escape_control(ch) != ch for ch in hiding)


def test_the_writers_hide_what_the_screen_hides() -> None:
    """json/xml output goes to terminals too (`show -f json`): same characters, same rule."""
    from fuse_tui.core.formats import dump_json, dump_xml, load
    from fuse_tui.core.model import CallLog, LogEntry

    hidden = [c for c in DANGEROUS if c not in "\n\t" and not "\ud800" <= c <= "\udfff"]
    text = "x".join(hidden)
    raw = {"event": {"line": text, "data": {"k": text}}, "class": "info", "timestamp": 1}
    log = CallLog(entries=[LogEntry.model_validate(raw)])
    for written in (dump_json(log), dump_xml(log)):
        shown = written.decode("utf-8")
        assert not any(char in shown for char in hidden)
        assert load(written, source="t").logs[0].entries[0].event.line == text
