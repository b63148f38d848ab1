"""Where the archive lives by default, and file names that are safe on every platform."""

from __future__ import annotations

from urllib.parse import quote, unquote

from fuse_tui.core.paths import default_archive_path

__all__ = ["default_archive_path", "safe_file_stem", "session_id_from_stem"]


def safe_file_stem(session_id: str) -> str:
    """A file name stem for a session ID: reversible, no path separators, no ``;`` or ``:``.

    Percent-encoding keeps it reversible (``unsafe_session_id``) and portable; a leading dot is
    encoded too so that exports are never hidden files.
    """
    stem = quote(session_id, safe="-_~")
    return stem.replace(".", "%2E") if stem else "%00"


def session_id_from_stem(stem: str) -> str:
    return unquote(stem)
