"""Serialise answers the way Fuse does: JSON, or XML in Fuse's ``<result>``/``<item>`` convention.

The XML writer follows the seed document byte for byte: ``<?xml version="1.0"?>``, a ``<result>``
root, two-space indentation, one element per object key, ``<item>`` per list element, booleans as
``true``/``false``. JSON uses Python's default separators, which is what the seed's error example
shows (``{"error": "No call log was found."}``).

Fixtures can hold what neither format carries raw; Fuse's behaviour there is undocumented, so the
emulator serves the value as faithfully as standard output allows [guess]:

- A lone surrogate (``"\\ud800"`` in a JSON dump) is written as that same ``\\uXXXX`` escape in
  JSON (raw, it is not UTF-8).
- NaN and ±Infinity (which Python's reader accepts) have no standard JSON token: ``null``, as
  JavaScript's ``JSON.stringify`` writes them.
- Text XML 1.0 cannot carry (C0 controls such as NUL or ESC, lone surrogates, U+FFFE/U+FFFF) is
  written like fuse-tui's own XML writer does: as a JSON string body on an element marked
  ``escaped="json"`` (``<line escaped="json">bad \\ud800</line>``), which the reader turns back
  into exactly the fixture's text.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any
from xml.sax.saxutils import escape

from fuse_tui.core.textsafe import SURROGATES

# Characters XML 1.0 cannot carry at all, even as character references.
_NOT_XML = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{SURROGATES}\ufffe\uffff]")
_SURROGATE = re.compile(f"[{SURROGATES}]")
_BAD_NAME_CHAR = re.compile(r"[^A-Za-z0-9_.\-]")
ESCAPED_JSON = ' escaped="json"'


def _u_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def _finite(value: Any) -> Any:
    """``value`` with NaN and ±Infinity as None (JSON null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def to_json(value: Any) -> bytes:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or Infinity somewhere (rare: only a fixture can hold one)
        text = json.dumps(_finite(value), ensure_ascii=False, allow_nan=False)
    # A surrogate can only stand inside a string literal, where its escape is the same value.
    return _SURROGATE.sub(_u_escape, text).encode("utf-8")


def error_json(message: str) -> bytes:
    return to_json({"error": message})


def _name(key: Any) -> str:
    name = _BAD_NAME_CHAR.sub("_", str(key)) or "_"
    return name if not (name[0].isdigit() or name[0] in ".-") else f"_{name}"


def _scalar(value: Any) -> tuple[str, str]:
    """The element's text and its attributes (``escaped="json"`` when XML cannot carry it)."""
    if isinstance(value, bool):
        return ("true" if value else "false"), ""
    if value is None:
        return "", ""
    text = str(value)
    if _NOT_XML.search(text):
        # ensure_ascii: every character XML refuses becomes a \\uXXXX escape (so do others,
        # harmlessly: the reader decodes the whole body as a JSON string).
        return escape(json.dumps(text)[1:-1]), ESCAPED_JSON
    # A raw CR would reach the reader as LF (XML normalises line ends): a reference keeps it.
    return escape(text, {"\r": "&#13;"}), ""


def _is_container(value: Any) -> bool:
    return isinstance(value, dict | list) and bool(value)


def _element(name: str, value: Any, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    if _is_container(value):
        out.append(f"{pad}<{name}>\n")
        _children(value, depth + 1, out)
        out.append(f"{pad}</{name}>\n")
    elif isinstance(value, dict | list):
        out.append(f"{pad}<{name}></{name}>\n")
    else:
        text, attributes = _scalar(value)
        out.append(f"{pad}<{name}{attributes}>{text}</{name}>\n")


def _children(value: Any, depth: int, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _element(_name(key), item, depth, out)
    else:
        for item in value:
            _element("item", item, depth, out)


def to_xml(value: dict[str, Any] | list[Any]) -> bytes:
    out = ['<?xml version="1.0"?>\n<result>\n']
    _children(value, 1, out)
    out.append("</result>\n")
    return "".join(out).encode("utf-8")


def error_xml(message: str) -> bytes:
    return to_xml({"error": message})


def encode(value: dict[str, Any] | list[Any], fmt: str) -> bytes:
    return to_xml(value) if fmt == "xml" else to_json(value)


CONTENT_TYPES = {"json": "application/json", "xml": "application/xml"}
