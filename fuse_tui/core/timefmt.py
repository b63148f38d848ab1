"""Durations as people read them in a call list or a log: ``m:ss``, or ``h:mm:ss`` past an hour."""

from __future__ import annotations


def format_duration(seconds: int | None, *, sign: str = "", missing: str = "—") -> str:
    """``m:ss`` below an hour, ``h:mm:ss`` above, after ``sign`` (e.g. ``"+"`` for offsets).

    ``missing`` stands for an unknown duration; a negative one (clock skew) reads as zero.
    """
    if seconds is None:
        return missing
    minutes, secs = divmod(max(0, seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"
