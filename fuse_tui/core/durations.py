"""Durations as people type them (``30d``, ``12h``, ``90m``, ``2w``, ``45s``, ``600``) → seconds.

One reading for every ``--since`` (``calls``, ``archive sync|list|search``). A duration that
cannot be a window back from now — longer than :data:`MAX_DURATION` — is refused here, where
it is read, instead of overflowing later in whatever turns it into a date.
"""

from __future__ import annotations

import math

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}

# A window reaching back further than a century starts before any Fuse call (or computer
# telephony) existed, and the start of a much longer one is not a date Python can print.
MAX_DURATION = 36500 * 86400
_SHAPE_HINT = "is not a duration like 5d, 12h or 30m"


def parse_duration(text: str) -> int:
    """``30d``, ``12h``, ``90m``, ``2w``, ``45s`` or plain seconds → whole seconds.

    ValueError, with a message fit for the user, when ``text`` is not one, is negative, or is
    longer than MAX_DURATION (100 years; "1e308d", "inf" and "nan" among them).
    """
    value = text.strip().lower()
    if not value:
        raise ValueError("empty duration")
    unit = UNITS.get(value[-1])
    number = value[:-1] if unit else value
    try:
        amount = float(number)
    except ValueError:
        raise ValueError(f"{quoted_input(text)} {_SHAPE_HINT}") from None
    if not math.isfinite(amount):  # "inf", "nan", "1e400"
        raise ValueError(f"{quoted_input(text)} {_SHAPE_HINT}")
    if amount < 0:
        raise ValueError(f"{quoted_input(text)}: a duration cannot be negative")
    seconds = amount * (unit or 1)  # a float: 1e308d is inf here, and int(inf) would raise
    if seconds > MAX_DURATION:
        raise ValueError(
            f"{quoted_input(text)} is longer than the longest duration, 100 years (36500d)"
        )
    return int(seconds)


def quoted_input(text: str, limit: int = 40) -> str:
    """What the user typed, quoted for a message and shortened: 5,000 digits are not worth
    echoing whole."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")
