"""User regexes cannot hang: a catastrophic one is a QueryError within a bounded time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.query import Query, QueryError

HOSTILE_LINES = ["a" * 60 + "!", "abc " * 2000 + "!", "x" * 5000]


@pytest.mark.parametrize(
    ("pattern", "line"),
    [
        ("re:(a|aa)+$", HOSTILE_LINES[0]),
        ("re:(\\w+\\s?)+$", HOSTILE_LINES[1]),
        ("re:(x+x+)+y", HOSTILE_LINES[2]),
    ],
)
def test_a_catastrophic_regex_is_refused_quickly(pattern: str, line: str) -> None:
    query = Query.parse(pattern)
    started = time.monotonic()
    with pytest.raises(QueryError, match="takes too long"):
        query.matches_text(line)
    assert time.monotonic() - started < 5
    assert query.spans(line) == []  # drawing never raises: no highlight instead


def test_ordinary_regexes_behave_like_re() -> None:
    query = Query.parse("re:^(Exit|Discon)")
    assert query.matches_text("info\nexit\nhangup\nExiting application")
    assert not query.matches_text("info\nemail\nvar_1\nSending")
    assert Query.parse("re:fail(ed|ure)").spans("Lookup failed, failure") == [(7, 13), (15, 22)]


def test_show_grep_with_a_catastrophic_regex_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "hostile.json"
    dump.write_text(
        '[{"event": {"line": "' + HOSTILE_LINES[0] + '", "data": {}}, "class": "info",'
        ' "timestamp": 1}]'
    )
    assert main(["show", str(dump), "--grep", "re:(a|aa)+$"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: --grep: ") and err.count("\n") == 1


# Counted repeats are written out when a regex is compiled: re:a{99999999} took 6 GB and over a
# minute before it searched anything. These are small enough to compile (slowly) without the
# guard, so the test fails by not raising rather than by eating the machine.
@pytest.mark.parametrize(
    ("pattern", "column"),
    [
        ("re:a{200000}", 5),
        ("re:(a{400}){400}", 12),
        ("re:x (?:ab|cd){30000}y{30000}", 15),
        ("status:re:((a{999})(b{999})(c{999})(d{999})){30}", 45),
    ],
)
def test_a_regex_that_repeats_too_much_is_refused_before_compiling(
    pattern: str, column: int
) -> None:
    with pytest.raises(QueryError, match="repeats too much") as raised:
        Query.parse(pattern)
    assert raised.value.column == column


@pytest.mark.parametrize(
    "pattern",
    [
        "re:a{3}b{2,}c{1,99999999}",
        "re:[{]{5}",
        r"re:\{99999999}",
        "re:[a{99999999}]",
        "re:a{50000}",
    ],
)
def test_counted_repeats_of_ordinary_size_still_search(pattern: str) -> None:
    query = Query.parse(pattern)
    assert not query.matches_text("info\nrest\nvx\nnothing here")


def test_show_grep_with_a_huge_repeat_exits_2_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "small.json"
    dump.write_text('[{"event": {"line": "aaa", "data": {}}, "class": "info", "timestamp": 1}]')
    assert main(["show", str(dump), "--grep", "re:a{99999999}"]) == 2
    err = capsys.readouterr().err
    assert "repeats too much" in err and err.count("\n") == 1


def _entry_text(line: str) -> str:
    return f"info\nrest\nvar\n{line}"


def test_a_regex_needing_a_letter_a_huge_entry_lacks_answers_no_at_once() -> None:
    # The regex module does not check its timeout inside some scans: re:A+B over millions of
    # A's ran seconds a search and was refused as backtracking. What the regex must contain
    # decides it first, as select does.
    huge = _entry_text("A" * 3_000_000)
    assert not Query.parse("re:A+B").matches_text(huge)
    assert Query.parse("re:A+$").matches_text(huge)


def test_a_regex_too_slow_on_a_huge_entry_blames_its_size() -> None:
    query = Query.parse("re:A+B$")
    with pytest.raises(QueryError, match="takes too long on an entry of 1 million characters"):
        query.matches_text(_entry_text("A" * 1_200_000 + "BX"))
