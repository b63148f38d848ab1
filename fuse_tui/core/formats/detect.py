"""Decide what a blob of bytes is before parsing it: JSON, XML, an HTML page, empty, or not text.

Sniffing looks at the content only (never the file name): byte-order marks, the NUL pattern of
UTF-16/32 without a BOM, and the first non-blank character.
"""

from __future__ import annotations

import codecs
import unicodedata
from typing import Literal

from fuse_tui.core.textsafe import escape_control

Kind = Literal["json", "xml", "html", "empty", "binary", "unknown"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEAD_BYTES = 4096


def detect_encoding(data: bytes) -> tuple[str, int]:
    """The text encoding of ``data`` and the length of its byte-order mark (0 when none).

    Without a BOM, the NUL pattern of the first four bytes tells UTF-16/32 apart (RFC 4627 §3);
    everything else is taken as UTF-8.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    head = data[:4]
    if len(head) == 4:
        if head[0] == 0 and head[1] == 0 and head[2] == 0 and head[3] != 0:
            return "utf-32-be", 0
        if head[0] != 0 and head[1] == 0 and head[2] == 0 and head[3] == 0:
            return "utf-32-le", 0
    if len(head) >= 2:
        if head[0] == 0 and head[1] != 0:
            return "utf-16-be", 0
        if head[0] != 0 and head[1] == 0:
            return "utf-16-le", 0
    return "utf-8", 0


def head_text(data: bytes, limit: int = _HEAD_BYTES, *, strict: bool = True) -> str | None:
    """The decoded start of ``data`` without its BOM, or None when it is not text.

    Not ``strict``: undecodable bytes become U+FFFD, so that a JSON or XML file with one bad
    byte is still recognised (and its parser names the position of the bad byte).
    """
    encoding, bom = detect_encoding(data)
    chunk = data[bom : bom + limit]
    errors = "strict" if strict else "replace"
    try:
        text = codecs.getincrementaldecoder(encoding)(errors=errors).decode(chunk, final=False)
    except UnicodeDecodeError:
        return None
    # NUL in UTF-8 "text" means a binary file, not a log.
    if "\x00" in text:
        return None
    return text


def sniff(data: bytes) -> Kind:
    """What ``data`` looks like, from its first non-blank character."""
    text = head_text(data, strict=False)
    if text is None:
        return "binary"
    stripped = text.lstrip()
    if stripped and (stripped[0] == "\ufffd" or unicodedata.category(stripped[0]) == "Cc"):
        # A document starts with '[', '{', '<' or a JSON scalar; a control character or an
        # undecodable byte first means a binary file (gzip, image, database…).
        return "binary"
    if not stripped:
        # A head of blanks followed by more data: look at the start of what follows.
        encoding, bom = detect_encoding(data)
        rest = data[bom:].decode(encoding, errors="replace").lstrip()
        return "empty" if not rest else sniff(rest[:_HEAD_BYTES].encode("utf-8"))
    first = stripped[0]
    if first == "<":
        return "html" if looks_like_html(stripped) else "xml"
    if first in "[{":
        return "json"
    return "unknown"


def looks_like_html(text: str) -> bool:
    """True for an HTML page (a login page, a proxy's error page) rather than a Fuse XML answer."""
    lowered = text[:1024].lower()
    if lowered.startswith("<?xml"):
        end = lowered.find("?>")
        lowered = lowered[end + 2 :].lstrip() if end >= 0 else lowered
    while lowered.startswith("<!--"):
        end = lowered.find("-->")
        if end < 0:
            break
        lowered = lowered[end + 3 :].lstrip()
    return lowered.startswith(("<!doctype html", "<html", "<head", "<body"))


def preview(data: bytes, length: int = 40, *, as_bytes: bool = False) -> str:
    """A short, terminal-safe quote of how ``data`` starts, for error messages."""
    text = None if as_bytes else head_text(data, 256)
    if text is None:
        return " ".join(f"{b:02x}" for b in data[:8]) + (" …" if len(data) > 8 else "")
    text = text.strip()
    shown = escape_control(text[:length])
    return f'"{shown}"' if len(text) <= length else f'"{shown}…"'
