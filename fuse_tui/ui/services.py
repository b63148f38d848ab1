"""UI adapters over the core :class:`~fuse_tui.core.service.FuseService`.

The service is the one path to Fuse and the archive; what is here only shapes its answers for a
widget (the calls browser's Arch column).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fuse_tui.core.service import FuseService


class ArchivedIds:
    """ "Is this call archived?" for the calls browser's Arch column; ``reload()`` re-reads it.

    Starts empty: the browser reloads it in a thread, so opening the browser never waits on
    SQLite.
    """

    def __init__(self, service: FuseService) -> None:
        self._service = service
        self.ids: set[str] = set()

    def __call__(self, session_id: str) -> bool:
        return session_id in self.ids

    def reload(self) -> None:
        self.ids = self._service.archived_ids()
