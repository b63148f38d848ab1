"""plural(): counts read as words, never "1 events"."""

from __future__ import annotations

import pytest

from fuse_tui.core.plural import plural


@pytest.mark.parametrize(
    ("count", "noun", "plural_noun", "expected"),
    [
        (0, "event", None, "0 events"),
        (1, "event", None, "1 event"),
        (2, "event", None, "2 events"),
        (1234, "call", None, "1,234 calls"),
        (1, "call log", None, "1 call log"),
        (1, "entry", "entries", "1 entry"),
        (3, "entry", "entries", "3 entries"),
        (-1, "second", None, "-1 seconds"),
    ],
)
def test_plural(count: int, noun: str, plural_noun: str | None, expected: str) -> None:
    assert plural(count, noun, plural_noun) == expected
