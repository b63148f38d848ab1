"""The seed document's own examples read to the same 7 entries."""

from __future__ import annotations

from pathlib import Path

from fuse_tui.core.formats import LogsDocument, load_file


def test_seed_json_and_xml_read_to_the_same_entries(data_dir: Path) -> None:
    from_json = load_file(data_dir / "seed_call.json")
    from_xml = load_file(data_dir / "seed_call.xml")
    assert isinstance(from_json, LogsDocument) and isinstance(from_xml, LogsDocument)
    json_entries = from_json.logs[0].entries
    xml_entries = from_xml.logs[0].entries
    assert len(json_entries) == len(xml_entries) == 7
    assert [e.class_ for e in json_entries] == ["info", "prompt", "info", "debug", "prompt", "info", "event"]
    assert [e.timestamp for e in xml_entries] == [e.timestamp for e in json_entries]
    assert [e.event.line for e in xml_entries] == [e.event.line for e in json_entries]
    # The document's one typo: tests@ in JSON, test@ in XML.
    assert json_entries[3].event.data is not None and xml_entries[3].event.data is not None
    assert json_entries[3].event.data["to"] == "tests@plumgroup.com"
    assert xml_entries[3].event.data["to"] == "test@plumgroup.com"
