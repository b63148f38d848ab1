"""Recently fetched session IDs, kept in a small JSON file under the platform's data dir."""

from __future__ import annotations

import json
from pathlib import Path

from fuse_tui.core.formats import atomic_write

MAX_ENTRIES = 50


class History:
    """Most recent first, no duplicates; a broken or missing file means an empty history."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.items: list[str] = []
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = []
            if isinstance(loaded, list):
                self.items = [str(item) for item in loaded if isinstance(item, str)][:MAX_ENTRIES]

    def add(self, session_id: str) -> None:
        session_id = session_id.strip()
        if not session_id:
            return
        self.items = [session_id, *(i for i in self.items if i != session_id)][:MAX_ENTRIES]
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(self.items, indent=0).encode("utf-8"))
        except OSError:
            pass  # history is a convenience; never fail a fetch because of it
