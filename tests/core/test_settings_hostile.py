"""Credentials that cannot be stored or sent: refused with a sentence, the old file untouched."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.settings import SettingsError, save_credentials

GOOD = 'email = "old@example.com"\ndeveloper_key = "old-k3y"\n'


@pytest.mark.parametrize(
    ("email", "key", "what"),
    [
        ("a@example.com", "SEKRIT\udcff-KEY", "developer key"),  # undecodable byte on stdin
        ("a@example.com", "SEKRIT\x1b[2J-KEY", "developer key"),
        ("a\nb@example.com", "SEKRIT-KEY", "e-mail"),
        ("a\u202e@example.com", "SEKRIT-KEY", "e-mail"),
    ],
)
def test_unstorable_credentials_are_refused(
    tmp_path: Path, email: str, key: str, what: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(GOOD)
    with pytest.raises(SettingsError) as caught:
        save_credentials(email, key, path=config)
    assert what in str(caught.value)
    assert "SEKRIT" not in str(caught.value)
    assert config.read_text() == GOOD
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_cli_set_credentials_with_an_undecodable_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))
    monkeypatch.setattr("sys.stdin", io.StringIO("SEKRIT\udcff-KEY\n"))
    assert main(["config", "set-credentials", "--email", "a@example.com"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: ") and err.count("\n") == 1
    assert "SEKRIT" not in err
    assert not config.exists()
