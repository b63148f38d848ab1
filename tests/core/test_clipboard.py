"""copy_text: pyperclip (faked: there is no display here) plus OSC 52, with honest messages."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from fuse_tui.core.clipboard import (
    OSC52_MAX_BASE64,
    CopyResult,
    copy_text,
    osc52_payload,
    tmux_wrap,
)


class PyperclipException(RuntimeError):
    """Stands in for pyperclip.PyperclipException (copy_text looks it up on the module)."""


class FakePyperclip:
    """A pyperclip with or without a clipboard behind it."""

    PyperclipException = PyperclipException

    def __init__(self, available: bool) -> None:
        self.available = available
        self.copied: list[str] = []

    def copy(self, text: str) -> None:
        if not self.available:
            raise PyperclipException(
                "Pyperclip could not find a copy/paste mechanism for your system. For more "
                "information, please visit https://pyperclip.readthedocs.io/en/latest/"
            )
        self.copied.append(text)


class Terminal:
    def __init__(self) -> None:
        self.written: list[str] = []

    def __call__(self, data: str) -> None:
        self.written.append(data)


def _copy(
    text: str, *, available: bool, tmux: bool = False, **kw: Any
) -> tuple[CopyResult, FakePyperclip, Terminal]:
    clip = FakePyperclip(available)
    term = Terminal()
    result = copy_text(text, osc52_writer=term, tmux=tmux, pyperclip_module=clip, **kw)
    return result, clip, term


def test_system_clipboard_and_osc52_both_used() -> None:
    result, clip, term = _copy("hello", available=True)
    assert clip.copied == ["hello"]
    assert term.written == ["\x1b]52;c;aGVsbG8=\x07"]
    assert (result.system, result.osc52, result.truncated) == (True, True, False)
    assert result.message == "Copied 5 characters to the system clipboard and the terminal (OSC 52)"


def test_thousands_separator_in_count() -> None:
    result, _, _ = _copy("x" * 1234, available=True)
    assert result.message.startswith("Copied 1,234 characters to the system clipboard")


def test_no_system_clipboard_says_so_and_uses_osc52() -> None:
    result, clip, term = _copy("héllo", available=False)
    assert clip.copied == []
    assert term.written == ["\x1b]52;c;" + base64.b64encode("héllo".encode()).decode() + "\x07"]
    assert (result.system, result.osc52, result.truncated) == (False, True, False)
    # The pyperclip reason is left out: with OSC 52 sent, what matters is the terminal's part.
    assert result.message == (
        "Sent 5 characters by OSC 52 (no system clipboard); your terminal must allow it"
    )


def test_under_tmux_both_plain_and_passthrough_forms_are_sent() -> None:
    result, _, term = _copy("hi", available=False, tmux=True)
    # Plain (for `set-clipboard on`), then wrapped with inner ESCs doubled (`allow-passthrough on`).
    assert term.written == ["\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"]
    assert "OSC 52 through tmux" in result.message
    assert "set-clipboard on or allow-passthrough on" in result.message


def test_tmux_detected_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    term = Terminal()
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,1,0")
    copy_text("a", osc52_writer=term, pyperclip_module=FakePyperclip(True))
    monkeypatch.delenv("TMUX")
    copy_text("a", osc52_writer=term, pyperclip_module=FakePyperclip(True))
    assert term.written[0].startswith("\x1b]52;c;YQ==\x07\x1bPtmux;")
    assert term.written[1] == "\x1b]52;c;YQ==\x07"


def test_tmux_wrap_exact() -> None:
    assert tmux_wrap("\x1b]52;c;QQ==\x07") == "\x1bPtmux;\x1b\x1b]52;c;QQ==\x07\x1b\\"


def test_payload_cap_on_utf8_boundary() -> None:
    # "é" is 2 bytes: a 4-char base64 cap allows 3 raw bytes, i.e. one "é" plus half of the next.
    payload, sent, truncated = osc52_payload("ééé", max_base64=4)
    assert truncated and sent == 2
    assert base64.b64decode(payload).decode("utf-8") == "é"
    # Under the cap nothing is cut.
    payload, sent, truncated = osc52_payload("abc", max_base64=4)
    assert (base64.b64decode(payload), sent, truncated) == (b"abc", 3, False)


def test_big_text_without_system_clipboard_is_capped_and_says_so() -> None:
    text = "€" * 100_000  # 300,000 bytes of UTF-8
    result, _, term = _copy(text, available=False)
    (sequence,) = term.written
    payload = sequence.removeprefix("\x1b]52;c;").removesuffix("\x07")
    assert len(payload) <= OSC52_MAX_BASE64
    decoded = base64.b64decode(payload).decode("utf-8")  # a whole number of characters
    assert text.startswith(decoded) and len(decoded) == 57_600 // 3
    assert (result.system, result.osc52, result.truncated) == (False, True, True)
    assert result.message == (
        "No system clipboard: sent only the first 56 KB of 293 KB by OSC 52 — ctrl+s saves all "
        "of it"
    )


def test_big_text_with_system_clipboard_mentions_the_cap() -> None:
    result, clip, _ = _copy("a" * 200_000, available=True)
    assert clip.copied == ["a" * 200_000]
    assert result.truncated
    assert result.message == (
        "Copied 200,000 characters to the system clipboard (OSC 52 got only the first 56 KB of "
        "195 KB)"
    )


def test_no_terminal_and_no_clipboard_claims_nothing() -> None:
    result = copy_text("x", osc52_writer=None, tmux=False, pyperclip_module=FakePyperclip(False))
    assert (result.system, result.osc52) == (False, False)
    assert result.message.startswith("Nothing copied: no system clipboard")
    assert "no terminal for OSC 52" in result.message


def test_failing_terminal_writer_is_reported() -> None:
    def broken(_: str) -> None:
        raise OSError("no terminal attached")

    result = copy_text("x", osc52_writer=broken, tmux=False, pyperclip_module=FakePyperclip(True))
    assert (result.system, result.osc52) == (True, False)
    assert (
        result.message
        == "Copied 1 character to the system clipboard (OSC 52 failed: no terminal attached)"
    )


def test_system_clipboard_only_when_no_writer() -> None:
    result = copy_text("ab", osc52_writer=None, tmux=False, pyperclip_module=FakePyperclip(True))
    assert result == CopyResult("Copied 2 characters to the system clipboard", True, False, False)


def test_pyperclip_oserror_counts_as_unavailable() -> None:
    class Broken(FakePyperclip):
        def copy(self, text: str) -> None:
            raise FileNotFoundError("xclip")

    term = Terminal()
    result = copy_text("x", osc52_writer=term, tmux=False, pyperclip_module=Broken(True))
    assert not result.system and result.osc52
    assert result.message.startswith("Sent 1 character by OSC 52 (no system clipboard)")


def test_empty_text_copies_nothing() -> None:
    result, clip, term = _copy("", available=True)
    assert result.message == "Nothing to copy"
    assert clip.copied == [] and term.written == []


# The toast is ~58 columns wide: every message fits two of its lines, whatever the path taken.
TOAST_LINE = 58


def _every_message(what: str) -> list[str]:
    def broken(_: str) -> None:
        raise OSError("no terminal attached")

    results = []
    for available in (True, False):
        for tmux in (False, True):
            for text in ("x" * 1234, "€" * 100_000):
                results.append(_copy(text, available=available, tmux=tmux, what=what)[0])
            results.append(
                copy_text(
                    "x", osc52_writer=broken, tmux=tmux, pyperclip_module=FakePyperclip(available)
                )
            )
            results.append(
                copy_text(
                    "x", osc52_writer=None, tmux=tmux, pyperclip_module=FakePyperclip(available)
                )
            )
    return [r.message for r in results]


def test_every_message_fits_two_toast_lines() -> None:
    import textwrap

    for message in _every_message("the line"):
        assert len(textwrap.wrap(message, TOAST_LINE)) <= 2, message


def test_the_thing_copied_is_named_with_its_size() -> None:
    result, _, _ = _copy("hello", available=True, what="the line")
    assert result.message.startswith("Copied the line (5 characters) to the system clipboard")
