"""Durations as people read them in a call list or a log: ``m:ss``, or ``h:mm:ss`` past an hour."""

from __future__ import annotations


def format_duration(seconds: int | None, *, sign: str = "", missing: str = "—") -> str:
    """``m:ss`` below an hour, ``h:mm:ss`` above, after ``sign`` (e.g. ``"+"`` for offsets).

    ``missing`` stands for an unknown duration. A negative one (a clock that went backwards)
    reads with ``-`` instead of ``sign``: ``-0:10``, so the jump back is seen, not hidden.
    """
    if seconds is None:
        return missing
    if seconds < 0:
        sign = "-"
    minutes, secs = divmod(abs(int(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"
