"""The archive's one error type, and the translation of SQLite's failures into it.

``str(exc)`` is a sentence a user can act on: never a traceback, never SQLite's bare jargon.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class ArchiveError(Exception):
    """The archive cannot be opened, read or written (corrupt, foreign, busy, unwritable…)."""


def guard(method: Callable[P, R]) -> Callable[P, R]:
    """Turn SQLite failures into ``ArchiveError`` sentences (never a traceback for the user)."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.OperationalError as exc:
            raise ArchiveError(operational_sentence(exc)) from exc
        except UnicodeEncodeError as exc:  # e.g. a session ID typed with undecodable bytes
            raise ArchiveError(
                "the archive cannot hold text that is not valid Unicode (undecodable bytes in a "
                "session ID or search?)"
            ) from exc
        except sqlite3.ProgrammingError as exc:  # used after close(): not the file's fault
            raise ArchiveError(
                f"the archive was closed while in use ({exc}); open it again"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(
                f"the archive file is damaged ({exc}); move it aside and re-sync to rebuild it"
            ) from exc

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


def operational_sentence(exc: sqlite3.OperationalError) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return "the archive is busy: another fuse-tui is writing to it; try again in a moment"
    if "readonly" in text or "read-only" in text:
        return "the archive file is read-only; check its permissions or pass --archive PATH"
    if "disk" in text and "full" in text:
        return "the disk holding the archive is full"
    return f"the archive could not be used: {text}"
