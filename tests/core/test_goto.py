"""Go to a time of the call's day or an offset from the cursor."""

from __future__ import annotations

import time

import pytest

from fuse_tui.core.goto import Goto, parse_goto, target_seconds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20:46:50", Goto(clock=20 * 3600 + 46 * 60 + 50)),
        (" 9:05 ", Goto(clock=9 * 3600 + 5 * 60)),
        ("+0:32", Goto(offset=32)),
        ("-1:05", Goto(offset=-65)),
        ("+1:00:05", Goto(offset=3605)),
        ("-5s", Goto(offset=-5)),
        ("+2m", Goto(offset=120)),
        ("+1h", Goto(offset=3600)),
    ],
)
def test_times_and_offsets(text: str, expected: Goto) -> None:
    assert parse_goto(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "25:00", "12:61", "+", "5s", "+99999999h", "1e9"])
def test_what_is_no_target_is_one_sentence(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_goto(text)
    assert "\n" not in str(caught.value)


def test_targets_from_the_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    cursor = 1_764_189_600  # 2025-11-26 20:40:00 UTC
    assert target_seconds(Goto(offset=-5), cursor, utc=False) == cursor - 5
    assert target_seconds(parse_goto("20:46:50"), cursor, utc=True) == cursor + 6 * 60 + 50
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:  # local 15:40; 15:46:50 local is the same moment as 20:46:50 UTC
        assert target_seconds(parse_goto("15:46:50"), cursor, utc=False) == cursor + 410
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
