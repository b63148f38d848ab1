"""``show SOURCE`` where SOURCE is neither a file nor fetchable: the error names both readings."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.cli import main


def test_a_mistyped_file_without_credentials_says_no_such_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.chdir(tmp_path)
    assert main(["show", "mycall"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: mycall: no such file") and err.count("\n") == 1
    assert "session ID" in err and "FUSE_DEVELOPER_KEY" in err
