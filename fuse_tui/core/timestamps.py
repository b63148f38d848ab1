"""One reading of a timestamp, for every view and output.

Fuse documents timestamps as UNIX seconds, but a server (or a saved file) may carry
milliseconds, microseconds or nanoseconds, floats, numeric strings, negative values or numbers
no clock can show. Every view asks this module, so they all agree:

* The unit is told by magnitude: below 10¹¹ seconds (until the year 5138), below 10¹⁴
  milliseconds, below 10¹⁷ microseconds, below 10²⁰ nanoseconds (the same rule for negative
  values, by their size). 10¹⁷ is therefore nanoseconds: 1973-03-03.
* ``int``, finite ``float`` and numeric ``str`` values are numbers; ``bool``, ``NaN``,
  infinities, words and objects are not times.
* A value that is no time, or a time outside the years 1 to 9999, is shown as its raw text
  (:func:`raw_text`): never an exception, never a made-up date.
* The value itself is never changed: models, archives and writers keep it as served.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Final

from fuse_tui.core.textsafe import escape_control

# (magnitude below which a value is in this unit, how many of the unit make one second)
_UNITS: Final = ((10**11, 1), (10**14, 10**3), (10**17, 10**6), (10**20, 10**9))
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
# What datetime can hold: 0001-01-01 00:00:00 to 9999-12-31 23:59:59 UTC.
MIN_SECONDS: Final = -62_135_596_800
MAX_SECONDS: Final = 253_402_300_799


def _number(value: object) -> int | float | None:
    """``value`` as a finite number, or None when it is none (bool, NaN, ∞, words, objects)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 64:  # no time has that many digits; spares int() a 4300-digit refusal
            return None
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _per_second(number: float) -> int | None:
    size = abs(number)
    return next((per for below, per in _UNITS if size < below), None)


def same_unit_span(low: int, high: int) -> bool:
    """True when every integer from ``low`` to ``high`` is a time in one and the same unit, so
    their raw order is their time order (a view can then skip reading each one)."""
    unit = _per_second(low)
    # Across zero only in seconds: a small value between two large ones is in another unit.
    if unit is None or unit != _per_second(high) or (low < 0 < high and unit != 1):
        return False
    return epoch_seconds(low) is not None and epoch_seconds(high) is not None


def epoch_seconds(value: object) -> int | None:
    """The whole UNIX seconds ``value`` stands for (unit told by magnitude, see the module
    docstring), or None when it is no time or outside the years 1 to 9999."""
    number = _number(value)
    if number is None:
        return None
    per_second = _per_second(number)
    if per_second is None:
        return None
    # Integer division for integers: a float would round 19-digit nanoseconds.
    seconds = number // per_second if isinstance(number, int) else math.floor(number / per_second)
    return seconds if MIN_SECONDS <= seconds <= MAX_SECONDS else None


def to_datetime(value: object, *, utc: bool = False) -> datetime | None:
    """The moment ``value`` stands for, in UTC or the local time zone; None when it is no time."""
    seconds = epoch_seconds(value)
    if seconds is None:
        return None
    moment = EPOCH + timedelta(seconds=seconds)
    if utc:
        return moment
    try:
        return moment.astimezone()
    except (OverflowError, OSError, ValueError):  # the local zone pushed it past year 1 or 9999
        return None


def raw_text(value: object) -> str:
    """``value`` as the number (or text) it is, safe to print: what a view shows for a value
    that is no time. Integers too long for ``str()`` are named by their number of digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # past sys.get_int_max_str_digits()
            digits = int(value.bit_length() * math.log10(2)) + 1
            return f"{'-' if value < 0 else ''}(a number of about {digits:,} digits)"
    return escape_control(str(value))


def format_timestamp(
    value: object, fmt: str = "%Y-%m-%d %H:%M:%S", *, utc: bool = False, missing: str = "-"
) -> str:
    """``value`` as a time in ``fmt`` (local time unless ``utc``); ``missing`` for None or an
    empty string; the raw number (see :func:`raw_text`) when it is no representable time."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return missing
    moment = to_datetime(value, utc=utc)
    if moment is None:
        return raw_text(value)
    try:
        return moment.strftime(fmt)
    except ValueError:  # a platform strftime refusing a far year
        return raw_text(value)


def seconds_between(start: object, end: object) -> int | None:
    """Whole seconds from ``start`` to ``end`` (negative when the clock went backwards), each
    read in its own unit; None when either is no time."""
    first = epoch_seconds(start)
    last = epoch_seconds(end)
    if first is None or last is None:
        return None
    return last - first
