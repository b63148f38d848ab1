"""``config show`` masks a key wherever it sits, even inside a base URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.cli import main

KEY = "SEKRIT-KEY-123"


@pytest.mark.parametrize(
    "url",
    [
        f"https://me%40example.com:{KEY}@fuse.example.com/api",
        f"https://{KEY}@fuse.example.com/api",
        f"https://me:{KEY}@[::1]:8443/api",
    ],
)
def test_a_key_inside_the_base_url_is_masked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("FUSE_BASE_URL", url)
    monkeypatch.setenv("FUSE_DEVELOPER_KEY", KEY)
    assert main(["config", "show"]) == 0
    out, err = capsys.readouterr()
    assert KEY not in out + err
    line = next(line for line in out.splitlines() if line.startswith("base url"))
    assert "fuse.example.com/api" in line or "[::1]:8443/api" in line
    assert "***" in line
