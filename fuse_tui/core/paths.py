"""Where fuse-tui keeps its files by default (platform dirs: XDG on Linux, ~/Library on macOS…).

Kept apart from settings and the archive so that either can ask without importing the other.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "fuse-tui"


def data_dir() -> Path:
    """``<platform data dir>/fuse-tui``: the archive and the TUI's history live here."""
    return platformdirs.user_data_path(APP_NAME)


def default_archive_path() -> Path:
    """``<platform data dir>/fuse-tui/archive.sqlite3``."""
    return data_dir() / "archive.sqlite3"
