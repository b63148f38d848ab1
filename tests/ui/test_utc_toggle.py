"""Z switches the clock column between local time and UTC, in every tab."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, last_message, opened, row_texts


async def test_z_shows_the_clock_in_utc_and_back(
    make_app: MakeApp, sample_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")  # UTC-5 in November
    time.tzset()
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, _view):
        assert row_texts(app)[0].lstrip().startswith("15:46:40")  # the sample starts 20:46:40Z
        await pilot.press("Z")
        await pilot.pause()
        assert row_texts(app)[0].lstrip().startswith("20:46:40")
        assert "UTC" in last_message(app)
        await pilot.press("Z")
        await pilot.pause()
        assert row_texts(app)[0].lstrip().startswith("15:46:40")
