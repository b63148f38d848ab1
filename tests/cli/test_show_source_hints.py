"""``show SOURCE`` where SOURCE is neither a file nor fetchable: the error names both readings."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.cli import main


def test_a_word_that_names_nothing_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bare word of letters is no session ID (core.sources): asking Fuse would only 404."""
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.chdir(tmp_path)
    assert main(["show", "mycall"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: mycall: no such file") and err.count("\n") == 1
    assert "session ID" in err


def test_a_mistyped_file_without_credentials_says_no_such_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "none.toml"))
    for name in ("FUSE_EMAIL", "FUSE_DEVELOPER_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["show", "mycall2"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: mycall2: no such file") and err.count("\n") == 1
    assert "session ID" in err and "FUSE_DEVELOPER_KEY" in err
