"""Event rows of a log that grows while it is shown, filtered off the UI thread.

:class:`EventRows` decides what passes a filter; this adds what a big or still-loading log
needs around it, without changing those answers:

- the search index grows with the log (entries added later are indexed, the others kept) and
  can be built by several threads at once, a chunk at a time under a lock, so a thread that
  needs it waits for one chunk, never for the whole index;
- adding entries while a filter is on does not run the filter over the whole log on the UI
  thread: the new entries wait (``stale``) until a background filter (:meth:`filtered`) covers
  them;
- :meth:`filtered` computes what :meth:`EventRows.apply` would show over the entries read so
  far, the same steps on the columns and the index (never a copy of the entries), changing
  nothing of these rows (but the shared index and columns), so it is safe in a thread while
  the UI thread reads and extends them; :meth:`show` puts its answer on screen, on the UI
  thread;
- the class filter is answered from a byte per entry (its class, coded from the column of
  classes, no model built), in C loops: ~20 ms at 1M entries where a loop over the entries
  takes ~300. With no other filter on it needs no thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress

from textual.worker import NoActiveWorker, get_current_worker

from fuse_tui.core.model import KNOWN_CLASSES, LogEntry
from fuse_tui.core.query import Query, SearchIndex, entry_texts, prepare
from fuse_tui.ui.rows import KEEP, OTHER_CLASSES, EventRows, _Keep

# Entries indexed per hold of the lock: ~30 ms of work at most between two waiting threads.
INDEX_CHUNK = 5000


@dataclass(frozen=True)
class Filtered:
    """What a filter shows over the first ``covered`` entries."""

    query: Query
    hidden_classes: frozenset[str]
    module: str | None
    visible: Sequence[int]  # a range when it is every entry
    covered: int


class GrowingRows(EventRows):
    """:class:`EventRows` whose entries may grow and whose filter may run in a thread."""

    def __init__(self, entries: Sequence[LogEntry]) -> None:
        # The index and its lock are shared with the snapshots of filtered(): built once.
        # Each search text kept once (lowered when ASCII); read as a list, the originals.
        self._texts = SearchIndex(entry_texts(lambda: self.entries))
        self._texts_lock = threading.Lock()
        # A byte per entry: its class, as a code of ``_class_codes`` (built with the index).
        self._codes = bytearray()
        self._class_codes: dict[str, int] = {}
        self._module_types: list[str | None] = []  # on the first module filter
        # Every entry's index as an int, made with the index (see _shown_by_class).
        self._numbers: list[int] = []
        self._deferring = False
        # Entries were added that the filter shown has not looked at yet.
        self.stale = False
        super().__init__(entries)

    # A SearchIndex is a sequence of the search texts (EventRows gives a list of them).
    def search_texts(self) -> SearchIndex:
        wanted = len(self.entries)
        texts = self._all_texts(wanted)
        # Longer when another thread indexed entries this snapshot does not hold yet.
        return texts if len(texts) == wanted else texts.first(wanted)

    def _all_texts(self, wanted: int) -> SearchIndex:
        """The search index, covering the first ``wanted`` entries at least (it only grows: a
        select keeps what it read of it, a key's values, from one search to the next)."""
        texts = self._texts
        while len(texts) < wanted:
            with self._texts_lock:
                start = len(texts)
                stop = min(wanted, start + INDEX_CHUNK)
                if start >= stop:
                    break
                texts.add(texts.texts_of(start, stop))
        return texts

    def build_index(self, *, compress_input: bool = False) -> None:
        """Index every entry not indexed yet: search texts (kept lowered, as a word or field
        search needs them, so the first keystroke is as fast as the next) and class codes (for
        a thread).

        ``compress_input``: first hold a big log's input compressed (a file's, which nothing
        else holds; see ``CompactEntries.compress_texts``), so that the index's ~160 MB at 1M
        entries come on top of a fraction of the input's ~180 MB."""
        pack = getattr(self.entries, "pack_planned", None)  # core.entries
        if pack is not None:
            pack()  # entries as spans of the input, once it is read (a fraction of the memory)
        compress = getattr(self.entries, "compress_texts", None)
        if compress_input and compress is not None:
            compress()
        prepare(self._all_texts(len(self.entries)))
        covered = self._covered()
        self._class_codes_upto(covered)
        if len(self._numbers) < covered:
            self._numbers = list(range(covered))  # a new list: a reader keeps a whole one

    def _covered(self) -> int:
        """How many entries every column holds (in a thread, the entries may be a step ahead
        of the columns ``extend`` fills after them)."""
        return min(len(self.entries), len(self._kinds))

    def _class_codes_upto(self, wanted: int) -> bytearray | None:
        """The class codes of the first ``wanted`` entries at least, from the column of
        classes (no model is built; None: too many classes for a byte, the slow way then)."""
        codes, known = self._codes, self._class_codes
        kinds = self._kinds
        while len(codes) < wanted:
            with self._texts_lock:
                start = len(codes)
                part = kinds[start : min(wanted, start + INDEX_CHUNK * 20)]
                if not part:
                    break
                for kind in set(part):
                    if kind not in known:
                        if len(known) > 255:
                            return None
                        known[kind] = len(known)
                codes += bytes(map(known.__getitem__, part))
        return codes

    def _modules_upto(self, wanted: int) -> list[str | None]:
        """Every entry's module type, covering the first ``wanted`` entries at least."""
        with self._texts_lock:
            modules = self._module_types
            start = len(modules)
            if start < wanted:
                column = getattr(self.entries, "module_types", None)  # core.entries
                if column is not None:
                    modules += column(start, wanted)
                else:
                    entries = self.entries
                    modules += [entries[i].event.module_type for i in range(start, wanted)]
            return modules

    def _shown_by_class(self, hidden: frozenset[str], count: int) -> list[int]:
        """The first ``count`` entries whose class ``hidden`` lets through, as apply decides."""
        codes = self._class_codes_upto(count)
        if codes is None:  # more than 256 classes (hostile input): one by one
            kinds, others = self._kinds, OTHER_CLASSES in hidden
            return [
                i
                for i in range(count)
                if kinds[i] not in hidden and not (others and kinds[i] not in KNOWN_CLASSES)
            ]
        table = bytearray(256)
        for kind, code in list(self._class_codes.items()):
            other = kind not in KNOWN_CLASSES and OTHER_CLASSES in hidden
            table[code] = 0 if kind in hidden or other else 1
        # Picked from the entries' indices made once (_numbers, ~36 MB at 1M entries), the
        # ints are shared, not made anew for each row shown: hiding a class of 1M entries
        # took ~33 ms over a range, ~10 ms so (and the rows shown before are let go of sooner).
        shown = codes[:count].translate(table)
        numbers = self._numbers
        return list(compress(numbers if len(numbers) >= count else range(count), shown))

    def answers_at_once(
        self, query: Query, hidden_classes: Iterable[str], module: str | None
    ) -> bool:
        """Whether :meth:`filtered` answers this filter from the class codes (milliseconds at
        1M entries: no need for a thread)."""
        return query.is_empty and module is None

    @property
    def indexed(self) -> int:
        """How many entries the index (search texts and class codes) covers."""
        return min(len(self._texts), len(self._codes))

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
        cancelled: Callable[[], bool] | None = None,
    ) -> Filtered:
        """What :meth:`apply` with these arguments would show, these rows left as they are.

        Raises :class:`~fuse_tui.core.query.QueryError` as ``apply`` does, and
        :class:`~fuse_tui.core.query.SearchCancelled` (a QueryError) as soon as ``cancelled()``
        is true: a step of the search at most after it. Without ``cancelled``, in a textual
        worker (the filter thread), the worker's ``is_cancelled`` is asked: a newer filter
        cancels it, and this one stops instead of searching on for nothing.
        """
        if cancelled is None:
            cancelled = _worker_cancelled()
        wanted_query = self.query if query is None else query
        hidden = self.hidden_classes if hidden_classes is None else frozenset(hidden_classes)
        wanted_module = self.module if isinstance(module, _Keep) else module
        # The entries so far (the log may grow meanwhile); the steps of EventRows.apply, on
        # the columns and the index, neither of which a growing log changes for them.
        count = self._covered()
        chosen: Sequence[int] = range(count)
        if hidden:
            chosen = self._shown_by_class(hidden, count)
        if wanted_module is not None:
            modules = self._modules_upto(count)
            chosen = [i for i in chosen if modules[i] == wanted_module]
        if not wanted_query.is_empty:
            # On the index's own list (its lowered copy is kept from one search to the next).
            chosen = wanted_query.select(self._all_texts(count), chosen, cancelled)
        visible = chosen if isinstance(chosen, list) else range(count)
        return Filtered(wanted_query, hidden, wanted_module, visible, count)

    def show(self, result: Filtered) -> None:
        """Show ``result`` (UI thread); ``stale`` says whether entries came after it."""
        self.query = result.query
        self.hidden_classes = result.hidden_classes
        self.module = result.module
        self.visible = result.visible
        grown = result.covered < len(self.entries)
        if grown and not self.filter_active:
            self.visible = range(len(self.entries))
            grown = False
        self.stale = grown


def _worker_cancelled() -> Callable[[], bool] | None:
    """The current textual worker's ``is_cancelled``, None outside a worker."""
    try:
        worker = get_current_worker()
    except NoActiveWorker:
        return None
    return lambda: worker.is_cancelled
