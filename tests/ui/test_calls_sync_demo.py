"""``fuse-tui --demo`` gets a throwaway archive (so the calls browser's marks and sync work
there), removed on exit; ``--no-archive`` and ``--archive PATH`` still decide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fuse_tui.cli import tui as launch
from fuse_tui.ui.app import FuseApp


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    """Runs ``main`` without a terminal: records the app's config while it would be running."""
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "config.toml"))
    for name in ("FUSE_EMAIL", "FUSE_DEVELOPER_KEY", "FUSE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    records: list[dict[str, Any]] = []

    def run(self: FuseApp, *args: Any, **kwargs: Any) -> None:
        path = self.service.archive_path
        records.append({"path": path, "folder_exists": path is not None and path.parent.is_dir()})

    monkeypatch.setattr(FuseApp, "run", run)
    return records


def test_demo_uses_a_throwaway_archive_removed_on_exit(seen: list[dict[str, Any]]) -> None:
    assert launch.main(["--demo"]) == 0
    (record,) = seen
    path = record["path"]
    assert path is not None and record["folder_exists"]
    assert "fuse-tui-demo-" in path.parent.name
    assert not path.parent.exists()


def test_demo_respects_no_archive_and_an_explicit_archive(
    seen: list[dict[str, Any]], tmp_path: Path
) -> None:
    assert launch.main(["--demo", "--no-archive"]) == 0
    assert seen[-1]["path"] is None
    mine = tmp_path / "mine.sqlite"
    assert launch.main(["--demo", "--archive", str(mine)]) == 0
    assert seen[-1]["path"] == mine
