"""The archive commands find their file by the service's one rule (core.service.archive_path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.archive import default_archive_path


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))


def test_without_anything_set_it_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["archive", "path"]) == 0
    assert capsys.readouterr().out == f"{default_archive_path()}\n"


def test_the_config_path_even_with_autosave_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # enabled = false stops archiving every fetch; the archive commands still use the file.
    where = tmp_path / "c.sqlite3"
    _config(tmp_path, monkeypatch, f'[archive]\npath = "{where}"\nenabled = false\n')
    assert main(["archive", "path"]) == 0
    assert capsys.readouterr().out == f"{where}\n"


def test_the_flag_beats_the_config_and_a_broken_config_does_not_matter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path, monkeypatch, "this is = = not TOML\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["archive", "path", "--archive", "~/flag.sqlite3"]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'flag.sqlite3'}\n"
    assert main(["archive", "path"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: cannot read the settings to find the archive")
    assert err.count("\n") == 1


def test_import_counts_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    archive = tmp_path / "a.sqlite3"
    dump = data_dir / "all_logs.json"
    assert main(["archive", "import", "--archive", str(archive), str(dump)]) == 0
    out, err = capsys.readouterr()
    imported = out.count("imported ")
    assert imported > 1
    assert err.splitlines()[-1] == f"{imported} calls imported into {archive}"  # not "call(s)"
