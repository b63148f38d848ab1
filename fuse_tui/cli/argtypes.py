"""argparse ``type=`` functions with bounds, for every numeric and duration option.

A value no command can use (``--since 1e308d``, ``--limit 99999999999999999999``, ``--timeout
nan``, ``--concurrency 0``) is a usage error when the command line is read: exit 2 and one line
naming the option (``fuse-tui: error: --limit: …``; see ``Parser.error``). Without this it
surfaced later as an ``OverflowError`` traceback, from SQLite, from ``datetime`` or in a sync.

Each option's bounds live here, next to why they are what they are, so a new option takes one
of these rather than a bare ``type=int``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from fuse_tui.core.durations import parse_duration, quoted_input
from fuse_tui.core.limits import MAX_TIMEOUT_SECONDS
from fuse_tui.core.phone import normalize_number

# The last second of year 9999: the largest epoch a ``datetime`` (and so every date shown)
# can hold. Fuse's epochs are seconds since 1970, never negative.
MAX_EPOCH = 253402300799
# More rows than any archive holds; and SQLite's LIMIT takes at most a signed 64-bit integer.
MAX_ROWS = 1_000_000_000
# Parallel fetches: Fuse rate-limits long before this, and each one is a task and a connection.
MAX_CONCURRENCY = 64


def integer(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high`` (both included)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number, got {quoted_input(text)}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low:,} to {high:,}, got {quoted_input(text)}"
            )
        return value

    parse.__name__ = "integer"
    return parse


def real(low: float, high: float, *, low_included: bool = True) -> Callable[[str], float]:
    """A finite number from ``low`` to ``high``; never nan or inf."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a number, got {quoted_input(text)}"
            ) from None
        above_low = value >= low if low_included else value > low
        if not (math.isfinite(value) and above_low and value <= high):  # nan fails every test
            shown_low, shown_high = _number(low), _number(high)
            bounds = (
                f"from {shown_low} to {shown_high}"
                if low_included
                else f"above {shown_low}, up to {shown_high}"
            )
            raise argparse.ArgumentTypeError(
                f"expected a number {bounds}, got {quoted_input(text)}"
            )
        return value

    parse.__name__ = "number"
    return parse


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def duration(text: str) -> int:
    """``--since``: ``30d``, ``12h``, ``90m``, ``2w``, ``45s`` or seconds → whole seconds."""
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def phone_number(text: str) -> str:
    """``--number``: a phone number as typed (``+1 (617) 555-0142``), refused when it has no
    digit (dropping it would list every call). Returned as typed; the service and the archive
    read it with ``core.phone.normalize_number``, so every command matches numbers alike."""
    if normalize_number(text) is None:
        raise argparse.ArgumentTypeError(
            f"expected a phone number such as 6175550142, got {quoted_input(text)}"
        )
    return text.strip()


# The options' types, shared by every command that has the option.
epoch = integer(0, MAX_EPOCH)  # --start, --end
row_limit = integer(1, MAX_ROWS)  # --limit
concurrency = integer(1, MAX_CONCURRENCY)  # --concurrency
timeout_seconds = real(0.0, MAX_TIMEOUT_SECONDS, low_included=False)  # --timeout
