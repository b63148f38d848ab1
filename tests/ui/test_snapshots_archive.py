"""Screenshot of the Archive screen with its statistics line and calls/errors chart (80x24).

Deterministic: the screen's clock is fixed and local time is UTC. Update with ``pytest
tests/ui/test_snapshots_archive.py --snapshot-update`` after a deliberate visual change.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from fuse_tui.core.archive import Archive
from fuse_tui.ui.screens.archive import ArchiveScreen
from tests.archive.test_stats import HOUR, T, call
from tests.ui.conftest_screens import ScreenHost, local_utc

__all__ = ["local_utc"]  # a fixture, imported so pytest finds it here


@pytest.fixture
def day_of_calls(tmp_path: Path) -> Iterator[Archive]:
    """A day of calls: a few an hour, errors in some hours."""
    with Archive.open(tmp_path / "archive.sqlite3") as archive:
        for index in range(60):
            at = T + (index * index % 24) * HOUR + index * 37
            errors = [f"timeout after {1000 + index} ms"] if index % 7 == 3 else []
            app = "Billing" if index % 3 else "Survey"
            archive.store(
                call(app, "1.2", at, 3 + index % 9, errors),
                f"300060;{index:03d};{at}",
                {"start": at, "src": f"617555{index:04d}", "dest": "8009957586"},
            )
        yield archive


async def _loaded(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_archive_with_stats_80x24(
    snap_compare: Any, day_of_calls: Archive, local_utc: None
) -> None:
    screen = ArchiveScreen(day_of_calls, now=lambda: T + 2 * 86400)
    assert snap_compare(ScreenHost(screen), terminal_size=(80, 24), run_before=_loaded)
