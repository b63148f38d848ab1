"""Where the archive lives by default, and file names that are safe on every platform."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote

from platformdirs import user_data_dir

ARCHIVE_FILE_NAME = "archive.sqlite3"


def default_archive_path() -> Path:
    """``<platform data dir>/fuse-tui/archive.sqlite3`` (XDG on Linux, ~/Library on macOS…)."""
    return Path(user_data_dir("fuse-tui")) / ARCHIVE_FILE_NAME


def safe_file_stem(session_id: str) -> str:
    """A file name stem for a session ID: reversible, no path separators, no ``;`` or ``:``.

    Percent-encoding keeps it reversible (``unsafe_session_id``) and portable; a leading dot is
    encoded too so that exports are never hidden files.
    """
    stem = quote(session_id, safe="-_~")
    return stem.replace(".", "%2E") if stem else "%00"


def session_id_from_stem(stem: str) -> str:
    return unquote(stem)
