"""Event rows of a log that grows while it is shown, filtered off the UI thread.

:class:`EventRows` decides what passes a filter; this adds what a big or still-loading log
needs around it, without changing those answers:

- the search index grows with the log (entries added later are indexed, the others kept) and
  can be built by several threads at once, a chunk at a time under a lock, so a thread that
  needs it waits for one chunk, never for the whole index;
- adding entries while a filter is on does not run the filter over the whole log on the UI
  thread: the new entries wait (``stale``) until a background filter (:meth:`filtered`) covers
  them;
- :meth:`filtered` computes what :meth:`EventRows.apply` would show on a snapshot, changing
  nothing of these rows (but the shared index), so it is safe in a thread while the UI thread
  reads and extends them; :meth:`show` puts its answer on screen, on the UI thread.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import Query, search_text
from fuse_tui.ui.rows import KEEP, EventRows, _Keep

# Entries indexed per hold of the lock: ~30 ms of work at most between two waiting threads.
INDEX_CHUNK = 5000


@dataclass(frozen=True)
class Filtered:
    """What a filter shows over the first ``covered`` entries."""

    query: Query
    hidden_classes: frozenset[str]
    module: str | None
    visible: list[int]
    covered: int


class GrowingRows(EventRows):
    """:class:`EventRows` whose entries may grow and whose filter may run in a thread."""

    def __init__(self, entries: list[LogEntry]) -> None:
        # The index and its lock are shared with the snapshots of filtered(): built once.
        self._texts: list[str] = []
        self._texts_lock = threading.Lock()
        self._deferring = False
        # Entries were added that the filter shown has not looked at yet.
        self.stale = False
        super().__init__(entries)

    def search_texts(self) -> list[str]:
        entries = self.entries
        wanted = len(entries)
        texts = self._texts
        while len(texts) < wanted:
            with self._texts_lock:
                start = len(texts)
                stop = min(wanted, start + INDEX_CHUNK)
                texts.extend([search_text(entries[i]) for i in range(start, stop)])
        # Longer when another thread indexed entries this snapshot does not hold yet.
        return texts if len(texts) == wanted else texts[:wanted]

    @property
    def indexed(self) -> int:
        """How many entries the search index covers."""
        return len(self._texts)

    def extend(self, entries: Iterable[LogEntry]) -> None:
        # EventRows.extend re-runs the whole filter when one is on: on the UI thread, for
        # every piece of a 1M-entry load. Instead the new entries wait for a background one.
        self._deferring = True
        try:
            super().extend(entries)
        finally:
            self._deferring = False

    def apply(
        self,
        query: Query | None = None,
        hidden_classes: Iterable[str] | None = None,
        module: str | _Keep | None = KEEP,
    ) -> None:
        if self._deferring:
            self.stale = True
            return
        super().apply(query, hidden_classes, module)
        self.stale = False

    def filtered(
        self,
        query: Query | None = None,
        hidden_classes: Iterable[str] | None = None,
        module: str | _Keep | None = KEEP,
    ) -> Filtered:
        """What :meth:`apply` with these arguments would show, these rows left as they are.

        Raises :class:`~fuse_tui.core.query.QueryError` as ``apply`` does.
        """
        trial = copy.copy(self)
        trial._deferring = False
        trial.entries = self.entries[: len(self.entries)]  # a snapshot: the log may grow
        trial.apply(query, hidden_classes, module)
        return Filtered(
            trial.query, trial.hidden_classes, trial.module, trial.visible, len(trial.entries)
        )

    def show(self, result: Filtered) -> None:
        """Show ``result`` (UI thread); ``stale`` says whether entries came after it."""
        self.query = result.query
        self.hidden_classes = result.hidden_classes
        self.module = result.module
        self.visible = result.visible
        grown = result.covered < len(self.entries)
        if grown and not self.filter_active:
            self.visible = list(range(len(self.entries)))
            grown = False
        self.stale = grown
