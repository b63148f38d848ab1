"""The fast road for JSON entries: msgspec reads them into :class:`CompactEntries`.

Each entry is cut out of the input as a ``msgspec.Raw`` (a view, no copy) and decoded once into
small structs that hold only what the columns need (class, timestamp, module type) and what
decides whether the entry is *plain*: an ``event`` object whose ``line`` is text and ``data``
an object or null, a text or null ``class``, an integer or null ``timestamp`` (any other keys,
anywhere, are kept in the JSON text). The model accepts every plain entry as it is, so its JSON
text is kept unvalidated and the model is built from it on access. Any other entry (PHP's ``[]``
for an object, a numeric-string timestamp, a number where text is expected…) goes through the
model at once, exactly as the slow road would (``shape.normalize_entry`` then pydantic), and is
kept as the model. Input msgspec refuses (NaN, a lone surrogate escape, a number beyond
msgspec's range) and entries the model refuses make the caller take the slow road, which
produces the precise message.
"""

from __future__ import annotations

import codecs
import re
from array import array
from collections.abc import Sequence
from itertools import accumulate, islice, repeat
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import msgspec

from fuse_tui.core.formats.json_plain import PLAIN_PIECE, add_plain_entries

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from fuse_tui.core.entries import CompactEntries
    from fuse_tui.core.model import LogEntry

# pydantic and the models load on the first entry that needs them (an entry that is not plain,
# an XML read): :func:`plain_fields` of a plain log, as `fuse-tui show` prints it, never does.
# (pydantic's ValidationError is a ValueError: the handlers below catch it as one.)

UNSET = msgspec.UNSET
_Scalar = str | int | float | bool | None


# Not tracked by the cyclic GC (gc=False): one of each per entry read, never in a cycle (a
# decoded JSON value holds none), and tracking them was ~0.1 s of a 1M-entry read.
class _Data(msgspec.Struct, gc=False):
    module_type: Any = UNSET


class _Event(msgspec.Struct, gc=False):
    line: Any = UNSET
    data: _Data | list[Any] | _Scalar | msgspec.UnsetType = UNSET


class _Entry(msgspec.Struct, gc=False):
    event: _Event | list[Any] | _Scalar | msgspec.UnsetType = UNSET
    class_: Any = msgspec.field(name="class", default=UNSET)
    # The model also reads its field name (populate_by_name): {"class_": "error"} is an error
    # there. Such an entry takes the model's road, so the kind column says what the model does.
    class_by_field_name: Any = msgspec.field(name="class_", default=UNSET)
    timestamp: Any = UNSET
    session_id: Any = UNSET


_RAWS = msgspec.json.Decoder(list[msgspec.Raw])
_RAW = msgspec.json.Decoder(msgspec.Raw)
_ENTRY_STRUCT = msgspec.json.Decoder(_Entry)
_ANY = msgspec.json.Decoder()
# JSON whitespace then '[' (a regex, not bytes.lstrip(), which would copy a 200 MB input).
ARRAY_START = re.compile(rb"[ \t\r\n]*\[")
_entry_adapter: TypeAdapter[LogEntry] | None = None


def _validate_entry(value: Any) -> LogEntry:
    """``value`` (normalised) as the model, through one TypeAdapter built on first use."""
    global _entry_adapter
    if _entry_adapter is None:
        from pydantic import TypeAdapter

        from fuse_tui.core.model import LogEntry

        _entry_adapter = TypeAdapter(LogEntry)
    return _entry_adapter.validate_python(value)


# Python's int() refuses more digits than this (sys.get_int_max_str_digits), the slow road too.
_MOST_DIGITS = 4300
_DIGITS_ONLY = bytes(
    ord("0") if chr(byte).isdigit() and byte < 128 else ord(" ") for byte in range(256)
)
_SCAN_BYTES = 1 << 20
# Entries read between two pieces handed on (see read_pieces).
PIECE_ENTRIES = 50_000


class NotFast(Exception):
    """This input needs the slow road (which explains what is wrong, if anything)."""


def array_raws(data: bytes | bytearray, *, check_numbers: bool = True) -> list[msgspec.Raw]:
    """The items of the JSON array ``data`` (UTF-8, no BOM) as views into it.

    ``check_numbers=False`` leaves :func:`has_too_long_number` to the caller (a streaming
    reader checks after handing out its first piece).
    """
    if check_numbers and has_too_long_number(data):
        # msgspec reads any number; Python (and so the slow road) refuses over 4300 digits.
        raise NotFast
    check_utf8(data)
    try:
        return _RAWS.decode(data)
    except (msgspec.DecodeError, ValueError, RecursionError) as exc:
        raise NotFast from exc


_BLANKS = b" \t\r\n"
_BLANK_RUN = re.compile(rb"[ \t\r\n]*")
_ITEM_GAP = re.compile(rb"[ \t\r\n]*,[ \t\r\n]*")


def array_item_starts(data: bytes | bytearray, raws: Sequence[Any]) -> array[int] | None:
    """Where each item of the JSON array ``data`` starts (``raws``: its items as
    :func:`array_raws` cut them), when the same bytes stand between any two (a comma alone in
    a compact array, as Fuse writes one; a comma, a line feed and the indent in one written
    indented, as ``fuse-tui get`` and ``json.dump(indent=2)`` do); None otherwise."""
    opening = ARRAY_START.match(data)
    if opening is None or not raws:
        return None
    start = cast("re.Match[bytes]", _BLANK_RUN.match(data, opening.end())).end()
    end = data.rfind(b"]")
    while end > start and data[end - 1] in _BLANKS:
        end -= 1
    gap = b","
    if len(raws) > 1:
        found = _ITEM_GAP.match(data, start + len(raws[0]))
        if found is None:
            return None
        gap = found.group()
    return one_apart(data, raws, start, end, gap)


def one_apart(
    data: bytes | bytearray, raws: Sequence[Any], start: int, end: int, gap: bytes = b"\n"
) -> array[int] | None:
    """Where each of ``raws`` (views into ``data``, in order) starts, when the first starts at
    ``start``, ``gap`` stands between each two, and the last ends at ``end``; None when not.

    For views that the text's syntax keeps at least a byte apart (a comma between two items of
    an array; a line feed between two NDJSON lines of one record each). A one-byte gap: if
    the lengths and a byte between each two add up to the text from ``start`` to ``end``, no
    gap can be longer, so each view starts where this counts it to. A longer ``gap`` (blanks
    and a comma): two gaps, one shorter and one longer, could add up the same, so each view
    must also stand right after ``gap`` and start with ``{`` (a shorter gap would put the
    view's own ``{`` inside the bytes read as the gap, a longer one a blank where the ``{``
    is read); a view that is not an object answers None.
    """
    first, last = bytes(raws[0]), bytes(raws[-1])
    if data[start : start + len(first)] != first or data[end - len(last) : end] != last:
        return None
    size = len(gap)
    starts = array("q", accumulate(map(size.__add__, map(len, raws)), initial=start))
    if starts.pop() != end + size:
        return None
    if size > 1:
        after = gap + b"{"
        gaps = map(size.__rsub__, islice(starts, 1, None))  # where each gap should begin
        if data[start : start + 1] != b"{" or not all(map(data.startswith, repeat(after), gaps)):
            return None
    return starts


# Where an item of an array may end: a closing bracket or brace, blanks, then a comma.
_ITEM_END = re.compile(rb"[}\]][ \t\r\n]*,")
_HEAD_CUT_TAIL = 1 << 16
_HEAD_CUT_TRIES = 8


def array_head_raws(head: bytes) -> tuple[list[msgspec.Raw], int] | None:
    """The first items of the JSON array whose text starts with ``head`` (UTF-8, no BOM), as
    views, and the length of the part of ``head`` they were read from; None when no cut is
    found (or the head is not valid), without reading on.

    A cut is a comma after a closing bracket or brace; the head up to it, closed by ``]``, must
    read as an array of at least one item. JSON reads left to right without looking back, so
    that only happens where the whole text, read to the same point, is in its top-level array
    just after an item (inside a string or a deeper array the ``]`` does not end the text):
    those items are the whole text's first items, byte for byte, whatever follows.
    """
    tail = max(0, len(head) - _HEAD_CUT_TAIL)
    cuts = [found.end() - 1 for found in _ITEM_END.finditer(head, tail)]
    for cut in reversed(cuts[-_HEAD_CUT_TRIES:]):
        try:
            check_utf8(head, 0, cut)
            raws = _RAWS.decode(head[:cut] + b"]")
        except (NotFast, msgspec.DecodeError, ValueError, RecursionError):
            continue
        if raws:
            return raws, cut
    return None


def check_utf8(
    data: bytes | bytearray | msgspec.Raw, start: int = 0, end: int | None = None
) -> None:
    """Raise NotFast unless ``data[start:end]`` is valid UTF-8 (the slow road then says where
    it is not).

    msgspec checks the text it decodes, not what it keeps as Raw (a data key of an entry kept
    as text): a byte that is not UTF-8 there would only fail when the entry is read. Checked in
    pieces, so a 200 MB file is not copied into one string; a buffer of pure ASCII (any part
    of it is then ASCII too) is answered at once (~20 ms for 200 MB).
    """
    if isinstance(data, (bytes, bytearray)):
        # A small part (the first lines of a 200 MB NDJSON) is copied and asked alone rather
        # than the whole buffer scanned for it (~25 ms before the first rows).
        first, last, _ = slice(start, end).indices(len(data))
        if (data[first:last] if (last - first) * 2 < len(data) else data).isascii():
            return
    view = memoryview(data)[start:end]
    decode = codecs.getincrementaldecoder("utf-8")().decode
    try:
        for start in range(0, len(view), _UTF8_PIECE):
            decode(view[start : start + _UTF8_PIECE])
        decode(b"", True)
    except UnicodeDecodeError as exc:
        raise NotFast from exc


_UTF8_PIECE = 1 << 20


def line_raws(data: bytes, start: int, end: int) -> list[msgspec.Raw]:
    """The JSON values of ``data[start:end]`` (UTF-8, no BOM), one or more per line, as views.

    msgspec reads values separated by any JSON blanks (a line may hold several, a value may
    span lines): the caller compares the count with the lines it expects.

    Read a piece of ~8 MB at a time (see :data:`PIECE_BYTES`), each ending at a ``}`` before a
    line feed and ``{``: in JSON those stand between two values only (never inside a string,
    and inside a value ``}`` is followed by ``,``, ``}`` or ``]``), so the pieces hold the same
    values, and fail where the whole fails.
    """
    check_utf8(data, start, end)
    view = memoryview(data)
    raws: list[msgspec.Raw] = []
    try:
        while True:
            cut = end
            if end - start > PIECE_BYTES:
                cut = data.find(b"}\n{", start + PIECE_BYTES, end) + 1 or end
            raws += _RAW.decode_lines(view[start:cut])
            if cut >= end:
                return raws
            start = cut + 1  # the line feed
    except (msgspec.DecodeError, ValueError, RecursionError) as exc:
        raise NotFast from exc


# A reader's thread holds Python's lock all through one C call: a search or a decode of 200 MB
# in one call (0.2-0.5 s) would keep the UI thread from painting the first rows meanwhile. In
# pieces of this size, the lock changes hands between them.
PIECE_BYTES = 8 << 20


def count_in_pieces(data: bytes, needle: bytes, start: int, end: int) -> int:
    """``data.count(needle, start, end)``, counted a piece at a time (see :data:`PIECE_BYTES`).

    A needle that may overlap itself (``aa``) is counted in one call: ``count`` skips an
    occurrence that overlaps the one before, which a piece boundary between them would not.
    """
    if any(needle[-size:] == needle[:size] for size in range(1, len(needle))):
        return data.count(needle, start, end)
    total = 0
    for first in range(start, end, PIECE_BYTES):
        # The occurrences that start in this piece: it ends len(needle) - 1 bytes later.
        total += data.count(needle, first, min(end, first + PIECE_BYTES + len(needle) - 1))
    return total


def has_too_long_number(data: bytes | bytearray) -> bool:
    """Whether ``data`` holds a run of more than 4300 digits."""
    return digit_run_longer_than(data, _MOST_DIGITS, _DIGIT_STRIDE)


# Every 430th byte is looked at first: a run of 4301 digits holds at least 10 of them in a row.
_DIGIT_STRIDE = 430


def digit_run_longer_than(data: bytes | bytearray, most: int, stride: int) -> bool:
    """Whether ``data`` holds a run of more than ``most`` ASCII digits.

    Every byte was read (translated, then searched: 0.3 s of a 200 MB file, the largest part
    of what an NDJSON read costs beyond a JSON array's). A run of ``most + 1`` digits holds at
    least ``(most + 1) // stride`` consecutive multiples of ``stride``, so the bytes at those
    offsets alone (a copy 1/``stride`` of the size) show where such a run may be: only the
    stretch between the non-digits around each long enough run of them is then read whole.
    """
    sampled = (most + 1) // stride
    if sampled < 2:
        return _digit_run_in(data, 0, len(data), most)
    samples = data[::stride].translate(_DIGITS_ONLY)
    needle = b"0" * sampled
    found = samples.find(needle)
    while found >= 0:
        # ``found`` starts a run of sampled digits (the search starts after a non-digit).
        after = samples.find(b" ", found)
        if after < 0:
            after = len(samples)
        start = (found - 1) * stride + 1 if found else 0
        stop = after * stride if after < len(samples) else len(data)
        if _digit_run_in(data, start, stop, most):
            return True
        found = samples.find(needle, after)
    return False


def _digit_run_in(data: bytes | bytearray, start: int, stop: int, most: int) -> bool:
    """Whether ``data[start:stop]`` holds a run of more than ``most`` digits, every byte read
    (in pieces: a 200 MB stretch is not copied whole)."""
    needle = b"0" * (most + 1)
    for first in range(start, stop, _SCAN_BYTES):
        piece = data[first : min(stop, first + _SCAN_BYTES + most)]
        if needle in piece.translate(_DIGITS_ONLY):
            return True
    return False


def add_entries(
    store: CompactEntries,
    raws: Sequence[Any],
    start: int = 0,
    stop: int | None = None,
) -> None:
    """Validate ``raws[start:stop]`` into ``store``; NotFast if one needs the slow road.

    A piece at a time: one whose entries are all plain in bulk (``json_plain``), any other
    entry by entry."""
    stop = len(raws) if stop is None else stop
    for first in range(start, stop, PLAIN_PIECE):
        piece = raws[first : min(stop, first + PLAIN_PIECE)]
        if not add_plain_entries(store, piece):
            _add_each(store, piece)


def _add_each(store: CompactEntries, raws: Sequence[Any]) -> None:
    """Validate each of ``raws`` into ``store``, plain or not; NotFast if one needs the slow
    road."""
    from fuse_tui.core.entries import STAMP_MAX, STAMP_MIN

    decode = _ENTRY_STRUCT.decode
    add_raw = store.add_raw
    # add_raw inlined for the usual entry (a class and module seen before, an int64 stamp).
    add_item, kind_id_of, add_kind, add_stamp, module_id_of, add_module = store.appenders()
    try:
        for raw in raws:
            entry = decode(raw)
            event = entry.event
            kind = entry.class_
            stamp = entry.timestamp
            if (
                entry.class_by_field_name is UNSET
                and (kind is UNSET or kind is None or type(kind) is str)
                and (stamp is UNSET or stamp is None or type(stamp) is int)
                and (event is UNSET or type(event) is _Event)
            ):
                module: Any = None
                plain = True
                if event is not UNSET:
                    line = event.line
                    data = event.data
                    if not (line is UNSET or type(line) is str):
                        plain = False
                    elif type(data) is _Data:
                        module = data.module_type
                        module = None if module is UNSET or module is None else str(module)
                    elif not (data is UNSET or data is None):
                        plain = False
                if plain:
                    if not kind:
                        kind = "unknown"
                    kind_id = kind_id_of(kind)
                    module_id = module_id_of(module)
                    if (
                        kind_id is not None
                        and module_id is not None
                        and type(stamp) is int
                        and STAMP_MIN <= stamp <= STAMP_MAX
                    ):
                        add_item(raw)
                        add_kind(kind_id)
                        add_stamp(stamp)
                        add_module(module_id)
                        continue
                    add_raw(raw, kind, None if stamp is UNSET else stamp, module)
                    if kind_id is not None:  # no new class: the column is the same (a log
                        continue  # of 1M stampless {} came here each time)
                else:
                    store.append(_model(raw, store))
            else:
                store.append(_model(raw, store))
            # A new class may have widened the column (see CompactEntries.appenders).
            add_item, kind_id_of, add_kind, add_stamp, module_id_of, add_module = store.appenders()
    except (msgspec.DecodeError, ValueError, RecursionError) as exc:
        raise NotFast from exc


def _model(raw: Any, store: CompactEntries) -> LogEntry:
    """An entry that is not plain, as the slow road reads it (normalised, then validated)."""
    from fuse_tui.core.formats.shape import normalize_entry

    value = _ANY.decode(raw)
    if isinstance(value, dict) and store.drop_key is not None:
        value.pop(store.drop_key, None)
    return _validate_entry(normalize_entry(value))


class PlainFields(NamedTuple):
    """What the text table shows of each entry of a plain log, one list per column.

    ``data``: each entry's ``event.data`` (None when absent or null), when asked for.
    """

    kinds: list[str]
    timestamps: list[int | None]
    module_types: list[str | None]
    lines: list[str]
    data: list[dict[str, Any] | None] | None = None


def plain_fields(raws: Sequence[Any], *, with_data: bool = False) -> PlainFields | None:
    """The fields of ``raws`` when every one is plain, read as :func:`add_entries` reads them
    into its columns (and its model has them); None as soon as one is not, or msgspec refuses
    one (the reader decides then). No model is built: this needs neither pydantic nor the
    models. The conditions are :func:`add_entries`'s (a test keeps the two in step).

    ``with_data``: also each entry's ``event.data``, decoded whole by msgspec (its values
    read as the model's JSON parser reads them; a value msgspec refuses, such as 1e400 that
    the entry's checks skipped, gives None: the reader decides then)."""
    decode = _ENTRY_STRUCT.decode
    decode_any = _ANY.decode
    kinds: list[str] = []
    stamps: list[int | None] = []
    modules: list[str | None] = []
    lines: list[str] = []
    datas: list[dict[str, Any] | None] = []
    try:
        for raw in raws:
            entry = decode(raw)
            event = entry.event
            kind = entry.class_
            stamp = entry.timestamp
            if not (
                entry.class_by_field_name is UNSET
                and (kind is UNSET or kind is None or type(kind) is str)
                and (stamp is UNSET or stamp is None or type(stamp) is int)
                and (event is UNSET or type(event) is _Event)
            ):
                return None
            module: Any = None
            line: Any = ""
            if event is not UNSET:
                line = event.line
                data = event.data
                if line is UNSET:
                    line = ""
                elif type(line) is not str:
                    return None
                if type(data) is _Data:
                    module = data.module_type
                    module = None if module is UNSET or module is None else str(module)
                elif not (data is UNSET or data is None):
                    return None
            kinds.append(kind if kind else "unknown")
            stamps.append(None if stamp is UNSET else stamp)
            modules.append(module)
            lines.append(line)
            if with_data:
                whole = decode_any(raw)  # an object: the entry decoded as one above
                found = whole.get("event")
                datas.append(found.get("data") if type(found) is dict else None)
    except (msgspec.DecodeError, ValueError, RecursionError):
        return None
    return PlainFields(kinds, stamps, modules, lines, datas if with_data else None)


class _Session(msgspec.Struct):
    session_id: Any = None


_SESSION = msgspec.json.Decoder(_Session)


def session_groups(raws: Sequence[Any]) -> list[tuple[str | None, int, int]]:
    """NDJSON records grouped as ``shape.interpret_ndjson`` does: runs of the same session_id.

    Returns ``(session_id, start, stop)`` per run; NotFast when a record is not an object.
    """
    decode = _SESSION.decode
    groups: list[tuple[str | None, int, int]] = []
    current: Any = UNSET
    start = 0
    try:
        for index, raw in enumerate(raws):
            session = decode(raw).session_id
            if session != current or type(session) is not type(current):
                if index:
                    groups.append((_session_text(current), start, index))
                current, start = session, index
    except (msgspec.DecodeError, ValueError, RecursionError) as exc:
        raise NotFast from exc
    if raws:
        groups.append((_session_text(current), start, len(raws)))
    return _merge_same(groups)


def _session_text(session: Any) -> str | None:
    return None if session is None or session == "" else str(session)


def _merge_same(groups: list[tuple[str | None, int, int]]) -> list[tuple[str | None, int, int]]:
    """Neighbouring runs whose session reads the same (1 and "1") are one call, as in shape."""
    merged: list[tuple[str | None, int, int]] = []
    for session_id, start, stop in groups:
        if merged and merged[-1][0] == session_id:
            merged[-1] = (session_id, merged[-1][1], stop)
        else:
            merged.append((session_id, start, stop))
    return merged


_ENCODE = msgspec.json.Encoder()
_ABSENT: Any = object()


def add_parsed(store: CompactEntries, item: Any) -> None:
    """Add an entry parsed from XML (text, objects and lists only) to ``store``.

    A plain entry (see the module docstring; its ``timestamp`` text read as ``_coerce_timestamp``
    reads it, its empty ``data`` or ``event`` element an empty object, as ``normalize_entry``
    makes them) is kept as its JSON text with the timestamp as a number: the model built from
    it is the one the slow road builds. Others go through the model at once; NotFast if the
    model refuses one (the slow road names it).
    """
    if isinstance(item, str) and not item.strip():
        item = {}  # an empty <item/> is an empty entry
    plain = _plain_parsed(item)
    if plain is not None:
        value, kind, stamp, module = plain
        try:
            store.add_raw(_ENCODE.encode(value), kind, stamp, module)
            return
        except (msgspec.EncodeError, UnicodeError, ValueError, OverflowError):
            pass  # a lone surrogate from an escaped text: keep the model instead
    from fuse_tui.core.formats.shape import normalize_entry

    try:
        store.append(_validate_entry(normalize_entry(item)))
    except (ValueError, RecursionError) as exc:  # pydantic's ValidationError included
        raise NotFast from exc


def _plain_parsed(item: Any) -> tuple[dict[str, Any], str, int | None, str | None] | None:
    # Hot (once per XML entry). ``item`` is fresh from the XML reader: it is changed in place,
    # only once every check has passed (else the model reads it as it came).
    if type(item) is not dict or "class_" in item:
        return None  # the model also reads "class_" (its field name): let it decide the class
    kind = item.get("class")
    if not (kind is None or type(kind) is str):
        return None
    stamp: Any = item.get("timestamp", _ABSENT)
    if stamp is _ABSENT:
        stamp = None
    elif stamp is not None:
        if type(stamp) is str:
            try:
                stamp = int(stamp)  # int() strips blanks as coerce_timestamp does
            except ValueError:
                from fuse_tui.core.model import coerce_timestamp

                stamp = coerce_timestamp(stamp)
        if not (stamp is None or type(stamp) is int):
            return None
    module: str | None = None
    event = item.get("event", _ABSENT)
    data: Any = _ABSENT
    if event is not _ABSENT:
        if event == "":
            event = {}
        if type(event) is not dict:
            return None
        if type(event.get("line", "")) is not str:
            return None
        data = event.get("data", _ABSENT)
        if data is not _ABSENT:
            if data == "":
                data = {}
            if type(data) is not dict:
                return None
            found = data.get("module_type")
            module = None if found is None else str(found)
    if "timestamp" in item:
        item["timestamp"] = stamp
    if event is not _ABSENT:
        if data is not _ABSENT:
            event["data"] = data
        item["event"] = event
    return item, kind if kind else "unknown", stamp, module
