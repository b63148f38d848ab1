"""Writers: the seed's XML style byte for byte, safe escaping, odd keys, NDJSON, CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fuse_tui.core.formats import (
    CallListDocument,
    LogsDocument,
    dump_csv,
    dump_document_json,
    dump_document_xml,
    dump_json,
    dump_ndjson,
    dump_xml,
    load,
    load_file,
)
from fuse_tui.core.model import CallLog, Event, LogEntry


def _log(path: Path) -> CallLog:
    document = load_file(path)
    assert isinstance(document, LogsDocument)
    return document.logs[0]


def _read(data: bytes) -> CallLog:
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    return document.logs[0]


def _one(line: str = "x", data: dict[str, object] | None = None, **extra: object) -> CallLog:
    entry = LogEntry(event=Event(line=line, data=data), class_="info", timestamp=1, **extra)
    return CallLog(entries=[entry])


def test_xml_writer_reproduces_the_seed_byte_for_byte(data_dir: Path) -> None:
    seed = (data_dir / "seed_call.xml").read_bytes()
    assert dump_xml(_log(data_dir / "seed_call.xml")) == seed
    # From the JSON example too, except for the document's tests@/test@ typo.
    from_json = dump_xml(_log(data_dir / "seed_call.json"))
    assert from_json == seed.replace(b"test@plumgroup", b"tests@plumgroup")


def test_json_writer_gives_the_api_shape(data_dir: Path) -> None:
    seed = json.loads((data_dir / "seed_call.json").read_bytes())
    log = _log(data_dir / "seed_call.json")
    pretty, compact = dump_json(log), dump_json(log, pretty=False)
    assert json.loads(pretty) == json.loads(compact) == seed
    assert pretty.startswith(b'[\n  {\n    "event": {') and pretty.endswith(b"]\n")
    assert b"\n" not in compact and b": " not in compact


def test_json_writer_escapes_terminal_unsafe_characters() -> None:
    line = "esc \x1b[31m bidi \u202e csi \x9b del \x7f sep \u2028 lone \ud800"
    written = dump_json(_one(line))
    text = written.decode("utf-8")  # always valid UTF-8, even with a lone surrogate
    for char in "\x1b\u202e\x9b\x7f\u2028":
        assert char not in text
    assert "\\u202e" in text and "\\u009b" in text
    assert _read(written).entries[0].event.line == line


def test_xml_writer_escapes_markup_and_keeps_cr() -> None:
    written = dump_xml(_one('<b>&</b> ]]> "q" a\r\nb'))
    assert b'<line>&lt;b&gt;&amp;&lt;/b&gt; ]]&gt; "q" a&#13;\nb</line>' in written
    assert _read(written).entries[0].event.line == '<b>&</b> ]]> "q" a\r\nb'


def test_xml_writer_never_emits_raw_c0_controls() -> None:
    line = "\x1b[31mred\x1b[0m \x00 \x07 tab\tnl\n"
    written = dump_xml(_one(line))
    assert b'<line escaped="json">\\u001b[31mred\\u001b[0m \\u0000 \\u0007 tab\\tnl\\n</line>' in (
        written
    )
    assert not any(b < 0x20 and b not in b"\n" for b in written)
    assert _read(written).entries[0].event.line == line


def test_xml_writer_shows_bidi_and_c1_as_character_references() -> None:
    written = dump_xml(_one("a\u202eb\x9bc"))
    assert b"<line>a&#x202e;b&#x9b;c</line>" in written


def test_keys_that_are_not_xml_names_round_trip() -> None:
    data = {
        "module_type": "m",
        "1st": "a",
        "a b": "b",
        "x:y": "c",
        "item": "d",
        "": "e",
        "clé": "f",
        "esc\x1b": "g",
        "xmlns": "h",
    }
    written = dump_xml(_one(data=data))
    assert b'<field name="1st">a</field>' in written
    assert b'<field name="item">d</field>' in written
    assert b'<field name="esc\\u001b" escaped="json">g</field>' in written
    assert _read(written).entries[0].event.data == data


def test_a_key_that_needs_escaping_escapes_its_value_too() -> None:
    # escaped="json" covers the element's text as well as its name: a backslash in the value
    # must be written as \\ or the reader turns "\n" into a newline (found by hypothesis).
    data = {"module_type": "m", "esc\x1f": "back\\n slash", "esc\x1e": 'quote" and \\u0041'}
    written = dump_xml(_one(data=data))
    assert b'<field name="esc\\u001f" escaped="json">back\\\\n slash</field>' in written
    assert _read(written).entries[0].event.data == data


def test_nested_lists_dicts_and_empty_values() -> None:
    data = {
        "module_type": "rest",
        "list": ["a", ["b", "c"], {"k": "v"}],
        "one": ["x"],
        "empty_text": "",
        "empty_list": [],
        "empty_dict": {},
        "none": None,
        "flag": True,
        "number": 2.5,
    }
    written = dump_xml(_one(data=data))
    assert b"        <one>\n          <item>x</item>\n        </one>\n" in written
    assert b"<empty_list></empty_list>" in written and b"<none></none>" in written
    read = _read(written).entries[0].event.data
    # XML carries text only: scalars come back as their text; empty containers as "".
    assert read == {
        "module_type": "rest",
        "list": ["a", ["b", "c"], {"k": "v"}],
        "one": ["x"],
        "empty_text": "",
        "empty_list": "",
        "empty_dict": "",
        "none": "",
        "flag": "true",
        "number": "2.5",
    }


def test_extra_keys_are_written_in_xml_too() -> None:
    log = _read(b'[{"event": {"line": "x", "mood": "ok"}, "class": "info", "severity": "3"}]')
    again = _read(dump_xml(log))
    assert again.entries[0].model_extra == {"severity": "3"}
    assert again.entries[0].event.model_extra == {"mood": "ok"}


def test_ndjson_streams_all_calls_with_session_ids(data_dir: Path) -> None:
    document = load_file(data_dir / "all_logs.json")
    assert isinstance(document, LogsDocument)
    lines = dump_ndjson(document.logs).decode().splitlines()
    assert len(lines) == 5
    records = [json.loads(line) for line in lines]
    assert [r["session_id"] for r in records] == ["300060;001;1529552581"] * 2 + [
        "300060;004;1529559990"
    ] * 3
    assert records[3]["class"] == "error" and records[3]["event"]["line"].startswith("REST")


def test_ndjson_without_session_id_and_empty() -> None:
    assert "session_id" not in json.loads(dump_ndjson([_one()]))
    assert dump_ndjson([]) == b""


def test_csv_export(data_dir: Path) -> None:
    document = load_file(data_dir / "all_logs.json")
    assert isinstance(document, LogsDocument)
    rows = list(csv.reader(io.StringIO(dump_csv(document.logs).decode("utf-8"))))
    assert rows[0] == [
        "session_id",
        "timestamp",
        "iso_time",
        "class",
        "module_type",
        "result_variable",
        "line",
        "data",
    ]
    assert len(rows) == 6
    assert rows[1][:7] == [
        "300060;001;1529552581",
        "1529552692",
        "2018-06-21T03:44:52Z",
        "info",
        "start",
        "start",
        'Executing application "email test" version "0.2"',
    ]
    assert json.loads(rows[4][7])["url"] == "https://example.com/api"


def test_csv_keeps_commas_newlines_and_missing_values() -> None:
    log = _read(b'[{"event": {"line": "a, \\"b\\"\\nc"}}]')
    rows = list(csv.reader(io.StringIO(dump_csv([log]).decode(), newline="")))
    assert rows[1] == ["", "", "", "", "", "", 'a, "b"\nc', ""]


def test_documents_are_written_back_in_their_own_shape(data_dir: Path) -> None:
    for name in ("all_logs.json", "all_logs.xml", "calls.json", "calls.xml", "seed_call.xml"):
        document = load_file(data_dir / name)
        for dump in (dump_document_json, dump_document_xml):
            again = load(dump(document), source=name)
            assert type(again) is type(document)
            if isinstance(document, CallListDocument):
                assert isinstance(again, CallListDocument)
                assert again.calls == document.calls
            else:
                assert isinstance(again, LogsDocument)
                assert again.kind == document.kind
                assert [log.session_id for log in again.logs] == [
                    log.session_id for log in document.logs
                ]
                assert [log.entries for log in again.logs] == [log.entries for log in document.logs]
                assert [log.meta for log in again.logs] == [log.meta for log in document.logs]


def test_call_list_json_is_written_back_as_plum_wrote_it(data_dir: Path) -> None:
    original = (data_dir / "calls.json").read_bytes()
    written = dump_document_json(load(original, source="calls.json"), pretty=False)
    assert written == original.strip()
