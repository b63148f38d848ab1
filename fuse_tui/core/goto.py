"""Where "go to" means: a clock time of the call's day, or an offset from the cursor.

- ``20:46:50`` or ``20:46`` — that time of day (in the clock the list shows: local or UTC), on the
  day of the event under the cursor;
- ``+0:32``, ``-1:05:00`` — minutes:seconds (or hours:minutes:seconds) after / before the cursor;
- ``+5s``, ``-90s``, ``+2m``, ``-1h`` — the same with a unit.

:func:`parse_goto` reads the text; :func:`target_seconds` turns it into UNIX seconds from the
cursor's moment. Both say what is wrong in one sentence (``ValueError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_OFFSET_CLOCK = re.compile(r"([+-])(\d+):(\d{2})(?::(\d{2}))?")
_OFFSET_UNIT = re.compile(r"([+-])(\d+)\s*([smh])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}
# Further than any call lasts, and small enough for every date computation.
MAX_OFFSET = 7 * 86400

EXAMPLES = "20:46:50, +0:32 or -5s"


@dataclass(frozen=True)
class Goto:
    """A clock time of day (``clock`` seconds since midnight) or an ``offset`` in seconds."""

    clock: int | None = None
    offset: int | None = None


def parse_goto(text: str) -> Goto:
    value = text.strip()
    if match := _CLOCK.fullmatch(value):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        if hours > 23 or minutes > 59 or seconds > 59:
            raise ValueError(f"{value} is not a time of day (hours 0-23, minutes 0-59)")
        return Goto(clock=hours * 3600 + minutes * 60 + seconds)
    if match := _OFFSET_CLOCK.fullmatch(value):
        sign, first, second, third = match.groups()
        if third is None:  # m:ss
            amount = int(first) * 60 + int(second)
        else:  # h:mm:ss
            amount = int(first) * 3600 + int(second) * 60 + int(third)
        return Goto(offset=_bounded(-amount if sign == "-" else amount, value))
    if match := _OFFSET_UNIT.fullmatch(value):
        sign, number, unit = match.groups()
        amount = int(number) * _UNIT_SECONDS[unit]
        return Goto(offset=_bounded(-amount if sign == "-" else amount, value))
    raise ValueError(f"cannot go to {value!r}: type a time or an offset, e.g. {EXAMPLES}")


def _bounded(offset: int, text: str) -> int:
    if abs(offset) > MAX_OFFSET:
        raise ValueError(f"{text} is further than any call lasts (at most 7 days)")
    return offset


def target_seconds(goto: Goto, cursor: int, *, utc: bool) -> int:
    """UNIX seconds to go to, from the cursor's moment ``cursor`` (UNIX seconds)."""
    if goto.offset is not None:
        return cursor + goto.offset
    assert goto.clock is not None
    here = (
        datetime.fromtimestamp(cursor, UTC) if utc else datetime.fromtimestamp(cursor).astimezone()
    )
    midnight = here.replace(hour=0, minute=0, second=0, microsecond=0)
    return int((midnight + timedelta(seconds=goto.clock)).timestamp())
