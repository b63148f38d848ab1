"""The model reads timestamps as core.timestamps does: a listing or log in ms is no different."""

from __future__ import annotations

from fuse_tui.core.model import CallLog, CallSummary, LogEntry


def _log(*stamps: object) -> CallLog:
    entries = [LogEntry.model_validate({"event": {"line": "x"}, "timestamp": s}) for s in stamps]
    return CallLog(entries=entries)


def test_a_call_listed_in_milliseconds_lasts_as_long_as_in_seconds() -> None:
    assert CallSummary(session_id="s", start=1_800_000_000, end=1_800_000_006).duration == 6
    assert CallSummary(session_id="m", start=1_800_000_000_000, end=1_800_000_006_000).duration == 6
    assert CallSummary(session_id="x", start=1_800_000_000, end=1_800_000_006_000).duration == 6
    assert CallSummary(session_id="b", start=10, end=5).duration == 0
    assert CallSummary(session_id="n", start=None, end=5).duration is None


def test_first_and_last_are_by_moment_and_keep_the_written_value() -> None:
    # 1_800_000_010 s is later than 1_800_000_005_000 ms, though smaller as a number.
    log = _log(1_800_000_005_000, 1_800_000_010, 1_800_000_000)
    assert log.first_timestamp == 1_800_000_000
    assert log.last_timestamp == 1_800_000_010
    same_unit = _log(3, 1, 2)
    assert (same_unit.first_timestamp, same_unit.last_timestamp) == (1, 3)
    assert _log().first_timestamp is None
