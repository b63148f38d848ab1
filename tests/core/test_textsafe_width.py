"""steady_width: text whose width every terminal agrees on, for rows laid out in columns."""

from __future__ import annotations

import unicodedata

import pytest

from fuse_tui.core.textsafe import escape_control, steady_width


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\u260e\ufe0f", "\u260e"),  # ☎️ → ☎ (VS16: one cell in tmux, two in kitty)
        ("\u260e\ufe0e", "\u260e"),  # VS15 too
        ("1\ufe0f\u20e3", "1\u20e3"),  # keycap: the enclosing mark stays (zero width everywhere)
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f468\U0001f469\U0001f467"),
        ("\U0001f44d\U0001f3fd", "\U0001f44d"),  # skin tone: 2 cells alone, 0 when joined
        ("a\u200db", "ab"),
        ("\U0001f1eb\U0001f1f7", "\U0001f1eb\U0001f1f7"),  # a flag: two cells everywhere
        ("plain text, \u6f22\u5b57, caf\u00e9", "plain text, \u6f22\u5b57, caf\u00e9"),
    ],
)
def test_what_terminals_disagree_on_is_left_out(raw: str, shown: str) -> None:
    assert steady_width(raw) == shown


def test_nothing_left_changes_width_with_its_neighbours() -> None:
    # Every code point Unicode lists as an emoji modifier or variation selector is gone.
    text = "".join(chr(c) for c in range(0xFE00, 0xFE10)) + "".join(
        chr(c) for c in range(0x1F3FB, 0x1F400)
    )
    kept = steady_width(text)
    assert "\ufe0e" not in kept and "\ufe0f" not in kept
    assert not any(unicodedata.name(c, "").startswith("EMOJI MODIFIER") for c in kept)


def test_it_composes_with_escape_control() -> None:
    raw = "\x1b[31m\u260e\ufe0f\u202e"
    assert steady_width(escape_control(raw)) == "\\x1b[31m\u260e\\u202e"
