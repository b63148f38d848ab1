"""How a call's raw answer is kept on disk: zlib-compressed, and given back byte for byte.

The archive promises the bytes exactly as Fuse served them, not that it stores them as they
came: JSON and XML answers compress 5 to 10 times, and the raw answers were most of an
archive's size (an archive took 2.6 times the answers it holds; compressed, about 1.3).
``calls.raw_codec`` says how each row is kept: ``""`` for rows written before compression (or
data that does not shrink), ``"zlib"``; so older archives read unchanged.
"""

from __future__ import annotations

import zlib

from fuse_tui.core.archive.errors import ArchiveError

ZLIB = "zlib"
# zlib's default trade-off: level 9 saves ~3 % more for twice the time.
_LEVEL = 6


def pack(raw: bytes) -> tuple[bytes, str]:
    """``raw`` as stored, and its codec: compressed unless that would not save anything."""
    packed = zlib.compress(raw, _LEVEL)
    if len(packed) < len(raw):
        return packed, ZLIB
    return bytes(raw), ""


def unpack(blob: bytes, codec: str | None, session_id: str) -> bytes:
    """The bytes as served, from a stored blob; ArchiveError when the row is damaged."""
    if not codec:
        return bytes(blob)
    if codec != ZLIB:
        raise ArchiveError(
            f"the archived answer of {session_id} is stored as {codec!r}, which this version of "
            "fuse-tui cannot read; update fuse-tui"
        )
    try:
        return zlib.decompress(blob)
    except zlib.error as exc:
        raise ArchiveError(
            f"the archived answer of {session_id} is damaged ({exc}); fetch the call again "
            "or restore the archive from a backup"
        ) from exc
