"""The local archive of call logs (SQLite): store, look up, list, search, import and export.

Public API (other modules depend on these names):

- ``Archive.open(path)`` → ``Archive`` with ``store``, ``update_meta_many``, ``get``,
  ``archived_ids``, ``list_calls``, ``search``, ``matching_sessions``, ``mark_unavailable``,
  ``unavailable``, ``count``, ``close``.
- ``ArchivedCall`` (``.log``, ``.raw``, ``.format``, ``.fetched_at``, ``.meta``),
  ``ArchivedSummary``, ``SearchHit``, ``StoredAnswer``, ``ArchiveError``.
- ``default_archive_path()``, ``archive_fetched(settings_or_path, fetched, session_id, meta)``.
- ``import_file(archive, path, progress=…)`` (``ImportProgress``), ``export_call(archive,
  session_id, folder, fmt)``.
"""

from __future__ import annotations

from fuse_tui.core.archive.autosave import archive_fetched, resolve_archive_path
from fuse_tui.core.archive.errors import ArchiveError
from fuse_tui.core.archive.paths import default_archive_path, safe_file_stem
from fuse_tui.core.archive.records import ArchivedCall, ArchivedSummary, SearchHit, StoredAnswer
from fuse_tui.core.archive.store import Archive
from fuse_tui.core.archive.transfer import (
    ExportResult,
    ImportProgress,
    ImportResult,
    export_call,
    import_file,
)

__all__ = [
    "Archive",
    "ArchiveError",
    "ArchivedCall",
    "ArchivedSummary",
    "ExportResult",
    "ImportProgress",
    "ImportResult",
    "SearchHit",
    "StoredAnswer",
    "archive_fetched",
    "default_archive_path",
    "export_call",
    "import_file",
    "resolve_archive_path",
    "safe_file_stem",
]
