"""XML items before the first '=' of the body are walked without looking for attributes.

Whatever part of a document is walked that way, the entries are the whole-tree read's: an
attribute (our writer's name= / escaped=) anywhere after it is still honoured.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.formats import LogsDocument, dump_xml, load, xml_reader
from fuse_tui.core.model import CallLog

from .log_strategies import xml_entries
from .test_read_xml_stream import _whole_tree, facts

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plain(count: int) -> list[dict[str, Any]]:
    return [
        {"event": {"line": f"line {i}", "data": {"module_type": "m"}}, "class": "info"}
        for i in range(count)
    ]


def _read(data: bytes) -> list[Any]:
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    return list(document.logs[0].entries)


@pytest.mark.parametrize("feed", [64, 1 << 16])
@pytest.mark.parametrize(
    "late",
    [
        {"event": {"line": "red \x1b[31m"}},  # escaped="json" text
        {"event": {"line": "x", "data": {"two words": "v", "1st": "w"}}},  # name= keys
        {"event": {"line": "a=b"}},  # an '=' in text only
    ],
)
def test_an_attribute_after_bare_items_is_still_read(
    late: dict[str, Any], feed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xml_reader, "_FEED_BYTES", feed)
    data = dump_xml(CallLog(entries=[*_plain(40), late, *_plain(5)]))
    entries = _read(data)
    assert facts(entries) == facts(_whole_tree(data))
    assert entries[40].to_api()["event"] == late["event"]


@SETTINGS
@given(xml_entries, st.integers(0, 30), st.sampled_from([64, 200, 1 << 16]))
def test_any_mix_reads_as_the_whole_tree(raw: list[Any], plain: int, feed: int) -> None:
    try:
        data = dump_xml(CallLog(entries=[*_plain(plain), *raw]))
    except ValueError:
        return  # not a log the model takes
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xml_reader, "_FEED_BYTES", feed)
        entries = _read(data)
    assert facts(entries) == facts(_whole_tree(data))
