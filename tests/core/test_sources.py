"""One rule decides whether a word is a file, stdin, a session ID or a mistyped word."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.core.sources import SourceKind, classify_source, looks_like_session_id, suggest


@pytest.mark.parametrize(
    "word",
    [
        "300060;001;1529552581",
        "300060%3B001%3B1529552581",
        " '300060;001;1529552581' ",
        "https://fuse.plumvoice.com/api/call/300060%3B001%3B1529552581",
        "abc123",
    ],
)
def test_session_ids(word: str) -> None:
    assert looks_like_session_id(word)
    assert classify_source(word) is SourceKind.SESSION


@pytest.mark.parametrize("word", ["missing.json", "dir/call", "./call", "~/x", "C:\\x", "A.XML"])
def test_missing_paths_are_still_files(word: str) -> None:
    assert not looks_like_session_id(word)
    assert classify_source(word) is SourceKind.FILE


@pytest.mark.parametrize("word", ["archve", "shwo", "calls-list", "", "   "])
def test_bare_words_are_unknown(word: str) -> None:
    assert classify_source(word) is SourceKind.UNKNOWN


def test_an_existing_path_is_a_file_whatever_its_name(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("300060;001;1", "archve"):
        (tmp_path / name).write_text("[]")
        assert classify_source(name) is SourceKind.FILE
    (tmp_path / "folder1").mkdir()
    assert classify_source("folder1") is SourceKind.FILE


def test_stdin_and_odd_text() -> None:
    assert classify_source("-") is SourceKind.STDIN
    assert classify_source("a\x00b1") is SourceKind.SESSION  # no crash on a NUL byte


def test_suggestions() -> None:
    commands = ["show", "get", "calls", "archive", "emulator", "config"]
    assert suggest("archve", commands) == "archive"
    assert suggest("shwo", commands) == "show"
    assert suggest("ARCHIVE", commands) == "archive"
    assert suggest("zzzzzz", commands) is None
