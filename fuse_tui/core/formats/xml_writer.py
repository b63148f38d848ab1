"""Write call logs as XML in Fuse's convention, byte for byte in the style of the seed document.

``<?xml version="1.0"?>``, root ``<result>``, two-space indent, one ``<item>`` per list element,
each key an element, booleans as ``true``/``false``, ``None`` and empty containers as an empty
element. XML only carries text, so reading back gives text for every data value.

Two cases Fuse's convention cannot express are written so that our reader gets them back exactly:

- A key that is not a plain ASCII XML element name (``"1st"``, ``"a b"``, ``"x:y"``, ``"xml…"``,
  ``""``, ``"clé"``) or that is ``"item"`` (which would read as a list) becomes
  ``<field name="the key">``.
- Text that XML 1.0 cannot carry at all (C0 controls such as ESC or NUL, lone surrogates,
  U+FFFE/U+FFFF) is written as the body of a JSON string literal with ``escaped="json"`` on the
  element: ``<line escaped="json">red \\u001b[31m</line>``. The same applies to such a key in
  ``name``. The result is valid XML that never contains a raw control character.

Characters that are legal but could act on a terminal or reorder text (CR, DEL, C1 controls,
bidi overrides) are written as character references (``&#13;``, ``&#x202e;``): same text, safe
to print.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from fuse_tui.core.formats.document import CallListDocument, Document
from fuse_tui.core.formats.json_writer import (
    all_logs_api,
    call_list_api,
    entries_api,
    standard_json_value,
)
from fuse_tui.core.model import CallLog
from fuse_tui.core.textsafe import FORMAT_CHARS, SURROGATES

PROLOG = '<?xml version="1.0"?>\n'
INDENT = "  "

# XML 1.0 "Char" excludes these; no escape can carry them.
_ILLEGAL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{SURROGATES}\ufffe\uffff]")
# Legal, but written as character references so output is safe on a terminal and CR survives.
_TEXT_SPECIAL = re.compile(f"[&<>\r{FORMAT_CHARS}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\t\n\r{FORMAT_CHARS}]')
_JSON_BODY_SPECIAL = re.compile(f'["\\\\\x00-\x1f{FORMAT_CHARS}{SURROGATES}\ufffe\uffff]')
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_JSON_NAMED = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}

# ASCII names only: expat follows the older (4th edition) XML name rules, under which many
# non-ASCII letters are invalid, and colons would read as a namespace prefix. Other keys go
# through <field name="…">, which reads back exactly.
_XML_NAME = re.compile("[A-Za-z_][A-Za-z0-9_.-]*")

FIELD_TAG = "field"


def _ref(match: re.Match[str]) -> str:
    char = match.group(0)
    entity = _ENTITIES.get(char)
    if entity:
        return entity
    return "&#13;" if char == "\r" else f"&#x{ord(char):x};"


def _json_body(text: str) -> str:
    def sub(match: re.Match[str]) -> str:
        char = match.group(0)
        return _JSON_NAMED.get(char) or f"\\u{ord(char):04x}"

    return _JSON_BODY_SPECIAL.sub(sub, text)


def _text(value: str, escaped: bool) -> str:
    if escaped:
        value = _json_body(value)
    return _TEXT_SPECIAL.sub(_ref, value)


def _attr(value: str, escaped: bool) -> str:
    if escaped:
        value = _json_body(value)
    return _ATTR_SPECIAL.sub(_ref, value)


def is_element_name(key: str) -> bool:
    """True when ``key`` can be written as an element name and read back as the same key."""
    return key != "item" and _XML_NAME.fullmatch(key) is not None and key[:3].lower() != "xml"


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        # The JSON writer's text for a number, so XML and JSON agree ("Infinity", "NaN", digits).
        shown = standard_json_value(value)
        return shown if isinstance(shown, str) else json.dumps(shown)
    return str(value)


def _open_tag(key: str | None, escaped_text: bool) -> tuple[str, str, bool]:
    """The start tag and end tag for ``key`` (None: a list element), and whether the element's
    text must be written JSON-escaped: ``escaped="json"`` covers the name and the text alike, so
    a key that needs it forces it on its text too."""
    if key is None:
        tag, attrs = "item", ""
    elif is_element_name(key):
        tag, attrs = key, ""
    else:
        bad_name = _ILLEGAL.search(key) is not None
        tag = FIELD_TAG
        attrs = f' name="{_attr(key, bad_name or escaped_text)}"'
        escaped_text = escaped_text or bad_name
    if escaped_text:
        attrs += ' escaped="json"'
    return f"<{tag}{attrs}>", f"</{tag}>", escaped_text


def _write(key: str | None, value: Any, depth: int, out: list[str]) -> None:
    pad = INDENT * depth
    if isinstance(value, dict) and value:
        start, end, _ = _open_tag(key, False)
        out.append(f"{pad}{start}\n")
        for child_key, child in value.items():
            _write(str(child_key), child, depth + 1, out)
        out.append(f"{pad}{end}\n")
    elif isinstance(value, list) and value:
        start, end, _ = _open_tag(key, False)
        out.append(f"{pad}{start}\n")
        for child in value:
            _write(None, child, depth + 1, out)
        out.append(f"{pad}{end}\n")
    else:
        text = "" if isinstance(value, dict | list) else _scalar(value)
        escaped = _ILLEGAL.search(text) is not None
        start, end, escaped = _open_tag(key, escaped)
        out.append(f"{pad}{start}{_text(text, escaped)}{end}\n")


def xml_text(value: Any) -> str:
    """``value`` (an API-shaped list or object) as a whole Fuse XML document."""
    out = [PROLOG, "<result>\n"]
    if isinstance(value, dict):
        for key, child in value.items():
            _write(str(key), child, 1, out)
    elif isinstance(value, list):
        for child in value:
            _write(None, child, 1, out)
    else:
        out.append(_text(_scalar(value), False))
    out.append("</result>\n")
    return "".join(out)


def dump_xml(log: CallLog) -> bytes:
    """One call log as the ``/api/call`` XML answer."""
    return xml_text(entries_api(log)).encode("utf-8")


def dump_logs_xml(logs: Iterable[CallLog]) -> bytes:
    """Several logs in the ``/api/all_logs`` XML shape."""
    return xml_text(all_logs_api(logs)).encode("utf-8")


def dump_document_xml(document: Document) -> bytes:
    if isinstance(document, CallListDocument):
        return xml_text(call_list_api(document.calls)).encode("utf-8")
    if document.kind == "all_logs" or len(document.logs) != 1:
        return dump_logs_xml(document.logs)
    return dump_xml(document.logs[0])
