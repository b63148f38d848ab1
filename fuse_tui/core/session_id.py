"""Session IDs as people paste them, and as the Fuse URL needs them.

IDs look like ``300060;001;1529552581`` and are opaque. In a URL path every reserved character
(``;`` especially) is percent-encoded exactly once.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_PASTE_JUNK = " \t\r\n\"'`\u201c\u201d\u2018\u2019<>"


class InvalidSessionIdError(ValueError):
    """The text is not usable as a session ID."""

    # Like the client's errors (core/client_errors.py), so callers decide by these.
    kind = "invalid_id"
    retryable = False


def normalize_session_id(text: str) -> str:
    """The session ID itself: paste junk (whitespace, quotes) stripped, URL encoding undone.

    An ID pasted from a URL (``300060%3B001%3B1529552581``, or the whole
    ``https://…/api/call/300060%3B001%3B1529552581``) is decoded once, so that encoding it again
    for the request does not double-encode it.
    """
    value = text.strip(_PASTE_JUNK)
    # A whole API URL pasted from a browser or a script: keep the ID part.
    marker = value.rfind("/call/")
    if marker != -1 and "://" in value[:marker]:
        value = value[marker + len("/call/") :].split("?", 1)[0].strip(_PASTE_JUNK + "/")
    if _PERCENT_ESCAPE.search(value):
        value = unquote(value)
    if not value or any(ch in value for ch in "\r\n\x00"):
        raise InvalidSessionIdError(f"{text!r} is not a session ID")
    if value in {".", ".."}:
        # A dot segment: every HTTP stack resolves /api/call/.. to /api, another endpoint.
        raise InvalidSessionIdError(f"{text!r} is not a session ID")
    if not _is_text(value):
        # Undecodable bytes from the command line arrive as lone surrogates.
        raise InvalidSessionIdError(
            f"{text!r} is not a session ID (it holds bytes that are not valid text)"
        )
    return value


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def encode_session_id(session_id: str) -> str:
    """One URL path segment: every character outside the unreserved set is percent-encoded."""
    return quote(session_id, safe="")
