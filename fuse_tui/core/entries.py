"""A call log's entries held compactly: a ``Sequence[LogEntry]`` that builds the model on access.

One pydantic model per entry costs ~1 KB (1M entries: over 1 GB). Here an entry is its JSON
text (a ``msgspec.Raw`` view into the input read from the file, or bytes encoded from the parsed
XML), plus three columns read once while loading: its class (an id into a small table), its
timestamp (an ``array``) and its module type (an id into a table of names). The model is built
from the JSON text when an entry is asked for (index, iteration, slice), exactly as the JSON
reader would have built it, so everything that reads ``log.entries`` as a sequence of
:class:`LogEntry` (writers, the archive, the CLI) works unchanged. Entries whose JSON could not
take the fast road (odd shapes that the model normalises, see ``formats.shape``) are kept as the
models themselves.

The hot paths of the viewer read the columns instead of models: :meth:`kinds`,
:meth:`timestamps`, :meth:`module_types`, and :meth:`search_texts`, which builds
``query.search_text`` from a light stand-in of each entry decoded by msgspec (no validation).

Readers fill the sequence with :meth:`add_raw` / :meth:`append` / :meth:`extend`; nobody else
changes it.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, cast, overload

import msgspec
from pydantic import TypeAdapter, ValidationError

from fuse_tui.core.model import LogEntry, compact_entries
from fuse_tui.core.stamp_column import ODD_MARK, StampColumn

# The timestamp column's mark for "no int64 here: look in the exceptions" (None, huge numbers).
_ODD_STAMP = ODD_MARK
_STAMP_MIN = _ODD_STAMP + 1
_STAMP_MAX = (1 << 63) - 1
# How many models built on access are kept, so that asking twice for a shown row gives the same
# object (a viewer compares rows by identity) without keeping 1M of them.
_CACHE_SIZE = 4096

_ENTRY: TypeAdapter[LogEntry] = TypeAdapter(LogEntry)
_ENTRIES: TypeAdapter[list[LogEntry]] = TypeAdapter(list[LogEntry])
# A placeholder while models() fills its list (every slot is set before it returns).
_EMPTY = LogEntry()
_DECODE_ANY = msgspec.json.Decoder()


class _LightEvent(msgspec.Struct, gc=False):
    """An entry's event as msgspec decodes it (a plain entry's: ``line`` text, ``data`` an
    object or null), with the model's ``module_type`` / ``result_variable``."""

    line: str = ""
    data: dict[str, Any] | None = None

    @property
    def module_type(self) -> str | None:
        # As Event.module_type: the value as text, None when absent.
        module = self.data.get("module_type") if self.data else None
        return None if module is None else str(module)

    @property
    def result_variable(self) -> str | None:
        variable = self.data.get("result_variable") if self.data else None
        return None if variable is None else str(variable)


_NO_EVENT = _LightEvent()  # absent or null: the model's default Event (views are read only)


class _LightEntry(msgspec.Struct, gc=False):
    """What a reader of fields reads of an entry (a story, a diff, a search text), without
    pydantic: ``class_`` as read, ``kind`` and ``timestamp`` (set from the columns after the
    decode, whatever a key of those odd names held), event."""

    class_: str | None = msgspec.field(name="class", default=None)
    event: _LightEvent | None = None
    kind: str = msgspec.field(name="@fuse-tui:kind", default="unknown")
    timestamp: int | None = msgspec.field(name="@fuse-tui:timestamp", default=None)

    @property
    def is_error(self) -> bool:
        return self.class_ == "error"


# Decodes only what a view holds (other keys are skipped unread); refuses, so the model is
# asked instead, what is not a plain entry's shape.
_DECODE_VIEW = msgspec.json.Decoder(_LightEntry)


class _Appenders(NamedTuple):
    """See :meth:`CompactEntries.appenders`."""

    item: Callable[[Any], None]
    kind_id: Callable[[str], int | None]
    kind: Callable[[int], None]
    stamp: Callable[[int], None]
    module_id: Callable[[str | None], int | None]
    module: Callable[[int], None]


STAMP_MIN, STAMP_MAX = _STAMP_MIN, _STAMP_MAX  # an int64 timestamp, kept as it is


class CompactEntries(Sequence[LogEntry]):
    """The entries of one call log (see the module docstring)."""

    def __init__(self, entries: Iterable[LogEntry] = (), *, drop_key: str | None = None) -> None:
        # A top-level key the JSON texts hold but the entries do not (NDJSON's session_id).
        self._drop_key = drop_key
        self._items: list[Any] = []  # msgspec.Raw / bytes (JSON of the entry) or a LogEntry
        self._kind_ids = array("B")
        self._kind_names: list[str] = []
        self._kind_index: dict[str, int] = {}
        self._stamps = array("q")
        self._odd_stamps: dict[int, int | None] = {}
        self._module_ids = array("I")
        self._module_names: list[str | None] = []
        self._module_index: dict[str | None, int] = {}
        self._cache: dict[int, LogEntry] = {}
        self.extend(entries)

    @property
    def drop_key(self) -> str | None:
        return self._drop_key

    # -- filling (readers only) ------------------------------------------------------------

    def raw_items(self) -> Sequence[Any]:
        """What is kept per entry, in order (read only): its JSON text (``msgspec.Raw`` or
        bytes), or the ``LogEntry`` for an entry kept as a model. For writers that can copy
        the text instead of building the model."""
        return self._items

    def add_raw(self, raw: Any, kind: str, stamp: int | None, module: str | None) -> None:
        """An entry as its JSON text (Raw or bytes) with its columns, already validated.

        (Or a model, with its own columns: see :meth:`append`.) Once per entry read: inline.
        """
        self._items.append(raw)
        kind_id = self._kind_index.get(kind)
        if kind_id is None:  # a class first seen (a handful per log): the shared road
            kind_id = self._kind_id(kind)
        self._kind_ids.append(kind_id)
        if stamp is not None and _STAMP_MIN <= stamp <= _STAMP_MAX:
            self._stamps.append(stamp)
        else:
            self._odd_stamps[len(self._stamps)] = stamp
            self._stamps.append(_ODD_STAMP)
        module_id = self._module_index.get(module)
        if module_id is None:
            module_id = len(self._module_names)
            self._module_names.append(module)
            self._module_index[module] = module_id
        self._module_ids.append(module_id)

    def appenders(self) -> _Appenders:
        """What :meth:`add_raw` does, as bound methods for a reader's hot loop (a method call
        and seven attribute reads per entry were ~0.2 s of a 1M-entry read).

        Only for an entry whose kind and module already have ids (``kind_id`` / ``module_id``
        give them, None when not) and whose stamp is an int64; any other goes through
        :meth:`add_raw`. Stale once anything else changes the store: ask again after.
        """
        return _Appenders(
            self._items.append,
            self._kind_index.get,
            self._kind_ids.append,
            self._stamps.append,
            self._module_index.get,
            self._module_ids.append,
        )

    def append(self, entry: LogEntry) -> None:
        self.add_raw(entry, entry.kind, entry.timestamp, entry.event.module_type)

    def extend(self, entries: Iterable[LogEntry]) -> None:
        if isinstance(entries, CompactEntries) and not self._items:
            self._drop_key = entries._drop_key
        if isinstance(entries, CompactEntries) and entries._drop_key == self._drop_key:
            self._extend_columns(entries)
            return
        for entry in entries:
            self.append(entry)

    def _extend_columns(self, other: CompactEntries) -> None:
        """``other``'s entries appended column by column (a piece of 50k entries while a log
        loads: milliseconds, where add_raw per entry took ~100): what add_raw per entry of
        ``other`` would hold, its ids renumbered into this sequence's tables."""
        offset = len(self._items)
        items = other._items[:]  # a copy first: other may be this very sequence
        kind_ids, module_ids = other._kind_ids[:], other._module_ids[:]
        stamps, odd = other._stamps[:], dict(other._odd_stamps)
        kinds = [self._kind_id(name) for name in other._kind_names]
        if kinds == list(range(len(kinds))) and kind_ids.typecode == self._kind_ids.typecode:
            self._kind_ids += kind_ids
        else:
            self._kind_ids.extend([kinds[i] for i in kind_ids])
        modules = [self._module_id(name) for name in other._module_names]
        if modules == list(range(len(modules))):
            self._module_ids += module_ids
        else:
            self._module_ids.extend([modules[i] for i in module_ids])
        self._stamps += stamps
        for index, stamp in odd.items():
            self._odd_stamps[offset + index] = stamp
        self._items += items

    def _kind_id(self, kind: str) -> int:
        kind_id = self._kind_index.get(kind)
        if kind_id is None:
            kind_id = len(self._kind_names)
            if kind_id == 256:  # more classes than a byte holds (hostile input): widen
                self._kind_ids = array("I", self._kind_ids)
            self._kind_names.append(kind)
            self._kind_index[kind] = kind_id
        return kind_id

    def _module_id(self, module: str | None) -> int:
        module_id = self._module_index.get(module)
        if module_id is None:
            module_id = len(self._module_names)
            self._module_names.append(module)
            self._module_index[module] = module_id
        return module_id

    # -- the sequence ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> LogEntry: ...

    @overload
    def __getitem__(self, index: slice) -> CompactEntries: ...

    def __getitem__(self, index: int | slice) -> LogEntry | CompactEntries:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self._items))
            if step == 1:
                return self._part(start, max(start, stop))
            part = CompactEntries(drop_key=self._drop_key)
            for position in range(start, stop, step):
                raw = self._items[position]
                if isinstance(raw, LogEntry):
                    part.append(raw)
                else:
                    kind, stamp = self.kind(position), self.timestamp(position)
                    part.add_raw(raw, kind, stamp, self.module(position))
            return part
        if index < 0:
            index += len(self._items)
        if not 0 <= index < len(self._items):
            raise IndexError("entry index out of range")
        raw = self._items[index]
        if isinstance(raw, LogEntry):
            return raw
        entry = self._cache.get(index)
        if entry is None:
            text = raw if type(raw) is bytes else bytes(raw)
            try:
                entry = _ENTRY.validate_json(text)
            except ValidationError:
                # pydantic's JSON parser stops at a nesting depth (~250) that msgspec and
                # json.loads read: the same entry from Python values (a plain entry needs no
                # normalising, and its values read the same either way).
                entry = _ENTRY.validate_python(_DECODE_ANY.decode(text))
            if self._drop_key is not None and entry.__pydantic_extra__:
                entry.__pydantic_extra__.pop(self._drop_key, None)
                entry.__pydantic_fields_set__.discard(self._drop_key)
            # Shared bookkeeping and the one empty entry, as every reader gives them.
            box = [entry]
            compact_entries(box)
            entry = box[0]
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[index] = entry
        return entry

    def _part(self, start: int, stop: int) -> CompactEntries:
        """``self[start:stop]``, column by column (the tables of names are shared in full: the
        ids keep their meaning, and names no entry of the part uses are never read)."""
        part = CompactEntries(drop_key=self._drop_key)
        part._items = self._items[start:stop]
        part._kind_ids = self._kind_ids[start:stop]
        part._kind_names = list(self._kind_names)
        part._kind_index = dict(self._kind_index)
        part._stamps = self._stamps[start:stop]
        part._odd_stamps = {
            index - start: stamp
            for index, stamp in self._odd_stamps.items()
            if start <= index < stop
        }
        part._module_ids = self._module_ids[start:stop]
        part._module_names = list(self._module_names)
        part._module_index = dict(self._module_index)
        return part

    def models(self) -> list[LogEntry]:
        """Every entry as its model, in a list, built in one pass: for code that reads the
        entries many times (a story, a diff). The same models one by one access gives (a
        raw entry pydantic's JSON parser refuses is built as access builds it)."""
        items = self._items
        out: list[LogEntry] = [raw if isinstance(raw, LogEntry) else _EMPTY for raw in items]
        positions = [i for i, raw in enumerate(items) if not isinstance(raw, LogEntry)]
        if not positions:
            return out
        texts = [bytes(items[i]) if type(items[i]) is not bytes else items[i] for i in positions]
        try:
            built = _ENTRIES.validate_json(b"[" + b",".join(texts) + b"]")
        except ValidationError:
            built = [self[i] for i in positions]  # one by one, each with its own fallback
        else:
            if self._drop_key is not None:
                for entry in built:
                    if entry.__pydantic_extra__:
                        entry.__pydantic_extra__.pop(self._drop_key, None)
                        entry.__pydantic_fields_set__.discard(self._drop_key)
            compact_entries(built)
        for position, entry in zip(positions, built, strict=True):
            out[position] = entry
        return out

    def __iter__(self) -> Iterator[LogEntry]:
        for index in range(len(self._items)):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CompactEntries({len(self)} entries)"

    # -- columns -------------------------------------------------------------------------------

    def kind(self, index: int) -> str:
        return self._kind_names[self._kind_ids[index]]

    def timestamp(self, index: int) -> int | None:
        stamp = self._stamps[index]
        return self._odd_stamps[index] if stamp == _ODD_STAMP else stamp

    def module(self, index: int) -> str | None:
        return self._module_names[self._module_ids[index]]

    def kinds(self) -> list[str]:
        """Every entry's ``kind``, in order (the strings are shared)."""
        names = self._kind_names
        return [names[i] for i in self._kind_ids]

    def timestamps(self) -> list[int | None]:
        """Every entry's ``timestamp``, in order."""
        stamps: list[Any] = self._stamps.tolist()
        for index, stamp in self._odd_stamps.items():
            stamps[index] = stamp
        return stamps

    def stamp_column(self) -> StampColumn:
        """Every entry's ``timestamp`` as a column of its own (a copy: 8 bytes an entry)."""
        return StampColumn(self._stamps[:], dict(self._odd_stamps))

    def module_types(self, start: int = 0, stop: int | None = None) -> list[str | None]:
        """Every entry's ``event.module_type`` (of those from ``start`` to ``stop``), in order."""
        names = self._module_names
        return [names[i] for i in self._module_ids[start:stop]]

    def fields(self) -> list[LogEntry]:
        """Every entry as a read-only view of its fields (``kind``, ``class_``, ``timestamp``,
        ``is_error``, ``event.line``, ``event.data``, ``event.module_type``,
        ``event.result_variable``), decoded by msgspec without building the models: for code
        that only reads those, in several passes (a call's story). An entry of another shape
        is its model. Not for writing: the views have nothing else."""
        return self._views(0, len(self._items), with_stamps=True)

    def search_texts(self, start: int = 0, stop: int | None = None) -> list[str]:
        """``query.search_text`` of every entry (of those from ``start`` to ``stop``), in
        order, without building the models."""
        from fuse_tui.core.query import search_text

        stop = len(self._items) if stop is None else min(stop, len(self._items))
        return [search_text(view) for view in self._views(start, stop, with_stamps=False)]

    def _views(self, start: int, stop: int, *, with_stamps: bool) -> list[LogEntry]:
        """The field views of entries ``start`` to ``stop`` (models where the text is not a
        plain entry's, or msgspec refuses a value the model reads: 1e400 is inf there)."""
        out: list[Any] = []
        append = out.append
        items = self._items
        kind_names = self._kind_names
        decode = _DECODE_VIEW.decode
        timestamp = self.timestamp
        for index in range(start, stop):
            raw = items[index]
            if isinstance(raw, LogEntry):
                append(raw)
                continue
            try:
                view = decode(raw)
            except msgspec.DecodeError:  # ValidationError too: not the plain shape after all
                append(self[index])
                continue
            if view.event is None:
                view.event = _NO_EVENT
            # (the id column read each time: a thread may build texts while a reader widens it)
            view.kind = kind_names[self._kind_ids[index]]
            if with_stamps:
                view.timestamp = timestamp(index)
            append(view)
        return cast(list[LogEntry], out)


def held(entries: Sequence[LogEntry]) -> Sequence[LogEntry]:
    """``entries`` as models held in a list: for code that reads a log's entries in several
    passes or by index (a story, a diff), where compact entries would build each model again
    on every access. A list is returned as it is."""
    if isinstance(entries, list):
        return entries
    if isinstance(entries, CompactEntries):
        return entries.models()
    return list(entries)


def field_views(entries: Sequence[LogEntry]) -> Sequence[LogEntry]:
    """``entries`` for code that only reads their fields, in several passes or by index:
    :meth:`CompactEntries.fields` for compact entries, else :func:`held`."""
    if isinstance(entries, CompactEntries):
        return entries.fields()
    return held(entries)
