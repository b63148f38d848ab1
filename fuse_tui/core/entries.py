"""A call log's entries held compactly: a ``Sequence[LogEntry]`` that builds the model on access.

One pydantic model per entry costs ~1 KB (1M entries: over 1 GB). Here an entry is its JSON
text (where it lies in the input read from the file, or a ``msgspec.Raw`` view into it, or bytes
encoded from the parsed XML), plus three columns read once while loading: its class (an id into
a small table), its timestamp (an ``array``) and its module type (an id into a table of
names). The model is built from the JSON text when an entry is asked for (index, iteration,
slice), exactly as the JSON reader would have built it, so everything that reads
``log.entries`` as a sequence of :class:`LogEntry` (writers, the archive, the CLI) works
unchanged. Entries whose JSON could not take the fast road (odd shapes that the model
normalises, see ``formats.shape``) are kept as the models themselves.

The hot paths of the viewer read the columns instead of models: :meth:`kinds`,
:meth:`timestamps`, :meth:`module_types`, and :meth:`search_texts`, which builds
``query.search_text`` from a light stand-in of each entry decoded by msgspec (no validation).

Readers fill the sequence with :meth:`add_raw` / :meth:`append` / :meth:`extend`, and may
then plan the packing of the views they added (:meth:`plan_pack`), which a viewer carries out
once the log is read; nobody else changes it.

Packed entries: a ``msgspec.Raw`` costs 48 bytes an entry (48 MB at 1M, a tenth of what the TUI
holds of a log). Where a reader can prove where each of its views starts in the input (JSON
array items or NDJSON lines the same bytes apart: see ``json_fast.one_apart``), the entries
hold instead, once packed, the input once (a :class:`_Packed`, shared) and two columns, start
and length: 12 bytes an entry. An entry's text is then a ``memoryview`` of the input, made when
it is read.

Once a big log is read and before it is indexed, the viewer has its input held compressed
(:meth:`CompactEntries.compress_texts`): the input is the largest thing a log costs (177 MB of
a 1M-entry JSON file, a third of what the TUI held), and past the index build the entries'
texts are read a screenful at a time. zlib, level 1, in blocks of 64 KiB: a block is made
whole again when an entry in it is read (~0.1 ms; the last few are kept), the same bytes.
"""

from __future__ import annotations

import zlib
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


# An input this big or bigger is held compressed once its log is read (compress_texts).
COMPRESS_FROM = 16 << 20
_BLOCK = 1 << 16
_KEPT_BLOCKS = 8


class _Packed:
    """The input that packed entries are spans of (one per input, shared by its entries): as
    read (``view``), or compressed by :meth:`compress` (``view`` None), in blocks."""

    __slots__ = ("_blocks", "_kept", "size", "view")

    def __init__(self, data: bytes) -> None:
        self.view: memoryview | None = memoryview(data)
        self.size = len(data)
        self._blocks: list[bytes] = []
        self._kept: dict[int, bytes] = {}  # blocks made whole again, the last few

    def text(self, start: int, length: int) -> memoryview | bytes:
        """The bytes ``start .. start + length`` of the input."""
        view = self.view
        if view is not None:
            return view[start : start + length]
        if length <= 0:
            return b""
        first, last = start // _BLOCK, (start + length - 1) // _BLOCK
        at = start - first * _BLOCK
        if first == last:
            return self._block(first)[at : at + length]
        return b"".join(map(self._block, range(first, last + 1)))[at : at + length]

    def _block(self, number: int) -> bytes:
        kept = self._kept
        block = kept.get(number)
        if block is None:
            block = zlib.decompress(self._blocks[number])
            if len(kept) >= _KEPT_BLOCKS:
                kept.clear()
            kept[number] = block
        return block

    def compress(self) -> None:
        """Hold the input compressed from now on (zlib lets other threads run meanwhile). A
        reader that took the view before keeps the input alive until it is done with it."""
        view = self.view
        if view is None:
            return
        self._blocks = [
            zlib.compress(view[at : at + _BLOCK], 1) for at in range(0, len(view), _BLOCK)
        ]
        self.view = None  # after the blocks: a reader that sees None finds them

    def __repr__(self) -> str:
        state = "as read" if self.view is not None else f"in {len(self._blocks)} blocks"
        return f"<packed input of {self.size} bytes, {state}>"


class _RawItems(Sequence[Any]):
    """:meth:`CompactEntries.raw_items`: what each entry is kept as, a packed one's text as a
    ``memoryview`` of the input."""

    def __init__(self, entries: CompactEntries) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries._items)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._entries._raw(i) for i in range(len(self))[index]]
        return self._entries._raw(range(len(self))[index])

    def __iter__(self) -> Iterator[Any]:
        raw_at = self._entries._raw
        return map(raw_at, range(len(self)))


class _PackPlan(NamedTuple):
    """See :meth:`CompactEntries.plan_pack`."""

    data: bytes
    first: int
    raws: Sequence[Any]
    first_raw: int
    starts: Callable[[], Sequence[int] | None]


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
        # msgspec.Raw / bytes (JSON of the entry), a LogEntry, or the _Packed input: then the
        # entry's text is input[start : start + length], from the two columns below.
        self._items: list[Any] = []
        # Entry i's span in its packed input, for every packed i (the columns may stop short
        # of entries after the last packed one, and hold anything for entries not packed).
        self._starts = array("q")
        self._lengths = array("I")
        self._inputs: list[_Packed] = []  # the inputs packed entries are spans of
        self._plan: _PackPlan | None = None  # see plan_pack
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
        """What is kept per entry, in order (read only): its JSON text (``msgspec.Raw``, bytes
        or a ``memoryview``), or the ``LogEntry`` for an entry kept as a model. For writers
        that can copy the text instead of building the model."""
        return _RawItems(self)

    def _raw(self, index: int) -> Any:
        """Entry ``index``'s JSON text (or model), as :meth:`raw_items` gives it."""
        raw = self._items[index]
        if type(raw) is _Packed:
            return raw.text(self._starts[index], self._lengths[index])
        return raw

    def pack(self, data: bytes, first: int, raws: Sequence[Any], starts: Sequence[int]) -> None:
        """Hold the entries ``first ..`` that were added from ``raws`` (one entry each, in
        order: a plain one as the view itself) as spans of ``data`` instead: ``starts[i]`` is
        where ``raws[i]`` starts in ``data`` (the caller has proved it). An entry kept as a
        model stays one."""
        stop = first + len(raws)
        if not raws or len(data) >= 1 << 32 or stop > len(self._items):
            return  # (a span's length is a 32-bit column)
        packed = _Packed(data)
        self._inputs.append(packed)
        starts_column, lengths = self._starts, self._lengths
        # The columns first: a thread that sees the packed entry finds its span.
        _fit(starts_column, first)
        _fit(lengths, first)
        starts_column += array("q", starts)
        lengths += array("I", map(len, raws))
        items = self._items
        held = items[first:stop]
        if held == raws:  # every one plain, the usual log (compared in C, by identity first)
            items[first:stop] = [packed] * len(held)
        else:
            items[first:stop] = [
                packed if item is raw else item for item, raw in zip(held, raws, strict=True)
            ]

    def plan_pack(
        self,
        data: bytes,
        first: int,
        raws: Sequence[Any],
        first_raw: int,
        starts: Callable[[], Sequence[int] | None],
    ) -> None:
        """Entries ``first ..`` are (to be) added from ``raws[first_raw:]``, views into
        ``data``; ``starts()`` tells where each of ``raws`` starts in it, or None when that is
        not proved. :meth:`pack_planned` packs them then: a viewer does it once the log is
        read, in a thread (~0.3 s at 1M entries that the reading would wait for)."""
        self._plan = _PackPlan(data, first, raws, first_raw, starts)

    def adopt_plan(self, other: CompactEntries) -> None:
        """Take over the plan of ``other``, which holds the same entries (:meth:`same_as`)."""
        self._plan = other._plan

    def pack_planned(self) -> None:
        """Pack the entries of the plan (see :meth:`plan_pack`), if any; then forget it."""
        plan, self._plan = self._plan, None
        if plan is None:
            return
        starts = plan.starts()
        raws = plan.raws[plan.first_raw :]
        if starts is not None and plan.first + len(raws) <= len(self._items):
            self.pack(plan.data, plan.first, raws, starts[plan.first_raw :])

    def compress_texts(self, least: int | None = None) -> None:
        """Hold the inputs of the packed entries that are ``least`` bytes or more (default
        :data:`COMPRESS_FROM`) compressed from now on (see the module docstring): the same
        texts, read back more slowly. For a viewer, in a thread, once the log is read."""
        least = COMPRESS_FROM if least is None else least
        self.pack_planned()
        for packed in list(self._inputs):
            if packed.size >= least:
                packed.compress()

    def same_as(self, other: object) -> bool:
        """Whether ``other`` holds the very same entries, kept the same way (a reader's store
        and the one a viewer filled from its pieces): then either can stand for the other."""
        if not isinstance(other, CompactEntries) or len(other) != len(self):
            return False
        if self._drop_key != other._drop_key or self._items != other._items:
            return False  # (items compare by identity first: the same objects, in C)
        # The same items: a packed one is packed in both, and both span columns cover it, so
        # the part the two columns share holds every span (and nothing else that differs, as
        # one store's columns are the other's, copied piece by piece).
        covered = min(len(self._starts), len(other._starts))
        spans_equal = (
            self._starts[:covered] == other._starts[:covered]
            and self._lengths[:covered] == other._lengths[:covered]
        )
        return (
            spans_equal
            and self._stamps == other._stamps
            and self._odd_stamps == other._odd_stamps
            and _same_column(self._kind_ids, self._kind_names, other._kind_ids, other._kind_names)
            and _same_column(
                self._module_ids, self._module_names, other._module_ids, other._module_names
            )
        )

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

    def add_plain(
        self,
        raws: Sequence[Any],
        kinds: list[str],
        stamps: list[int | None],
        modules: list[str | None],
    ) -> None:
        """Entries as :meth:`add_raw` takes them one by one, a list a column: a reader's bulk
        road (a few C calls a column, where add_raw costs ~1 µs an entry). The same store."""
        kind_index, module_index = self._kind_index, self._module_index
        for kind in dict.fromkeys(kinds):  # a class first seen: the next id, in order
            if kind not in kind_index:
                self._kind_id(kind)  # may widen the column
        for module in dict.fromkeys(modules):
            if module not in module_index:
                self._module_id(module)
        self._items += raws
        self._kind_ids.extend(map(kind_index.__getitem__, kinds))
        self._module_ids.extend(map(module_index.__getitem__, modules))
        try:
            column: array[int] | None = array("q", stamps)  # type: ignore[arg-type]
        except (TypeError, OverflowError):  # None, or beyond int64: the odd ones below
            column = None
        if column is not None and _ODD_STAMP not in column:
            self._stamps += column
            return
        kept, odd = self._stamps, self._odd_stamps
        for stamp in stamps:
            if stamp is not None and _STAMP_MIN <= stamp <= _STAMP_MAX:
                kept.append(stamp)
            else:
                odd[len(kept)] = stamp
                kept.append(_ODD_STAMP)

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
        starts, lengths = other._starts[:], other._lengths[:]
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
        if starts:  # the spans before the items that need them (see pack)
            _fit(self._starts, offset)
            _fit(self._lengths, offset)
            self._starts += starts
            self._lengths += lengths
            known = set(map(id, self._inputs))
            self._inputs += [packed for packed in other._inputs if id(packed) not in known]
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
                raw = self._raw(position)
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
        raw = self._raw(index)
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
        part._starts = self._starts[start:stop]  # (before the items: see pack)
        part._inputs = list(self._inputs)
        part._lengths = self._lengths[start:stop]
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
        raw_at = self._raw
        texts = [bytes(raw) if type(raw) is not bytes else raw for raw in map(raw_at, positions)]
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

    def stamp_column(self, *, shared: bool = False) -> StampColumn:
        """Every entry's ``timestamp`` as a column of its own (a copy: 8 bytes an entry), or
        (``shared``) this sequence's own, which grows as it does (for rows that extend it)."""
        if shared:
            return StampColumn(self._stamps, self._odd_stamps)
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
        starts, lengths = self._starts, self._lengths
        for index in range(start, stop):
            raw = items[index]
            if type(raw) is _Packed:
                at = starts[index]
                whole = raw.view
                raw = (
                    whole[at : at + lengths[index]]
                    if whole is not None
                    else raw.text(at, lengths[index])
                )
            elif isinstance(raw, LogEntry):
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


def _same_column(
    ids: array[int], names: list[Any], other_ids: array[int], other: list[Any]
) -> bool:
    """Whether two columns of ids into tables of names name the same values, entry by entry."""
    if names == other:
        return ids == other_ids  # (in C)
    return [names[i] for i in ids] == [other[i] for i in other_ids]


def _fit(column: array[int], size: int) -> None:
    """``column`` made ``size`` long: cut, or padded with zeros."""
    if len(column) > size:
        del column[size:]
    elif len(column) < size:
        column += array(column.typecode, bytes(column.itemsize * (size - len(column))))


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
