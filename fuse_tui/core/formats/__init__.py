"""Readers and writers for Fuse answers (JSON and XML), chosen by sniffing the content.

Public API (stable; other modules depend on these names):

- ``load(data: bytes, *, source: str) -> Document``  — any Fuse answer.
- ``load_call_log(data: bytes, *, source: str) -> CallLog`` — exactly one call log.
- ``load_file(path) -> Document`` / ``load_stdin() -> Document``.
- ``dump_json(log, *, pretty=True) -> bytes``, ``dump_xml(log) -> bytes``,
  ``dump_ndjson(logs) -> bytes``, ``dump_csv(logs) -> bytes``, ``atomic_write(path, data)``.
- ``dump_document_json(document)`` / ``dump_document_xml(document)``: a whole document in the
  shape it came in (one log, an all_logs answer, or a call list).
- Errors: ``ReadError`` ⊃ ``FormatError``, ``FuseErrorAnswer``.
- ``load(…, partial=True)`` (also ``load_file``/``load_stdin``): an all_logs answer with calls
  that cannot be read gives the others, and ``CallProblem``s in ``LogsDocument.problems``;
  without it such an answer fails as a whole, as before.
- ``FUSE_TUI_MAX_INPUT_MB``: the largest file or stdin the readers take (default 1024).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fuse_tui.core.formats.document import (
    CallListDocument,
    CallProblem,
    Document,
    LogsDocument,
)
from fuse_tui.core.formats.errors import FormatError, FuseErrorAnswer, ReadError
from fuse_tui.core.formats.reader import load, load_call_log, load_file, load_stdin

if TYPE_CHECKING:
    from fuse_tui.core.formats.atomic import atomic_write
    from fuse_tui.core.formats.csv_writer import dump_csv
    from fuse_tui.core.formats.json_writer import dump_document_json, dump_json, dump_ndjson
    from fuse_tui.core.formats.xml_writer import dump_document_xml, dump_xml

# The writers load on first use: a command that only reads (or writes one format) does not pay
# for the others at start (csv, tempfile and shutil for atomic_write, the XML writer).
_LAZY = {
    "atomic_write": "fuse_tui.core.formats.atomic",
    "dump_csv": "fuse_tui.core.formats.csv_writer",
    "dump_document_json": "fuse_tui.core.formats.json_writer",
    "dump_json": "fuse_tui.core.formats.json_writer",
    "dump_ndjson": "fuse_tui.core.formats.json_writer",
    "dump_document_xml": "fuse_tui.core.formats.xml_writer",
    "dump_xml": "fuse_tui.core.formats.xml_writer",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value


__all__ = [
    "CallListDocument",
    "CallProblem",
    "Document",
    "FormatError",
    "FuseErrorAnswer",
    "LogsDocument",
    "ReadError",
    "atomic_write",
    "dump_csv",
    "dump_document_json",
    "dump_document_xml",
    "dump_json",
    "dump_ndjson",
    "dump_xml",
    "load",
    "load_call_log",
    "load_file",
    "load_stdin",
]
