"""All writers in one place (kept for the names other modules import from here)."""

from __future__ import annotations

from fuse_tui.core.formats.atomic import atomic_write
from fuse_tui.core.formats.csv_writer import dump_csv
from fuse_tui.core.formats.json_writer import dump_document_json, dump_json, dump_ndjson
from fuse_tui.core.formats.xml_writer import dump_document_xml, dump_logs_xml, dump_xml

__all__ = [
    "atomic_write",
    "dump_csv",
    "dump_document_json",
    "dump_document_xml",
    "dump_json",
    "dump_logs_xml",
    "dump_ndjson",
    "dump_xml",
]
