"""Reading the archive never asks for the developer key (no gpg prompt for `archive list`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fuse_tui.cli import main


@pytest.mark.parametrize(
    "argv", [["archive", "path"], ["archive", "list"], ["archive", "search", "x"]]
)
def test_archive_reading_commands_do_not_run_the_key_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    marker = tmp_path / "key-command-ran"
    script = tmp_path / "key.py"
    script.write_text(f"open({str(marker)!r}, 'a').write('x'); print('k')\n")
    config = tmp_path / "config.toml"
    config.write_text(
        f'email = "me@example.com"\ndeveloper_key_command = "{sys.executable} {script}"\n'
        f'[archive]\npath = "{tmp_path / "a.sqlite3"}"\n'
    )
    config.chmod(0o600)
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))
    main(argv)
    assert not marker.exists()
