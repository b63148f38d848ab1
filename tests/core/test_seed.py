"""The seed document's own examples read to the same 7 entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.core.formats import FuseErrorAnswer, LogsDocument, load_file


def test_seed_json_and_xml_read_to_the_same_entries(data_dir: Path) -> None:
    from_json = load_file(data_dir / "seed_call.json")
    from_xml = load_file(data_dir / "seed_call.xml")
    assert isinstance(from_json, LogsDocument) and isinstance(from_xml, LogsDocument)
    assert (from_json.format, from_xml.format) == ("json", "xml")
    json_entries = from_json.logs[0].entries
    xml_entries = from_xml.logs[0].entries
    assert len(json_entries) == len(xml_entries) == 7
    assert [e.class_ for e in json_entries] == [
        "info", "prompt", "info", "debug", "prompt", "info", "event"
    ]  # fmt: skip
    assert [e.timestamp for e in xml_entries] == [e.timestamp for e in json_entries]
    assert all(isinstance(e.timestamp, int) for e in xml_entries)
    assert [e.event.line for e in xml_entries] == [e.event.line for e in json_entries]
    # The document's one typo: tests@ in JSON, test@ in XML.
    assert json_entries[3].event.data is not None and xml_entries[3].event.data is not None
    assert json_entries[3].event.data["to"] == "tests@plumgroup.com"
    assert xml_entries[3].event.data["to"] == "test@plumgroup.com"


def test_seed_json_and_xml_differ_only_in_the_email_typo(data_dir: Path) -> None:
    json_log = load_file(data_dir / "seed_call.json")
    xml_log = load_file(data_dir / "seed_call.xml")
    assert isinstance(json_log, LogsDocument) and isinstance(xml_log, LogsDocument)
    json_api = [e.to_api() for e in json_log.logs[0].entries]
    xml_api = [e.to_api() for e in xml_log.logs[0].entries]
    # XML carries only text: JSON's boolean has_audio is "false" there.
    for entry in json_api:
        data = entry["event"]["data"]
        if "has_audio" in data:
            data["has_audio"] = "true" if data["has_audio"] else "false"
    json_api[3]["event"]["data"]["to"] = "test@plumgroup.com"
    assert json_api == xml_api


@pytest.mark.parametrize("name", ["seed_404.json", "seed_404.xml"])
def test_seed_404_is_a_fuse_error_answer(data_dir: Path, name: str) -> None:
    with pytest.raises(FuseErrorAnswer) as caught:
        load_file(data_dir / name)
    assert caught.value.fuse_message == "No call log was found."
    assert not caught.value.is_expired
    assert name in str(caught.value)
