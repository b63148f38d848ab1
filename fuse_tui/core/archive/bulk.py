"""When the events of an import inside ``Archive.bulk_writes``'s one transaction enter the
full-text index: a few statements in all, not one per batch.

FTS5 keeps what a statement indexes in a buffer of terms and writes it as a new segment when
the buffer is full and when the statement ends; the segments are merged later. At 1M events,
an index statement per batch of 50,000 (with the 1 MB buffer FTS5 has by default) cost the
writing thread 4.5 to 6 s; one statement per 250,000 with a buffer big enough to hold them
(``schema.BULK_FTS_HASH_BYTES``), ~3.3 s, measured in the import (one statement for all of
them, alone: ~2 s).
"""

from __future__ import annotations

# Events indexed per statement, at least ...
FTS_EVENTS_PER_STATEMENT = 250_000
# ... except the batches of the import's last events (by its count of events), each indexed
# as it is written: at its end the import waits for what is left to index.
FTS_LAST_EVENTS = 50_000


class BulkIndexing:
    """The events of one bulk_writes written but not indexed yet (see the module docstring).
    Used by one thread at a time: the batches are written one after the other."""

    def __init__(self, events: int) -> None:
        self._events_left = events  # the import's events not written yet
        # The id above which events are written but not indexed (None: none are), how many.
        self._unindexed_from: int | None = None
        self._unindexed = 0
        # The index's buffer size before bulk_writes set its own (None: left as it was).
        self.hash_size_before: int | None = None

    def index_from(self, last_id: int, events: int) -> int | None:
        """For a batch of ``events`` whose ids are above ``last_id``: the id above which
        events enter the index once the batch is written, or None when none do yet."""
        if self._unindexed_from is None:
            self._unindexed_from = last_id
        self._unindexed += events
        self._events_left -= events
        if self._unindexed < FTS_EVENTS_PER_STATEMENT and self._events_left > FTS_LAST_EVENTS:
            return None
        return self.take_unindexed()

    def take_unindexed(self) -> int | None:
        """The id above which events are written but not indexed, which the caller indexes
        now; None when there are none."""
        index_from, self._unindexed_from, self._unindexed = self._unindexed_from, None, 0
        return index_from
