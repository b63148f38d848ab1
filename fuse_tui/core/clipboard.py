"""Copy text to the user's clipboard, honestly.

Two paths, used together because neither is enough alone:

* the *system* clipboard through pyperclip (xclip/xsel/wl-copy/pbcopy/…): works on a desktop,
  fails over SSH or on a headless box;
* *OSC 52*, an escape sequence the terminal turns into a clipboard write: works over SSH and in
  most modern terminals, but only if the terminal allows it, and many cap the payload size.

:func:`copy_text` tries both and returns a :class:`CopyResult` whose ``message`` says exactly
which path carried the text, so the user is never told "copied" when nothing was.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from fuse_tui.core.plural import plural

# Cap on the base64 payload of one OSC 52 sequence. Terminals differ (xterm and tmux refuse very
# long sequences, hterm stops near 100 kB); ~75 KB is accepted by every common one.
OSC52_MAX_BASE64 = 75 * 1024

ESC = "\x1b"
BEL = "\x07"


@dataclass(frozen=True)
class CopyResult:
    """What happened to a copy request; ``message`` is meant to be shown as is."""

    message: str
    system: bool
    osc52: bool
    truncated: bool


def human_size(n_bytes: int) -> str:
    """``512 B``, ``75 KB``, ``1.2 MB`` — sizes as a person reads them (1 KB = 1024 B)."""
    if n_bytes < 1024:
        return f"{n_bytes} B"
    if n_bytes < 1024 * 1024:
        return f"{n_bytes / 1024:.0f} KB"
    return f"{n_bytes / (1024 * 1024):.1f} MB"


def _utf8_prefix(data: bytes, limit: int) -> bytes:
    """The longest prefix of ``data`` of at most ``limit`` bytes that ends on a character."""
    if len(data) <= limit:
        return data
    end = limit
    # Step back over continuation bytes (0b10xxxxxx) so no character is cut in half.
    while end > 0 and (data[end] & 0xC0) == 0x80:
        end -= 1
    return data[:end]


def osc52_payload(text: str, max_base64: int = OSC52_MAX_BASE64) -> tuple[str, int, bool]:
    """Base64 of ``text`` (UTF-8) capped at ``max_base64`` characters.

    Returns ``(base64, bytes_encoded, truncated)``; truncation happens on a UTF-8 boundary.
    """
    data = text.encode("utf-8")
    max_raw = (max_base64 // 4) * 3
    kept = _utf8_prefix(data, max_raw)
    return base64.b64encode(kept).decode("ascii"), len(kept), len(kept) < len(data)


def osc52_sequence(payload_b64: str) -> str:
    """The OSC 52 "set clipboard" sequence for an already base64-encoded payload."""
    return f"{ESC}]52;c;{payload_b64}{BEL}"


def tmux_wrap(sequence: str) -> str:
    """Wrap ``sequence`` in tmux's DCS passthrough so it reaches the outer terminal.

    Every ESC inside the passthrough must be doubled; tmux needs ``allow-passthrough on``.
    """
    inner = sequence.replace(ESC, ESC + ESC)
    return f"{ESC}Ptmux;{inner}{ESC}\\"


def _short_reason(exc: BaseException) -> str:
    """One short clause from a pyperclip failure (its messages are long, with URLs)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for sep in (". ", " For more information"):
        if sep in text:
            text = text.split(sep, 1)[0]
    text = text.rstrip(".")
    if "copy/paste mechanism" in text:
        # pyperclip's "could not find a copy/paste mechanism for your system": name what it
        # looked for, which is also what to install.
        return "no xclip/xsel/wl-copy"
    if text.lower().startswith("pyperclip "):
        text = text[len("pyperclip ") :]
    return text if len(text) <= 80 else text[:79] + "…"


def _try_system(text: str, pyperclip_module: Any) -> tuple[bool, str]:
    """Copy with pyperclip; ``(ok, reason_if_not)``."""
    module: Any = pyperclip_module
    if module is None:
        try:
            import pyperclip as module_
        except ImportError:  # pragma: no cover - it is a dependency
            return False, "not installed"
        module = module_
    exception_type: type[BaseException] = getattr(module, "PyperclipException", RuntimeError)
    try:
        module.copy(text)
    except exception_type as exc:
        return False, _short_reason(exc)
    except (OSError, ValueError, RuntimeError) as exc:
        # xclip/xsel missing at run time, a broken pipe, a timeout subclass…
        return False, _short_reason(exc)
    return True, ""


def copy_text(
    text: str,
    *,
    osc52_writer: Callable[[str], None] | None,
    tmux: bool | None = None,
    pyperclip_module: ModuleType | Any | None = None,
    max_base64: int = OSC52_MAX_BASE64,
    save_key: str = "ctrl+s",
    what: str = "",
) -> CopyResult:
    """Copy ``text`` through pyperclip and OSC 52 and say honestly which path worked.

    ``osc52_writer`` writes a raw string to the terminal (``None``: no terminal to write to).
    ``tmux`` forces or disables the tmux handling (default: ``$TMUX`` is set): the sequence is
    then sent both plain and wrapped for tmux passthrough.
    ``pyperclip_module`` replaces the real pyperclip (tests pass a fake).
    ``save_key`` names the key that saves the whole text, for the "too big" advice.
    ``what`` names the thing copied in the message (``"the line"``), before its size.
    """
    if not text:
        return CopyResult("Nothing to copy", system=False, osc52=False, truncated=False)
    if tmux is None:
        tmux = bool(os.environ.get("TMUX"))

    system_ok, system_reason = _try_system(text, pyperclip_module)

    osc52_ok = False
    truncated = False
    osc52_error = ""
    sent_bytes = 0
    if osc52_writer is not None:
        payload, sent_bytes, truncated = osc52_payload(text, max_base64)
        sequence = osc52_sequence(payload)
        if tmux:
            # Both forms, because tmux users enable one of two settings: with `set-clipboard on`
            # tmux takes the plain sequence (its buffer, then the outer terminal); with
            # `allow-passthrough on` the wrapped one goes straight to the outer terminal.
            sequence = sequence + tmux_wrap(sequence)
        try:
            osc52_writer(sequence)
            osc52_ok = True
        except (OSError, ValueError, RuntimeError) as exc:
            osc52_error = _short_reason(exc)
            truncated = False

    amount = plural(len(text), "character")
    message = _message(
        subject=f"{what} ({amount})" if what else amount,
        total_bytes=len(text.encode("utf-8")),
        sent_bytes=sent_bytes,
        system_ok=system_ok,
        system_reason=system_reason,
        osc52_ok=osc52_ok,
        osc52_error=osc52_error,
        truncated=truncated,
        tmux=tmux,
        save_key=save_key,
    )
    return CopyResult(message, system=system_ok, osc52=osc52_ok, truncated=truncated)


def _message(
    *,
    subject: str,
    total_bytes: int,
    sent_bytes: int,
    system_ok: bool,
    system_reason: str,
    osc52_ok: bool,
    osc52_error: str,
    truncated: bool,
    tmux: bool,
    save_key: str,
) -> str:
    """One or two toast lines (~60 columns each): where the text went and how much of it.

    The OSC 52 caveats (the terminal must allow it; tmux's settings) are named only when OSC 52
    is all there was: with a system clipboard the copy is certain whatever the terminal did.
    """
    if system_ok:
        if osc52_ok and truncated:
            return (
                f"Copied {subject} to the system clipboard (OSC 52 got only the first "
                f"{human_size(sent_bytes)} of {human_size(total_bytes)})"
            )
        if osc52_ok:
            return f"Copied {subject} to the system clipboard and the terminal (OSC 52)"
        if osc52_error:
            return f"Copied {subject} to the system clipboard (OSC 52 failed: {osc52_error})"
        return f"Copied {subject} to the system clipboard"
    osc52 = "OSC 52 through tmux" if tmux else "OSC 52"
    if osc52_ok and truncated:
        return (
            f"No system clipboard: sent only the first {human_size(sent_bytes)} of "
            f"{human_size(total_bytes)} by {osc52} — {save_key} saves all of it"
        )
    if osc52_ok:
        if tmux:
            # "Sent", not "Copied": no system clipboard took it (said in fewer words for tmux).
            return (
                f"Sent {subject} by OSC 52 through tmux; it needs set-clipboard on or "
                "allow-passthrough on"
            )
        return f"Sent {subject} by OSC 52 (no system clipboard); your terminal must allow it"
    terminal = f"OSC 52 failed ({osc52_error})" if osc52_error else "no terminal for OSC 52"
    return f"Nothing copied: no system clipboard ({system_reason}), {terminal}; use {save_key}"
