"""Archive every API fetch as a side effect, without ever failing the fetch itself."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from fuse_tui.core.archive.errors import ArchiveError
from fuse_tui.core.archive.paths import default_archive_path
from fuse_tui.core.archive.records import FetchedLike
from fuse_tui.core.archive.store import Archive


def resolve_archive_path(settings_or_path: Any) -> Path | None:
    """The archive file to use: a path as given, ``settings.archive_path`` or the default.

    None means archiving is switched off (``settings.archive_enabled`` false, i.e. --no-archive).
    """
    if isinstance(settings_or_path, str | Path):
        return Path(settings_or_path).expanduser()
    if settings_or_path is None:
        return default_archive_path()
    if not getattr(settings_or_path, "archive_enabled", True):
        return None
    configured = getattr(settings_or_path, "archive_path", None)
    return Path(configured).expanduser() if configured else default_archive_path()


def archive_fetched(
    settings_or_path: Any,
    fetched: FetchedLike,
    session_id: str,
    meta: Mapping[str, Any] | BaseModel | None = None,
) -> str | None:
    """Store one fetched call in the archive. Returns a one-line warning on failure, else None.

    ``settings_or_path`` is a ``Settings`` (honours ``archive_enabled``/``archive_path``), a path,
    an open ``Archive``, or None for the default path. Never raises: archiving is a side effect
    and must not turn a successful fetch into an error.
    """
    try:
        if isinstance(settings_or_path, Archive):
            settings_or_path.store(fetched, session_id, meta)
            return None
        path = resolve_archive_path(settings_or_path)
        if path is None:
            return None
        with Archive.open(path) as archive:
            archive.store(fetched, session_id, meta)
    except ArchiveError as exc:
        return f"not archived: {exc}"
    except Exception as exc:  # a side effect must never break the fetch that succeeded
        return f"not archived: {type(exc).__name__}: {exc}"
    return None
