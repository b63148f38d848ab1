"""``fuse-tui show --grep`` keeps exactly the entries the TUI's filter keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.formats import load_file
from fuse_tui.core.query import Query

SAMPLE = Path(__file__).parent.parent / "ui" / "data" / "sample_call.json"


@pytest.mark.parametrize("query", ["fail", "!fail", "re:^(Exit|Discon)", "AGENT", "re:\\\\x1b"])
def test_grep_keeps_what_the_tui_filter_keeps(
    query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(SAMPLE), "--grep", query, "-f", "ndjson"]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    entries = load_file(SAMPLE).logs[0].entries  # type: ignore[union-attr]
    parsed = Query.parse(query)
    expected = [e.event.line for e in entries if parsed.matches(e)]
    assert [p["event"]["line"] for p in printed] == expected
    assert expected  # every query here keeps something, so the test can fail


def test_grep_with_an_invalid_regex_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(SAMPLE), "--grep", "re:("]) == 2  # a usage error, as documented
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: --grep: invalid regular expression")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("query", ["!", "re:", '!""', "fail !"])
def test_grep_with_a_term_that_says_nothing_is_refused(
    query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ignored, `!` would print every entry as if they all matched something.
    assert main(["show", str(SAMPLE), "--grep", query]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("fuse-tui: error: --grep: `")
    assert len(captured.err.splitlines()) == 1


def test_grep_that_matches_nothing_prints_nothing_on_stdout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A script piping the entries gets no lines, not a "(no entries)" line; a person is told.
    assert main(["show", str(SAMPLE), "--grep", "no such text anywhere"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "fuse-tui: no entry matches --grep\n"
