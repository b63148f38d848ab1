"""Where the archive lives by default, and file names that are safe on every platform."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, unquote

from fuse_tui.core.paths import default_archive_path

__all__ = [
    "default_archive_path",
    "is_shortened_stem",
    "safe_file_stem",
    "session_id_from_stem",
]


# File systems allow 255 bytes in a name; this leaves room for a suffix and a temp-file prefix.
MAX_STEM_BYTES = 200
# How much of an over-long stem is kept before the hash that keeps such names apart.
_SHORT_PREFIX = 150


def safe_file_stem(session_id: str) -> str:
    """A file name stem for a session ID: reversible, no path separators, no ``;`` or ``:``.

    Percent-encoding keeps it reversible (:func:`session_id_from_stem`) and portable; a leading
    dot is encoded too so that exports are never hidden files. A stem over MAX_STEM_BYTES (an
    ID of ~70 ``;``-rich or ~25 non-Latin characters) would be refused by the file system: it
    keeps the ID's first characters and ends in ``~`` and a hash of the ID instead, so names
    stay distinct, but it no longer reads back as the ID (importing it needs ``--session-id``).
    """
    stem = "".join(_encoded(char) for char in session_id) or "%00"
    if len(stem) <= MAX_STEM_BYTES:
        return stem
    kept: list[str] = []
    size = 0
    for char in session_id:  # whole characters, so the kept part still decodes
        encoded = _encoded(char)
        size += len(encoded)
        if size > _SHORT_PREFIX:
            break
        kept.append(encoded)
    digest = hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{''.join(kept)}~{digest}"


def _encoded(char: str) -> str:
    # "~" is encoded too, so only a shortened name holds one. surrogatepass: an ID read from
    # JSON may hold a lone surrogate ("\ud800"); it still has a name.
    # (quote() never encodes "~": it is always unreserved in URLs.)
    encoded = quote(char, safe="-_", errors="surrogatepass")
    return {".": "%2E", "~": "%7E"}.get(encoded, encoded)


_SHORTENED_END = re.compile(r"~[0-9a-f]{16}\Z")


def is_shortened_stem(stem: str) -> bool:
    """Whether ``stem`` is a :func:`safe_file_stem` cut short: it cannot give back its ID."""
    return _SHORTENED_END.search(stem) is not None


def session_id_from_stem(stem: str) -> str:
    """The session ID a :func:`safe_file_stem` came from (a shortened stem reads back as is)."""
    try:
        return unquote(stem, errors="surrogatepass")
    except UnicodeDecodeError:  # not one of ours: a name someone typed, with stray escapes
        return unquote(stem, errors="replace")
