"""Byte-order marks, CRLF, encodings declared in the XML prolog, UTF-16/32."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from fuse_tui.core.formats import FormatError, LogsDocument, load, load_file
from fuse_tui.core.model import CallLog

XML_TEMPLATE = (
    '<?xml version="1.0" encoding="{encoding}"?>\n<result>\n  <item>\n    <event>\n'
    "      <line>{line}</line>\n    </event>\n    <class>info</class>\n"
    "    <timestamp>1529552692</timestamp>\n  </item>\n</result>\n"
)


def _log(data: bytes) -> CallLog:
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    return document.logs[0]


def test_json_with_utf8_bom_and_crlf(data_dir: Path) -> None:
    document = load_file(data_dir / "bom_crlf.json")
    assert isinstance(document, LogsDocument)
    assert document.logs[0].entries[0].event.line == "Café €"


def test_latin1_xml_prolog_with_crlf(data_dir: Path) -> None:
    document = load_file(data_dir / "latin1_crlf.xml")
    assert isinstance(document, LogsDocument)
    entry = document.logs[0].entries[0]
    assert entry.event.line == "Café ouvert, £ 5 à payer"
    assert entry.event.module_type == "prompt" and entry.timestamp == 1529552692


@pytest.mark.parametrize(
    ("encoding", "line"),
    [
        ("ISO-8859-1", "Café"),
        ("windows-1252", "€ 5 \u2013 ok"),
        ("ISO-8859-15", "€uro"),
        ("koi8-r", "Привет"),
        ("Shift_JIS", "日本語のログ"),
        ("UTF-8", "ünïcödé ✓"),
    ],
)
def test_xml_prolog_encodings(encoding: str, line: str) -> None:
    data = XML_TEMPLATE.format(encoding=encoding, line=line).encode(encoding)
    assert _log(data).entries[0].event.line == line


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_json(codec: str, data_dir: Path) -> None:
    text = (data_dir / "seed_call.json").read_text("utf-8")
    assert len(_log(text.encode(codec)).entries) == 7


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_utf16_xml(codec: str) -> None:
    data = XML_TEMPLATE.format(encoding="UTF-16", line="ü").encode(codec)
    if codec == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    assert _log(data).entries[0].event.line == "ü"


def test_utf8_bom_xml_and_leading_blank_lines() -> None:
    data = codecs.BOM_UTF8 + b"\r\n\r\n" + XML_TEMPLATE.format(encoding="UTF-8", line="x").encode()
    assert _log(data).entries[0].event.line == "x"


def test_crlf_inside_xml_text_is_normalised_like_any_xml_parser() -> None:
    data = b"<result><item><event><line>a\r\nb</line></event></item></result>"
    assert _log(data).entries[0].event.line == "a\nb"


def test_unknown_declared_encoding_is_a_clear_error() -> None:
    data = XML_TEMPLATE.format(encoding="x-klingon", line="x").encode()
    with pytest.raises(FormatError, match="x-klingon"):
        load(data, source="k.xml")


def test_text_that_lies_about_its_encoding() -> None:
    data = XML_TEMPLATE.format(encoding="Shift_JIS", line="x").encode() + b"\xff\xff"
    data = data.replace(b"<line>x", b"<line>\x81")
    with pytest.raises(FormatError, match="Shift_JIS"):
        load(data, source="s.xml")
