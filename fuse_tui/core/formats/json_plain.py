"""The bulk road of a JSON read: entries that are plain, a piece of a few thousand at a time.

``json_fast.add_entries`` reads each entry into a loose struct, then asks of it, field by field,
whether its columns can be taken as they are (an entry that is "plain"). That asking cost more
than the decoding (~1.7 µs an entry against ~1.0). Here msgspec asks it while it decodes: the
struct below accepts exactly the plain entries (each field typed as the conditions of
``add_entries`` read it), and refuses any other; the columns are then made a list at a time. A
piece that holds one entry it refuses goes the way of ``add_entries``' loop instead, which
decides every entry as before: the same store, whatever the road.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from fuse_tui.core.entries import CompactEntries

UNSET = msgspec.UNSET


class _PlainData(msgspec.Struct, gc=False):
    module_type: str | None = None  # another type: its str() is the model's, the loop's road


class _PlainEvent(msgspec.Struct, gc=False):
    line: str | msgspec.UnsetType = UNSET  # null or another type: the model's road
    data: _PlainData | None = None  # a list or a scalar: the model's road


class _PlainEntry(msgspec.Struct, gc=False):
    # Absent: an empty event (no module); null or another type: the model's road.
    event: _PlainEvent = msgspec.field(default_factory=_PlainEvent)
    class_: str | None = msgspec.field(name="class", default=None)
    # Any value under the field's own name (class_): the model's road (see json_fast._Entry).
    class_by_field_name: msgspec.UnsetType = msgspec.field(name="class_", default=UNSET)
    timestamp: int | None = None  # a float, a bool or a string: the model's road


_PLAIN = msgspec.json.Decoder(_PlainEntry)
# Entries asked at a time: a piece holding an entry that is not plain is read again by the
# loop, so a rare such entry costs at most this many entries read twice.
PLAIN_PIECE = 4096


def add_plain_entries(store: CompactEntries, raws: Sequence[Any]) -> bool:
    """``raws`` added to ``store`` when every one is plain (True); else nothing is added."""
    try:
        entries = list(map(_PLAIN.decode, raws))
    except (msgspec.DecodeError, ValueError, RecursionError):
        return False  # not plain, or not JSON: the loop decides, and words what is wrong
    kinds = [entry.class_ or "unknown" for entry in entries]
    stamps = [entry.timestamp for entry in entries]
    modules = [
        None if (data := entry.event.data) is None else data.module_type for entry in entries
    ]
    store.add_plain(raws, kinds, stamps, modules)
    return True
