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

from fuse_tui.core.formats.atomic import atomic_write
from fuse_tui.core.formats.csv_writer import dump_csv
from fuse_tui.core.formats.document import (
    CallListDocument,
    CallProblem,
    Document,
    LogsDocument,
)
from fuse_tui.core.formats.errors import FormatError, FuseErrorAnswer, ReadError
from fuse_tui.core.formats.json_writer import dump_document_json, dump_json, dump_ndjson
from fuse_tui.core.formats.reader import load, load_call_log, load_file, load_stdin
from fuse_tui.core.formats.xml_writer import dump_document_xml, dump_xml

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
