"""Turn any failure into one sentence plus the next step. No traceback ever reaches the screen."""

from __future__ import annotations

from fuse_tui.core.formats import FuseErrorAnswer, ReadError
from fuse_tui.core.session_id import InvalidSessionIdError


def _sentence(text: str) -> str:
    """``text`` ending like a sentence, so the next step appended to it reads as a new one."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def explain(exc: BaseException, *, session_id: str | None = None) -> str:
    """A message for the user: what went wrong and what to do next (never the key, never a
    traceback)."""
    from fuse_tui.core import client

    text = _sentence(" ".join(str(exc).split()) or type(exc).__name__)
    # The client's messages already say what went wrong and what to check; add the key to press.
    if isinstance(exc, client.AuthError):
        return f"{text} Press K to enter credentials."
    if isinstance(exc, client.NotFoundError):
        if exc.session_id is None:  # a listing: the base URL is wrong
            return f"{text} Set base_url in the config file or FUSE_BASE_URL, then press r."
        return f"{text} Press b to browse recent calls."
    if isinstance(exc, client.ExpiredError | FuseErrorAnswer):
        return text
    if isinstance(exc, client.FuseError):
        return f"{text} Press r to retry."
    if isinstance(exc, InvalidSessionIdError):
        return f"{text} Paste a session ID such as 300060;001;1529552581."
    if isinstance(exc, ReadError | OSError):
        return f"{text} Press o to open another file."
    return f"Unexpected {type(exc).__name__}: {text}"
