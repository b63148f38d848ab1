"""A search sees every key and value of an event's data, at any depth (issue 11's worst gap:
`/upstream` said "showing 0 of 14" while the error's data held "…upstream timeout")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import Query

ENTRY = {
    "event": {
        "line": "REST request failed",
        "data": {
            "module_type": "rest",
            "result_variable": "balance_lookup",
            "request": {"url": "https://billing.example.com/v2/accounts", "method": "GET"},
            "response": {
                "status": 503,
                "ok": False,
                "body": "\x1b[31mService Unavailable: upstream",
            },
            "retries": [1, {"after_ms": 2500}],
            "note": None,
        },
    },
    "class": "error",
    "timestamp": 1_800_000_000,
}


def _entry() -> LogEntry:
    return LogEntry.model_validate(ENTRY)


@pytest.mark.parametrize(
    "query",
    [
        "upstream",  # a word inside a nested value
        "UPSTREAM",  # case-insensitive
        "billing.example.com",  # a URL in a nested object
        "after_ms",  # a key inside a list's object
        "2500",  # a number as its text
        "false",  # a boolean as JSON writes it
        "null",
        "response.status: 503",  # the field's path, as the detail pane shows it
        '"response.status: 503"',  # the same as a phrase
        "response.status:503",  # the same as a field term
        "status:503",  # a field by its key alone
        "re:^response\\.status: 5\\d\\d$",  # anchors at each field (re: runs to the end)
        "\\x1b[31m",  # control characters as shown, escaped
    ],
)
def test_a_query_finds_what_the_data_holds(query: str) -> None:
    assert Query.parse(query).matches(_entry())


def test_what_is_not_there_is_not_found_and_inverting_agrees() -> None:
    assert not Query.parse("nowhere to be found").matches(_entry())
    assert not Query.parse("!upstream").matches(_entry())


def test_show_grep_finds_a_word_only_the_data_holds(tmp_path: Path, capsys) -> None:
    quiet = {"event": {"line": "all good", "data": {"status": 200}}, "class": "info"}
    path = tmp_path / "call.json"
    path.write_text(json.dumps([quiet, ENTRY]), encoding="utf-8")
    assert main(["show", str(path), "--grep", "upstream"]) == 0
    out = capsys.readouterr().out
    assert "REST request failed" in out and "all good" not in out
