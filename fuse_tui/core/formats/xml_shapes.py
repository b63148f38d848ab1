"""The fast road for XML entries: items read by their shape, without building an element tree.

A dump repeats a handful of item shapes: the same elements in the same order, only the texts
differ. The first item of each shape is parsed by the C parser (as the pull parser would parse
it); its shape becomes a regular expression that matches its tags literally, the blanks between
them, and captures the text of every leaf. The shapes seen so far are merged into one expression
(a trie, so a beginning they share is scanned once), which reads each following item in one
match; the entry's value is then built from the captured texts exactly as ``element_value``
builds it from the element (a dict per element with children, a list for one whose children are
all ``<item>``, the text of a leaf), and the entry added as ``json_fast.add_parsed`` adds it.

A match can only stand for what the parser would read the same way, so an expression takes:
tags without attributes or blanks, ASCII element names, blanks (space, tab, CR, LF) between
tags, and leaf text without ``<`` or control characters (a raw CR is normalised by XML parsers,
C0 controls are errors), whose ``&`` starts a reference to one of the five predefined entities
or to a character (expanded here as the parser expands it). The caller checks each chunk for
what XML forbids that these allow (``]]>``, U+FFFE, U+FFFF, invalid UTF-8). An item that no
shape matches is parsed on its own by the C parser and read through ``element_value``; anything
else (not an item, a parse error, too many odd items) stops this road, and the caller's pull
parser reads the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import msgspec

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import json_fast

# Between tags: what element_value ignores (a container's text, tails) when it is blank (a CR
# there, as in a file saved with CRLF line ends, is normalised into text nobody reads).
_GAP = "[ \t\r\n]*"
# A leaf's text, captured: characters the parser gives unchanged; and (in the second expression,
# tried when the first does not match, being 1.5x slower) references to the five predefined
# entities or to characters, which _expanded expands as the parser does.
_PLAIN_CHARS = "[^<&\x00-\x1f]*"
_REFERENCE = "&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);"
_TEXT = f"({_PLAIN_CHARS})"
_TEXT_WITH_REFERENCES = f"({_PLAIN_CHARS}(?:{_REFERENCE.replace('(', '(?:')}{_PLAIN_CHARS})*)"
_REFERENCES = re.compile(_REFERENCE)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_END = None  # the end of a shape in the trie
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
ITEM = "item"
# Shapes kept at most (each new one recompiles the expression), and items read one by one by the
# C parser (no shape, or one the expression cannot take) before the caller reads the rest.
MAX_SHAPES = 64
MAX_PENDING_SHAPES = 4
MAX_ODD_ITEMS = 1000
# Tokens of a shape at most (~100 leaves): the expression is emitted by recursion over them.
MAX_SHAPE_TOKENS = 300

# As json_fast encodes an entry parsed from XML.
_ENCODE = msgspec.json.Encoder()
# What a shape's adder raises when the entry needs json_fast.add_parsed after all.
_NOT_PLAIN = (ValueError, OverflowError, msgspec.EncodeError)

Builder = Callable[[tuple[Any, ...]], Any]
ValueOf = Callable[[Any], Any]


class ItemShapes:
    """The item shapes learned so far, and the expressions that read them."""

    def __init__(self, store: CompactEntries) -> None:
        self._store = store
        self._shapes: list[tuple[str, ...]] = []
        self._elements: list[Any] = []
        # The first reads the shapes learned until it was last built; each other one a shape
        # learned since (compiling is slow, 100x a match: the first is rebuilt with them all
        # once they are a few, and half as many as it has).
        self.matchers: list[_Matcher] = []
        self._in_first = 0
        self.odd_items = 0
        # Whether the last read stopped at an item that goes on after the text it was given.
        self.cut = False

    def learn(self, element: Any) -> bool:
        """Add the shape of ``element`` (an ``<item>``); False when no expression can take it."""
        if len(self._shapes) >= MAX_SHAPES or not len(element):
            return False
        tokens: list[str] = []
        if not _shape_tokens(element, tokens) or len(tokens) > MAX_SHAPE_TOKENS:
            return False
        shape = tuple(tokens)
        if shape in self._shapes:
            return False  # known, yet it did not match: its texts hold what a match cannot
        self._shapes.append(shape)
        self._elements.append(element)
        if len(self._shapes) - self._in_first > max(MAX_PENDING_SHAPES, self._in_first // 2):
            self.matchers = [_Matcher(self._shapes, self._elements, self._store)]
            self._in_first = len(self._shapes)
        else:
            self.matchers.append(_Matcher([shape], [element], self._store))
        return True


class _Matcher:
    """One expression for some shapes (a trie), and what reads an item it matched."""

    def __init__(self, shapes: list[tuple[str, ...]], elements: list[Any], store: Any) -> None:
        trie: dict[Any, Any] = {}
        for index, shape in enumerate(shapes):
            node = trie
            for token in shape:
                node = node.setdefault(token, {})
            node[_END] = index
        parts: list[str] = [_GAP]
        groups: list[int] = [0]  # groups opened so far
        text_groups: dict[int, list[int]] = {}
        markers: dict[int, int] = {}

        def emit(node: dict[Any, Any], path: list[int]) -> None:
            branches = list(node.items())
            if len(branches) > 1:
                parts.append("(?:")
            for number, (token, child) in enumerate(branches):
                if number:
                    parts.append("|")
                if token is _END:
                    groups[0] += 1
                    parts.append("()")
                    markers[child] = groups[0]
                    text_groups[child] = list(path)
                elif token == _TEXT:
                    groups[0] += 1
                    parts.append(_TEXT)
                    emit(child, [*path, groups[0]])
                else:
                    parts.append(token if token == _GAP else re.escape(token))
                    emit(child, path)
            if len(branches) > 1:
                parts.append(")")

        emit(trie, [])
        self._pattern = "".join(parts)
        self.match = re.compile(self._pattern).match
        self._match_references: Callable[[str, int], re.Match[str] | None] | None = None
        # The group that closes each shape's branch (Match.lastindex) -> its value builder, the
        # function that adds its entry to the store, and the indexes of its texts in groups().
        self.builders: dict[int, Builder] = {}
        self.adders: dict[int, Builder] = {}
        self.texts: dict[int, list[int]] = {}
        for index, element in enumerate(elements):
            marker, numbers = markers[index], text_groups[index]
            self.builders[marker] = _builder(element, numbers)
            self.adders[marker] = _adder(element, numbers, store)
            self.texts[marker] = [number - 1 for number in numbers]

    def match_references(self, text: str, pos: int) -> re.Match[str] | None:
        """``match`` for texts with references too (compiled when first needed)."""
        if self._match_references is None:
            # The same groups: only what a text takes differs (tag names hold no parenthesis).
            pattern = self._pattern.replace(_TEXT, _TEXT_WITH_REFERENCES)
            self._match_references = re.compile(pattern).match
        return self._match_references(text, pos)


def _shape_tokens(element: Any, tokens: list[str]) -> bool:
    """Append the tokens of ``element``'s shape; False if an expression cannot stand for it."""
    tag = element.tag
    if not isinstance(tag, str) or _NAME.fullmatch(tag) is None or element.attrib:
        return False
    tokens.append(f"<{tag}>")
    if len(element):
        for child in element:
            tokens.append(_GAP)
            if not _shape_tokens(child, tokens):
                return False
        tokens.append(_GAP)
    else:
        tokens.append(_TEXT)
    tokens.append(f"</{tag}>")
    return True


def _value_source(element: Any, groups: list[int], stamp: Any = None) -> str:
    """The expression, over ``g`` (``Match.groups()``), of ``element_value`` of an item of this
    shape (``stamp``: a leaf whose value is the name ``stamp`` instead of its text).

    In document order: a list display for an element whose children are all ``<item>``, else a
    dict display (so a repeated key keeps its first place and its last value, as in
    element_value), the captured text for a leaf. Keys are element names checked by _NAME, the
    rest are indexes.
    """
    numbers = iter(groups)

    def source(node: Any) -> str:
        if not len(node):
            number = next(numbers)
            return "stamp" if node is stamp else f"g[{number - 1}]"
        if _is_list(node):
            return "[" + "".join(f"{source(child)}, " for child in node) + "]"
        return "{" + ", ".join(f"{child.tag!r}: {source(child)}" for child in node) + "}"

    return source(element)


def _is_list(element: Any) -> bool:
    return bool(element[0].tag == ITEM and all(child.tag == ITEM for child in element))


def _compiled(code: str, names: dict[str, Any]) -> Builder:
    """The function ``generated`` that ``code`` defines, seeing only ``names``."""
    # Only names checked by _NAME (as repr literals), integers and the given names go into the
    # code (see _value_source and _adder).
    scope: dict[str, Any] = {"__builtins__": {}, **names}
    exec(code, scope)
    generated: Builder = scope["generated"]
    return generated


def _builder(element: Any, groups: list[int]) -> Builder:
    """A function of ``Match.groups()`` that gives ``element_value`` of an item of this shape."""
    return _compiled(f"def generated(g):\n    return {_value_source(element, groups)}\n", {})


def _adder(element: Any, groups: list[int], store: CompactEntries) -> Builder:
    """A function of ``Match.groups()`` that adds the entry of an item of this shape to ``store``,
    as ``json_fast.add_parsed`` adds ``element_value`` of it.

    When the shape makes every entry of it plain (see ``json_fast._plain_parsed``: ``class``,
    ``timestamp``, ``event.line`` and ``event.data.module_type`` leaves, each once or absent,
    ``event`` and ``data`` objects), the columns are read from the texts and the value encoded
    at once, the timestamp read by ``int`` as there. It raises ValueError (a timestamp int()
    refuses) or an encoding error when the entry needs add_parsed after all.
    """
    slots = _plain_slots(element)
    names = {"add_parsed": json_fast.add_parsed, "store": store}
    if slots is None:
        value = _value_source(element, groups)
        return _compiled(f"def generated(g):\n    add_parsed(store, {value})\n", names)
    kind, stamp, module = slots
    leaves = _leaf_numbers(element, groups)
    value = _value_source(element, groups, stamp)
    kind_source = "'unknown'" if kind is None else f"(g[{leaves[id(kind)]}] or 'unknown')"
    stamp_source = "None" if stamp is None else f"int(g[{leaves[id(stamp)]}])"
    module_source = "None" if module is None else f"g[{leaves[id(module)]}]"
    code = (
        "def generated(g):\n"
        f"    stamp = {stamp_source}\n"
        f"    add_raw(encode({value}), {kind_source}, stamp, {module_source})\n"
    )
    names = {"add_raw": store.add_raw, "encode": _ENCODE.encode, "int": int}
    return _compiled(code, names)


def _leaf_numbers(element: Any, groups: list[int]) -> dict[int, int]:
    """``id`` of each leaf of ``element`` -> the index of its text in ``Match.groups()``."""
    numbers = iter(groups)
    found: dict[int, int] = {}
    for node in element.iter():
        if not len(node):
            found[id(node)] = next(numbers) - 1
    return found


def _plain_slots(element: Any) -> tuple[Any, Any, Any] | None:
    """The ``class``, ``timestamp`` and ``event.data.module_type`` leaves (None: absent) of an
    item shape whose every entry is plain, else None."""
    if _is_list(element) or any(child.tag == "class_" for child in element):
        return None  # the model reads "class_" too (json_fast._plain_parsed leaves it to it)
    kind, kind_ok = _single(element, "class", leaf=True)
    stamp, stamp_ok = _single(element, "timestamp", leaf=True)
    event, event_ok = _single(element, "event", leaf=False)
    if not (kind_ok and stamp_ok and event_ok):
        return None
    module = None
    if event is not None:
        _, line_ok = _single(event, "line", leaf=True)
        data, data_ok = _single(event, "data", leaf=False)
        if not (line_ok and data_ok):
            return None
        if data is not None:
            module, module_ok = _single(data, "module_type", leaf=True)
            if not module_ok:
                return None
    return kind, stamp, module


def _single(element: Any, tag: str, *, leaf: bool) -> tuple[Any, bool]:
    """The child ``tag`` of ``element`` (None: absent), and whether it is there at most once and
    a leaf (``leaf``) or an element of keyed children (not ``leaf``)."""
    found = [child for child in element if child.tag == tag]
    if not found:
        return None, True
    if len(found) > 1:
        return None, False
    child = found[0]
    if leaf:
        return child, not len(child)
    return child, bool(len(child)) and not _is_list(child)


def read_items(
    text: str, pos: int, shapes: ItemShapes, store: CompactEntries, value_of: ValueOf
) -> int:
    """Read the items of ``text`` from ``pos`` into ``store``.

    ``text`` ends at the end of an item (a ``</item>``). Returns ``len(text)`` when it is all
    read, else the position of the first thing this road does not read (the caller's pull
    parser reads from there, or, when ``shapes.cut``, this road from a longer text).
    ``value_of`` is ``element_value``, for an item read on its own.
    """
    shapes.cut = False
    end = len(text)
    while pos < end:
        if shapes.matchers:
            pos = _read_matched(text, pos, shapes.matchers[0], store)
            if pos >= end:
                break
        # Another expression, or texts with references (the slower expressions).
        found = None
        for matcher in shapes.matchers:
            found = matcher.match(text, pos)
            if found is not None:
                _add(found, found.groups(), matcher, store)
                break
            found = matcher.match_references(text, pos)
            if found is not None:
                try:
                    texts = _expanded(found.groups(), matcher.texts[found.lastindex or 0])
                except _BadReference:
                    return pos  # the parser refuses it: let it say so
                _add(found, texts, matcher, store)
                break
        if found is not None:
            pos = found.end()
            continue
        after = _odd_item(text, pos, shapes, store, value_of)
        if after is None:
            return pos
        pos = after
    return end


def _read_matched(text: str, pos: int, matcher: _Matcher, store: CompactEntries) -> int:
    """Read the items from ``pos`` for as long as ``matcher.match`` matches (the hot loop)."""
    match = matcher.match
    adders = matcher.adders
    add_parsed = json_fast.add_parsed
    found = match(text, pos)
    while found is not None:
        shape = found.lastindex or 0
        texts = found.groups()
        try:
            adders[shape](texts)
        except _NOT_PLAIN:
            add_parsed(store, matcher.builders[shape](texts))
        pos = found.end()
        found = match(text, pos)
    return pos


def _add(found: re.Match[str], texts: tuple[Any, ...], matcher: _Matcher, store: Any) -> None:
    shape = found.lastindex or 0
    try:
        matcher.adders[shape](texts)
    except _NOT_PLAIN:
        json_fast.add_parsed(store, matcher.builders[shape](texts))


class _BadReference(Exception):
    """A character reference to what XML forbids (or to no character at all)."""


def _expanded(groups: tuple[Any, ...], texts: list[int]) -> tuple[Any, ...]:
    """``groups`` with references expanded in those of ``texts`` (the matched shape's)."""
    expanded = list(groups)
    for index in texts:
        text = expanded[index]
        if "&" in text:
            expanded[index] = _REFERENCES.sub(_expand, text)
    return tuple(expanded)


def _expand(reference: re.Match[str]) -> str:
    name = reference.group(1)
    entity = _ENTITIES.get(name)
    if entity is not None:
        return entity
    try:
        code = int(name[2:], 16) if name[1] == "x" else int(name[1:])
    except ValueError as exc:  # more digits than int() reads
        raise _BadReference from exc
    # XML 1.0 Char.
    if not (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ):
        raise _BadReference
    return chr(code)


def _odd_item(
    text: str, pos: int, shapes: ItemShapes, store: CompactEntries, value_of: ValueOf
) -> int | None:
    """The item at ``pos`` that no shape matched: learn its shape, or read it by itself.

    Returns where to go on from, or None when the pull parser must read from ``pos``.
    """
    start = _skip_gap(text, pos)
    if not text.startswith("<item", start):
        return None  # not an item (or the end of <result>): the pull parser says what it is
    close = _item_end(text, start)
    if close is None:
        shapes.cut = True  # it goes on after ``text``
        return None
    shapes.odd_items += 1
    if shapes.odd_items > MAX_ODD_ITEMS:
        return None
    try:
        # One element on its own: no DTD can come before it, and <result> (the only element
        # around it) holds no attributes, so the parser reads it as it would in the document.
        element = ET.fromstring(text[start:close])
    except (ET.ParseError, RecursionError):
        return None
    if element.tag != ITEM or element.get("name") is not None:
        return None
    if shapes.learn(element):
        return pos  # read by the new expression, or (texts it cannot take) by itself
    json_fast.add_parsed(store, value_of(element))
    return close


_ITEM_TAG = re.compile(r"<(/?)item[ \t\n/>]")


def _item_end(text: str, start: int) -> int | None:
    """Where the ``<item>`` at ``start`` ends, by counting the item tags (lists inside it).

    A guess that the parser then checks: a fragment that parses as one element is that element,
    as the parser reads it in the document.
    """
    depth = 0
    for tag in _ITEM_TAG.finditer(text, start):
        closing = tag.group(1)
        end = text.find(">", tag.end() - 1) + 1
        if not end:
            return None
        if closing:
            depth -= 1
        elif text[end - 2] != "/":
            depth += 1
        if depth <= 0:
            return end
    return None


def _skip_gap(text: str, pos: int) -> int:
    end = len(text)
    while pos < end and text[pos] in " \t\r\n":
        pos += 1
    return pos
