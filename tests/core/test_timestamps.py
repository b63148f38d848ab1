"""core.timestamps: the one reading of a timestamp every view and output uses; format_duration."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.formats import dump_csv, dump_document_json, dump_json, dump_ndjson, dump_xml
from fuse_tui.core.formats.document import LogsDocument
from fuse_tui.core.formats.json_writer import json_text
from fuse_tui.core.formats.xml_writer import dump_document_xml
from fuse_tui.core.model import CallLog, Event, LogEntry
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import (
    epoch_seconds,
    format_timestamp,
    raw_text,
    same_unit_span,
    seconds_between,
    to_datetime,
)

SECONDS = 1_529_552_692  # 2018-06-21 03:44:52 UTC
HUGE = 10**5000  # longer than str() writes (4,300 digits)


pytestmark = pytest.mark.usefixtures("utc")


@pytest.mark.parametrize(
    "value",
    [
        SECONDS,
        SECONDS * 1000,
        SECONDS * 1000 + 999,
        SECONDS * 1_000_000,
        SECONDS * 1_000_000_000,
        float(SECONDS),
        SECONDS + 0.75,
        SECONDS * 1000.0,
        str(SECONDS),
        f" {SECONDS * 1000} ",
        f"{SECONDS}.5",
        "1.529552692e12",
    ],
    ids=[
        "s",
        "ms",
        "ms-fraction",
        "us",
        "ns",
        "float",
        "float-fraction",
        "float-ms",
        "string",
        "string-ms",
        "string-float",
        "string-exp",
    ],
)
def test_every_unit_reads_as_the_same_moment(value: object) -> None:
    assert epoch_seconds(value) == SECONDS
    assert format_timestamp(value) == "2018-06-21 03:44:52"
    assert format_timestamp(value, "%H:%M:%SZ", utc=True) == "03:44:52Z"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "1970-01-01 00:00:00"),
        (-5, "1969-12-31 23:59:55"),
        (-5000, "1969-12-31 22:36:40"),  # small negative: seconds, by magnitude
        (-(SECONDS * 1000), "1921-07-13 20:15:08"),  # negative milliseconds
        (10**17, "1973-03-03 09:46:40"),  # 1e17 is nanoseconds
        (1e17, "1973-03-03 09:46:40"),
        (10**11 - 1, "5138-11-16 09:46:39"),  # the last value read as seconds
        (10**11, "1973-03-03 09:46:40"),  # the first read as milliseconds
    ],
)
def test_magnitudes_and_negatives(value: object, shown: str) -> None:
    assert format_timestamp(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "true"),
        (False, "false"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
        (float("nan"), "NaN"),
        (10**20, "100000000000000000000"),  # beyond nanoseconds
        (-(10**20), "-100000000000000000000"),
        (10**30, str(10**30)),
        (1e300, "1e+300"),
        (-99_999_999_999, "-99999999999"),  # seconds before the year 1
        ("Infinity", "Infinity"),
        ("NaN", "NaN"),
        ("1e999", "1e999"),
        ("soon", "soon"),
        ("\x1b[31m", "\\x1b[31m"),  # text is data: escaped, never a terminal command
        pytest.param("9" * 5000, "9" * 5000, id="5000-digit-string"),
        pytest.param(HUGE, "(a number of about 5,001 digits)", id="huge-int"),
        pytest.param(-HUGE, "-(a number of about 5,001 digits)", id="huge-negative-int"),
        ([1], "[1]"),
    ],
)
def test_what_is_no_time_shows_as_its_raw_text(value: object, shown: str) -> None:
    assert epoch_seconds(value) is None
    assert to_datetime(value) is None
    assert format_timestamp(value) == shown
    assert raw_text(value) == shown


@pytest.mark.parametrize("value", [None, "", "  "])
def test_absent_shows_the_missing_mark(value: object) -> None:
    assert format_timestamp(value) == "-"
    assert format_timestamp(value, missing="—") == "—"


def test_seconds_between_reads_each_side_in_its_own_unit() -> None:
    assert seconds_between(SECONDS, SECONDS * 1000 + 5000) == 5
    assert seconds_between(SECONDS * 1_000_000_000, SECONDS) == 0
    assert seconds_between(10, 0) == -10
    assert seconds_between(SECONDS, float("inf")) is None
    assert seconds_between(None, SECONDS) is None
    # The widest span there is: no overflow, a plain integer.
    assert seconds_between(-62_135_596_800, 10**20 - 1) == 162_135_596_799


@pytest.mark.parametrize(
    ("low", "high", "one_unit"),
    [
        (SECONDS, SECONDS + 9, True),
        (-5, 10, True),
        (SECONDS * 1000, SECONDS * 1000 + 9, True),
        (SECONDS * 10**9, (SECONDS + 9) * 10**9, True),
        (-(SECONDS * 1000), -(SECONDS * 1000) + 9, True),
        (SECONDS, SECONDS * 1000, False),  # seconds and milliseconds
        (-(SECONDS * 1000), SECONDS * 1000, False),  # 0 (seconds) lies between
        (SECONDS, 10**30, False),
        (-(10**11) + 1, 0, False),  # seconds before the year 1
    ],
)
def test_same_unit_span(low: int, high: int, one_unit: bool) -> None:
    assert same_unit_span(low, high) is one_unit


@pytest.mark.parametrize(
    ("seconds", "sign", "shown"),
    [
        (0, "+", "+0:00"),
        (70, "+", "+1:10"),
        (-10, "+", "-0:10"),
        (-3661, "+", "-1:01:01"),
        (-5, "", "-0:05"),
        (162_135_596_799, "+", "+45037665:46:39"),
        (None, "+", "—"),
    ],
)
def test_format_duration_shows_a_clock_going_backwards(
    seconds: int | None, sign: str, shown: str
) -> None:
    assert format_duration(seconds, sign=sign) == shown


# ---------------------------------------------------------------- no value makes a writer raise


def _number_text(number: float) -> str:
    """The number as a source would write it (Decimal: str() refuses 4,301 digits)."""
    if isinstance(number, int) and not isinstance(number, bool):
        return str(Decimal(number))
    return str(number)


# Built lazily: hypothesis describes a sampled_from by repr(), which such integers refuse.
HUGE_INTS = st.sampled_from([4301, 5000]).map(lambda digits: 10**digits) | st.just(0).map(
    lambda _: -HUGE
)
ODD_NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.sampled_from([10**17, 10**20, -(10**20), 0, -1, True, False]),
    HUGE_INTS,
    st.floats(allow_nan=True, allow_infinity=True),
)
TIMESTAMP_VALUES = st.one_of(
    st.none(),
    ODD_NUMBERS,
    ODD_NUMBERS.map(_number_text),
    st.sampled_from(["Infinity", "NaN", "1e999", "-1e999", "", "soon"]),
)


def _strict_json(text: str | bytes) -> Any:
    def refuse(token: str) -> Any:
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


ENTRY_STAMPS = st.one_of(  # what the model holds: an int of any size, or None
    st.none(), st.integers(), st.sampled_from([10**17, 10**20, -(10**20)]), HUGE_INTS
)


def _log(stamp: int | None, odd: object) -> CallLog:
    entries = [
        LogEntry(event=Event(line="a"), class_="info", timestamp=stamp),
        LogEntry(event=Event(line="b", data={"n": odd}), class_="error", timestamp=0),
    ]
    return CallLog(session_id="s;1", entries=entries, meta={"start": odd, "end": stamp})


@settings(max_examples=150, deadline=None)
@given(stamp=ENTRY_STAMPS, odd=TIMESTAMP_VALUES)
def test_no_timestamp_value_makes_a_formatter_or_writer_raise(
    stamp: int | None, odd: object
) -> None:
    for value in (stamp, odd):
        assert isinstance(format_timestamp(value), str)
        assert isinstance(format_timestamp(value, "%d %b  %Y", utc=True), str)
        assert isinstance(raw_text(value), str)
    assert isinstance(format_duration(seconds_between(stamp, odd), sign="+"), str)
    log = _log(stamp, odd)
    document = LogsDocument(logs=[log], kind="all_logs")
    _strict_json(dump_json(log))
    _strict_json(dump_document_json(document))
    for line in dump_ndjson([log]).splitlines():
        _strict_json(line)
    _strict_json(json_text({"v": [stamp, odd]}, pretty=False))
    assert dump_xml(log).startswith(b"<?xml")
    assert dump_document_xml(document).startswith(b"<?xml")
    assert dump_csv([log]).startswith(b"session_id,")


def test_json_writes_what_standard_json_cannot_hold_as_strings() -> None:
    value = {"a": float("inf"), "b": [float("-inf"), float("nan")], "c": HUGE, "d": 1.5, "e": 7}
    written = _strict_json(json_text(value))
    assert written == {
        "a": "Infinity",
        "b": ["-Infinity", "NaN"],
        "c": "1" + "0" * 5000,
        "d": 1.5,
        "e": 7,
    }
    # Written again, the strings stay the same strings: a stable round trip.
    assert _strict_json(json_text(written)) == written
