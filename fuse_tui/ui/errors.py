"""Turn any failure into one sentence plus the next step. No traceback ever reaches the screen."""

from __future__ import annotations

from fuse_tui.core.formats import FuseErrorAnswer, ReadError


def explain(exc: BaseException, *, session_id: str | None = None) -> str:
    """A message for the user: what went wrong and what to do next (never the key, never a
    traceback)."""
    try:
        from fuse_tui.core import client
    except ImportError:  # pragma: no cover - the client is part of the package
        client = None  # type: ignore[assignment]

    text = " ".join(str(exc).split()) or type(exc).__name__
    if client is not None:
        if isinstance(exc, client.AuthError):
            return f"401: {text} — check FUSE_EMAIL / developer key; press K to enter credentials."
        if isinstance(exc, client.NotFoundError):
            return f"404: {text} — check the session ID, or press b to browse recent calls."
        if isinstance(exc, client.ExpiredError):
            return (
                f"{text} — Fuse keeps detailed logs 5 days; an archived copy opens if there is one."
            )
        if isinstance(exc, client.RateLimitedError):
            return f"429: {text} — wait a moment, then press Enter to retry."
        if isinstance(exc, client.NetworkError | client.FuseTimeoutError):
            return f"{text} — check the network or --base-url, then press Enter to retry."
        if isinstance(exc, client.FuseError):
            return f"{text} — press Enter to retry."
    if isinstance(exc, FuseErrorAnswer):
        return f"{text}"
    if isinstance(exc, ReadError):
        return f"{text} — press o to open another file."
    if isinstance(exc, OSError):
        return f"{text} — press o to open another file."
    return f"Unexpected {type(exc).__name__}: {text}"
