"""Reading commands never create an archive (or its folders) where none exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.archive import default_archive_path


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["search", "menu"],
        ["export", "--all", "--to", "OUT"],
        ["export", "x", "--to", "OUT"],
    ],
)
def test_a_mistyped_archive_path_is_an_error_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    missing = tmp_path / "typo" / "archive.sqlite3"
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    assert main(["archive", *argv, "--archive", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: ") and err.count("\n") == 1
    assert str(missing) in err
    assert not (tmp_path / "typo").exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", [["list"], ["search", "menu"]])
def test_no_archive_yet_at_the_default_path_is_a_note(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert not default_archive_path().exists()
    assert main(["archive", *argv]) == 0
    assert "archive sync" in capsys.readouterr().err
    assert not default_archive_path().parent.exists()
