"""Read an XML Fuse answer (root ``<result>``, one ``<item>`` per list element, keys as elements).

Parsing goes through defusedxml with DTDs forbidden: Fuse never sends a DOCTYPE, and entity
declarations are how billion-laughs and external-entity attacks work, so any DTD is refused
before anything is expanded or fetched.

Beyond Fuse's convention, two attributes written by our own writer are understood (see
``xml_writer``): ``name="…"`` carries a key that is not a valid XML element name, and
``escaped="json"`` marks text (and name) written as a JSON string body because XML 1.0 cannot
carry some of its characters. Every scalar is text; the model coerces ``timestamp``.
"""

from __future__ import annotations

import codecs
import json
import re
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Generator, Iterator
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import json_fast
from fuse_tui.core.formats.detect import detect_encoding
from fuse_tui.core.formats.document import Document, LogsDocument
from fuse_tui.core.formats.errors import DeclaredEncodingError, FormatError
from fuse_tui.core.formats.shape import gc_paused, interpret
from fuse_tui.core.formats.xml_shapes import ItemShapes, read_items
from fuse_tui.core.model import CallLog
from fuse_tui.core.textsafe import escape_control

NAME_ATTR = "name"
ESCAPED_ATTR = "escaped"
# The encoding declaration, whatever its name holds (the name is vetted after the match).
_PROLOG_ENCODING = re.compile(rb"""\s*(<\?xml[^>]*?encoding\s*=\s*)(["'])([^"'<>]*)\2""")
_PROLOG_ENCODING_TEXT = re.compile(r"""\s*(<\?xml[^>]*?encoding\s*=\s*)(["'])([^"'<>]*)\2""")
# XML 1.0 EncName.
_ENCODING_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
# Encodings expat decodes itself (XML 1.0 names it knows, any case).
# Text codecs Python has for other jobs (host names, escapes, a codec that always fails):
# decoding a document with them would change its text, or fail half-way.
_NOT_DOCUMENT_ENCODINGS = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}
)
_EXPAT_ENCODINGS = frozenset({"utf-8", "utf-16", "iso-8859-1", "us-ascii"})
_POSITION_SUFFIX = re.compile(r":\s*line \d+, column \d+$")
# Bytes handed to the pull parser at a time.
_FEED_BYTES = 1 << 16
# Bytes of whole items decoded and read by shape at a time, in _FEED_BYTES.
_SHAPE_CHUNK_FEEDS = 16
_ITEM_END = b"</item>"
# A prolog of at most an XML declaration and blanks, then <result> with no attribute.
_PLAIN_ROOT = re.compile(rb"(?:\xef\xbb\xbf)?(?:<\?xml [^<>]*\?>)?[ \t\r\n]*<result>")
_PLAIN_END = re.compile(rb"[ \t\r\n]*</result>[ \t\r\n]*")
# How a document cut short is told (the salvage of an all_logs dump looks for it).
XML_TRUNCATED = "the XML ends too early (truncated?)"
# Entries read between two counts told by stream_entries.
PIECE_ENTRIES = 50_000


def read_xml(data: bytes, source: str) -> Document:
    # The element tree is as many small objects as the models: keep the GC out of all of it.
    with gc_paused(len(data)):
        store = CompactEntries()
        try:
            for _ in stream_entries(data, source, store):
                pass
        except NotStreamable:
            return _read_xml(data, source)
        return LogsDocument([CallLog(entries=store, source=source)], "call", "xml")


class NotStreamable(Exception):
    """Not a plain one-call answer, or something to explain: read the whole tree instead."""


def stream_entries(
    data: bytes,
    source: str,
    store: CompactEntries,
    piece: int = PIECE_ENTRIES,
    first: int | None = None,
) -> Iterator[int]:
    """Read the entries of a one-call answer (``<result>`` of ``<item>``) into ``store``.

    The prolog is vetted (encoding, no DTD) as for a whole read. Then, when the prolog is
    plain and the text UTF-8, items are read by their shape (``xml_shapes``: one match per item,
    no element objects, 2x faster); whatever a shape cannot read exactly, and everything after
    it, goes through a pull parser: each ``<item>`` is turned into an entry and dropped as soon
    as it is complete, so the tree of the whole answer is never built. Yields the count read so
    far: after about ``first`` entries (default ``piece``), then about every ``piece`` entries,
    and at the end.
    Raises NotStreamable for anything else (another answer shape, a syntax error, an entry
    the model refuses), possibly after some entries: the whole-tree read then gives the
    document or the precise message. A FormatError about the encoding or a DTD is raised as
    the whole read would raise it.
    """
    data = _vetted(data, source)
    told = 0
    resume: int | None = None
    start = _plain_root_end(data)
    if start is not None:
        # Items are read by their shape (xml_shapes) as long as they can be; the pull parser
        # reads whatever is left from where that stopped, as the rest of a <result>.
        resume, told = yield from _read_by_shape(data, start, store, piece, first)
        if resume is None:
            if not len(store):
                raise NotStreamable  # <result/>: the whole read says what it is
            yield len(store)
            return
    yield from _pull_items(data, store, piece, first, resume, told)


def _plain_root_end(data: bytes) -> int | None:
    """Where the root's content starts, when the prolog is plain and the text UTF-8."""
    match = _PLAIN_ROOT.match(data)
    if match is None:
        return None
    declared = _PROLOG_ENCODING.match(data)
    if declared is not None and declared.group(3).lower() != b"utf-8":
        return None  # Latin-1, ASCII or UTF-16 as expat reads them: not what decode() reads
    return match.end()


def _read_by_shape(
    data: bytes, pos: int, store: CompactEntries, piece: int, first: int | None
) -> Generator[int, None, tuple[int | None, int]]:
    """Read items from ``pos`` by their shape, yielding the count read so far as stream_entries
    does. Returns where the pull parser must go on (None: the whole <result> is read) and the
    last count yielded."""
    shapes = ItemShapes(store)
    told = 0
    chunk = _FEED_BYTES * _SHAPE_CHUNK_FEEDS
    size = chunk
    while True:
        # Up to the last </item> in ``size`` bytes: it may close a list inside an item, whose
        # rest is then read with the next text.
        end = data.rfind(_ITEM_END, pos, pos + size)
        if end < 0:
            end = data.find(_ITEM_END, pos)
            if end < 0:
                break
        end += len(_ITEM_END)
        try:
            text = data[pos:end].decode("utf-8")
        except UnicodeDecodeError:
            return pos, told
        # What XML forbids in text that a shape's expression would take.
        if "]]>" in text or "\ufffe" in text or "\uffff" in text:
            return pos, told
        try:
            with gc_paused():  # not across a yield: the caller's code runs in between
                stopped = read_items(text, 0, shapes, store, element_value)
        except (json_fast.NotFast, RecursionError) as exc:
            raise NotStreamable from exc
        if stopped < len(text):
            if not shapes.cut or (not stopped and pos + size >= len(data)):
                return pos + len(text[:stopped].encode("utf-8")), told
            # An item longer than what was left of the text: read it from a longer one.
            size = size * 2 if not stopped else chunk
            end = pos + len(text[:stopped].encode("utf-8"))
        else:
            size = chunk
        pos = end
        if len(store) - told >= (piece if told or first is None else first):
            told = len(store)
            yield told
    return (None if _PLAIN_END.fullmatch(data, pos) else pos), told


def _pull_items(
    data: bytes,
    store: CompactEntries,
    piece: int,
    first: int | None,
    resume: int | None,
    told: int,
) -> Iterator[int]:
    """stream_entries with the pull parser, from the start or (``resume``) inside <result>."""
    # A pull parser reports every element (1M entries: 10M events, 40% of the read); only the
    # root's start is needed, so events are asked for until it comes, then turned off. The
    # C parser's _setevents is what XMLPullParser itself uses; without it, read whole.
    parser: Any = ET.XMLParser(target=ET.TreeBuilder())
    set_events = getattr(parser, "_setevents", None)
    if set_events is None:
        raise NotStreamable
    events: deque[tuple[str, Any]] = deque()
    set_events(events, ("start",))
    root: Any = None
    # An attribute needs a literal '='. Before the first one after the root's start tag, the
    # items hold none (no name/escaped to look for on each element, a quarter of the walk).
    if resume is None:
        first_equals = data.find(b"=", data.find(b">", data.find(b"<result")))
        begin = 0
    else:
        first_equals = data.find(b"=", resume)
        begin = resume
    bare_until = len(data) + 1 if first_equals < 0 else first_equals
    try:
        if resume is not None:
            # What came before ``resume`` was the root's start tag and whole items.
            parser.feed(b"<result>")
        for offset in range(begin, len(data), _FEED_BYTES):
            fed = offset + _FEED_BYTES
            parser.feed(data[offset:fed])
            if root is None:
                # The root and its first child: a <result> whose first child is not an
                # <item> (an all_logs dump's <calls>) is read whole, at once, not after a
                # parse of all of it that the whole read would do again.
                if len(events) < 2:
                    if events and events[0][1].tag != "result":
                        raise NotStreamable
                    continue
                root, child = events[0][1], events[1][1]
                set_events(events, ())
                events.clear()
                if root.tag != "result" or child.tag != "item":
                    raise NotStreamable
            # The last one may be incomplete; those before it end before ``fed``.
            _take_items(root, len(root) - 1, store, fed <= bare_until)
            if len(store) - told >= (piece if told or first is None else first):
                told = len(store)
                yield told
        root = parser.close()
        _take_items(root, len(root), store, len(data) <= bare_until)
    except (ET.ParseError, RecursionError, json_fast.NotFast) as exc:
        raise NotStreamable from exc
    if not len(store):
        raise NotStreamable  # <result/>, or text only: the whole read says what it is
    yield len(store)


def _take_items(root: Any, count: int, store: CompactEntries, bare: bool = False) -> None:
    """Turn the first ``count`` children of ``root`` into entries, and drop them.

    ``bare``: the text of those children holds no attribute at all.
    """
    if count <= 0:
        return
    value_of = _bare_value if bare else element_value
    add_parsed = json_fast.add_parsed
    for element in root[:count]:
        if element.tag != "item" or element.get(NAME_ATTR) is not None:
            raise NotStreamable
        add_parsed(store, value_of(element))
    del root[:count]


def _vetted(data: bytes, source: str) -> bytes:
    """``data`` ready for expat, its prolog checked for a DTD (FormatError as parse_xml says)."""
    data, skipped_lines = _skip_leading_blanks(data)
    data = _expat_ready(data, source)
    try:
        _refuse_dtd(data)
    except DefusedXmlException as exc:
        raise _refused(source, exc) from exc
    except SafeET.ParseError as exc:
        raise _syntax_error(source, exc, skipped_lines) from exc
    except (LookupError, UnicodeError, ValueError) as exc:
        raise NotStreamable from exc  # parse_xml words it
    return data


def ready_for_expat(data: bytes) -> bytes:
    """``data`` as the reader hands it to expat (see :func:`_vetted`): UTF-8, UTF-16, Latin-1
    or ASCII, its prolog checked for a DTD. Raises as the reader would (FormatError,
    NotStreamable) on what it refuses."""
    return _vetted(data, "")


def _read_xml(data: bytes, source: str) -> Document:
    root = parse_xml(data, source)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag.lower() == "html":
        raise FormatError(source, "this is an HTML page, not a Fuse answer")
    if tag != "result":
        raise FormatError(
            source, f"the XML root is <{escape_control(tag)}>; a Fuse answer has <result>"
        )
    try:
        value = element_value(root)
    except RecursionError as exc:
        raise FormatError(source, "the XML is nested too deeply to read") from exc
    del root  # the element tree is no longer needed: free it before the models are built
    if isinstance(value, str) and not value.strip():  # <result></result>: an empty list
        value = []
    if isinstance(value, list):
        value = _as_entries(value)
    elif isinstance(value, dict) and isinstance(calls := value.get("calls"), list):
        # An all_logs answer: the same for each call's entries (its <detail>).
        for call in calls:
            if isinstance(call, dict) and isinstance(detail := call.get("detail"), list):
                call["detail"] = _as_entries(detail)
    return interpret(value, source, "xml")


def _as_entries(items: list[Any]) -> list[Any]:
    """Entries are objects: an empty <item/> is an empty entry (what the writers write of
    ``{}``), not an empty string."""
    return [{} if isinstance(item, str) and not item.strip() else item for item in items]


def parse_xml(data: bytes, source: str) -> Any:
    data, skipped_lines = _skip_leading_blanks(data)
    data = _expat_ready(data, source)
    try:
        return _fromstring(data)
    except DefusedXmlException as exc:
        raise _refused(source, exc) from exc
    except SafeET.ParseError as exc:
        raise _syntax_error(source, exc, skipped_lines) from exc
    except (LookupError, UnicodeError, ValueError) as exc:
        # Not expected once _expat_ready has vetted the encoding; kept so that a codec surprise
        # is still one sentence, not a traceback.
        raise FormatError(source, f"the XML encoding cannot be read: {exc}") from exc


def _skip_leading_blanks(data: bytes) -> tuple[bytes, int]:
    """Blank lines before ``<?xml`` are invalid XML but common in saved answers: drop them.

    Returns the data and how many lines were dropped (to keep error line numbers true).
    """
    encoding, bom = detect_encoding(data)
    if encoding != "utf-8" or not data[bom : bom + 1].isspace():
        return data, 0
    body = data[bom:]
    stripped = body.lstrip()
    return stripped, body[: len(body) - len(stripped)].count(b"\n")


class _RootReached(Exception):
    """The prolog is over: a DTD can no longer appear."""


class _StopAtRoot:
    """A tree-builder target that ends the vetting parse at the root element's start tag."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootReached

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        return None


def _fromstring(data: bytes) -> Any:
    """The element tree of ``data``, after defusedxml has vetted it for a DTD (_refuse_dtd)."""
    _refuse_dtd(data)
    return ET.fromstring(data)


def _refuse_dtd(data: bytes) -> None:
    """Raise if the prolog of ``data`` holds a DTD.

    A DTD (and so any entity declaration) can only stand in the prolog, before the root
    element. defusedxml reads just that far, refusing any DTD; the tree is then built by the
    standard library's C parser (1.4-1.8x faster than defusedxml's pure-Python one at 100k).
    Without a DTD, expat itself refuses any entity but the five predefined ones.
    """
    gate = SafeET.XMLParser(
        target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        # By chunks: expat copies what it is fed, and the root is usually in the first one.
        for offset in range(0, len(data), _FEED_BYTES):
            gate.feed(data[offset : offset + _FEED_BYTES])
        gate.close()
    except _RootReached:
        pass


def _expat_ready(data: bytes, source: str) -> bytes:
    """``data`` as expat should see it: UTF-8, UTF-16, Latin-1 or ASCII, with a true prolog.

    Expat reads those four encodings itself. For any other name in the prolog it asks Python's
    codec registry, from inside the parse, for a 256-byte table decoded with "replace" — which
    crashes on codecs that are not single-byte text encodings (``idna``, ``punycode``,
    ``undefined``) and cannot work for multi-byte ones (Shift_JIS). So every other declared
    encoding is checked and decoded here, strictly, and the text handed on as UTF-8. UTF-16/32
    (told by a BOM or the NUL pattern) is decoded here too, its prolog checked against it.
    """
    carrier, bom = detect_encoding(data)
    if carrier != "utf-8":
        return _wide_as_utf8(data[bom:], carrier, source)
    match = _PROLOG_ENCODING.match(data, bom)
    if match is None:
        return data
    name = match.group(3).decode("latin-1")
    codec = _text_codec(name, source)
    if bom and codec not in {"utf-8", "utf-8-sig"}:
        raise DeclaredEncodingError(
            source,
            "the XML starts with a UTF-8 byte-order mark but declares the encoding "
            f"{escape_control(name)}",
        )
    if name.lower() in _EXPAT_ENCODINGS:
        return data
    text = _decode(data[match.end() :], name, source)
    return match.group(1) + b'"utf-8"' + text.encode("utf-8", "surrogatepass")


def _wide_as_utf8(raw: bytes, carrier: str, source: str) -> bytes:
    """UTF-16/32 text as UTF-8, when its prolog (if any) declares the same family."""
    text = _decode(raw, carrier, source)
    match = _PROLOG_ENCODING_TEXT.match(text)
    if match is None:
        return text.encode("utf-8", "surrogatepass")
    name = match.group(3)
    if _text_codec(name, source)[:6] != carrier[:6]:  # utf-16* or utf-32*
        raise DeclaredEncodingError(
            source,
            f"the XML is {carrier.upper()} text but declares the encoding {escape_control(name)}",
        )
    body = match.group(1) + '"utf-8"' + text[match.end() :]
    return body.encode("utf-8", "surrogatepass")


def _text_codec(name: str, source: str) -> str:
    """The codec's canonical name, when ``name`` is a text encoding Python has a codec for."""
    shown = escape_control(name if len(name) <= 40 else name[:39] + "…")
    if _ENCODING_NAME.fullmatch(name) is None:
        raise DeclaredEncodingError(source, f"the XML declares an invalid encoding name: {shown!r}")
    try:
        info = codecs.lookup(name)
    except LookupError as exc:
        raise DeclaredEncodingError(
            source, f"the XML declares an unknown encoding: {shown}"
        ) from exc
    # rot13, base64, hex, zlib…: codecs between str and str or bytes and bytes, not text ones.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_DOCUMENT_ENCODINGS:
        raise DeclaredEncodingError(
            source,
            f"the XML declares the encoding {shown}, which is not one for text documents "
            "(save it as UTF-8)",
        )
    return info.name


def _decode(raw: bytes, name: str, source: str) -> str:
    shown = escape_control(name)
    try:
        return raw.decode(name)
    except UnicodeDecodeError as exc:
        raise FormatError(
            source, f"the XML is not valid {shown} text (offset {exc.start})"
        ) from exc
    # A codec is arbitrary code: idna and undefined raise a bare UnicodeError, others
    # ValueError or TypeError.
    except (UnicodeError, ValueError, TypeError, LookupError) as exc:
        raise FormatError(source, f"the XML cannot be read as {shown} text") from exc


def _refused(source: str, exc: Exception) -> FormatError:
    return FormatError(
        source,
        "this XML was refused: it declares a DTD or entities (DOCTYPE/ENTITY), which Fuse never "
        f"sends and which entity-expansion and external-entity attacks use ({type(exc).__name__})",
    )


def _syntax_error(source: str, exc: Any, skipped_lines: int = 0) -> FormatError:
    line, column = getattr(exc, "position", (None, None))
    if line is not None:
        line += skipped_lines
    detail = _POSITION_SUFFIX.sub("", str(exc))
    if detail.startswith(("no element found", "unclosed token")):
        problem = f"{XML_TRUNCATED}: {detail}"
    else:
        problem = f"this is not well-formed XML: {detail}"
    # Expat counts columns from 0; editors count from 1.
    return FormatError(source, problem, line=line, column=None if column is None else column + 1)


def element_value(element: Any) -> Any:
    """An element as text, a list (all children ``<item>``) or a dict (children as keys)."""
    # Hot loop (tens of elements per entry): len() and get() avoid building lists and dicts.
    if not len(element):
        text = element.text or ""
        return _json_unescape(text) if element.get(ESCAPED_ATTR) == "json" else text
    if element[0].tag == "item" and all(
        child.tag == "item" and child.get(NAME_ATTR) is None for child in element
    ):
        return [element_value(child) for child in element]
    # Keys: the name attribute when present, else the tag; a repeated key keeps the last value.
    value = {}
    for child in element:
        # Our writer's name/escaped attributes are rare. get() is cheaper than .attrib, which
        # builds a dict for every element that has none.
        if child.get(NAME_ATTR) is not None or child.get(ESCAPED_ATTR) is not None:
            value[element_key(child)] = element_value(child)
        elif len(child):
            value[child.tag] = element_value(child)
        else:  # a leaf without attributes, most elements: no call
            value[child.tag] = child.text or ""
    return value


def _bare_value(element: Any) -> Any:
    """``element_value`` of an element whose subtree has no attributes (the hot loop)."""
    if not len(element):
        return element.text or ""
    if element[0].tag == "item" and all(child.tag == "item" for child in element):
        return [_bare_value(child) for child in element]
    value = {}
    for child in element:
        value[child.tag] = _bare_value(child) if len(child) else child.text or ""
    return value


def element_key(element: Any) -> str:
    name = element.get(NAME_ATTR)
    if name is None:
        return str(element.tag)
    return _json_unescape(name) if element.get(ESCAPED_ATTR) == "json" else str(name)


def _json_unescape(text: str) -> str:
    try:
        value = json.loads(f'"{text}"', strict=False)
    except json.JSONDecodeError:
        return text  # not ours after all: keep the text as it is
    return value if isinstance(value, str) else text
