"""Counts in words: ``1 event``, ``2 events``, ``1,234 calls`` — never ``1 events``.

One helper for every front end (TUI notifications, screens, CLI lines), so a count reads the same
everywhere and no f-string has to remember the ``'s' if n != 1`` dance.
"""

from __future__ import annotations


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """``count`` with thousands separators and ``noun`` in the right number.

    ``plural_noun`` is for the irregular ones (``plural(2, "entry", "entries")``); the default
    adds an ``s``.
    """
    word = noun if count == 1 else (plural_noun or f"{noun}s")
    return f"{count:,} {word}"
