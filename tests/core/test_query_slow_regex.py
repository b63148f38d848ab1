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
