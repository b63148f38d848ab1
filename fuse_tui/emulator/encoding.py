"""Serialise answers the way Fuse does: JSON, or XML in Fuse's ``<result>``/``<item>`` convention.

The XML writer follows the seed document byte for byte: ``<?xml version="1.0"?>``, a ``<result>``
root, two-space indentation, one element per object key, ``<item>`` per list element, booleans as
``true``/``false``. JSON uses Python's default separators, which is what the seed's error example
shows (``{"error": "No call log was found."}``).
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape

# Characters XML 1.0 cannot carry at all, even as character references. Fuse's behaviour here is
# undocumented; the emulator drops them so its XML stays well-formed [guess].
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BAD_NAME_CHAR = re.compile(r"[^A-Za-z0-9_.\-]")


def to_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def error_json(message: str) -> bytes:
    return to_json({"error": message})


def _name(key: Any) -> str:
    name = _BAD_NAME_CHAR.sub("_", str(key)) or "_"
    return name if not (name[0].isdigit() or name[0] in ".-") else f"_{name}"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return escape(_NOT_XML.sub("", str(value)))


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
        out.append(f"{pad}<{name}>{_scalar(value)}</{name}>\n")


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
