"""XML items read by their shape (xml_shapes) give what the pull parser gives: the same entries,
in the same order, or the same error — whatever the items, their mix, and where chunks end."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import LogsDocument, ReadError, dump_xml, load, xml_reader, xml_shapes
from fuse_tui.core.model import CallLog

from .log_strategies import json_entries, xml_entries
from .test_read_xml_stream import facts

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plain(count: int) -> list[dict[str, Any]]:
    return [
        {
            "event": {"line": f'line {i} "q" \\ é', "data": {"module_type": "m", "n": str(i)}},
            "class": ["info", "prompt", "error"][i % 3],
            "timestamp": 1_529_552_692 + i,
        }
        for i in range(count)
    ]


def _outcome(data: bytes, *, by_shape: bool, feed: int) -> Any:
    """The facts of the entries ``load`` reads, or the error it raises (type and message)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xml_reader, "_FEED_BYTES", feed)
        if not by_shape:
            patch.setattr(xml_reader, "_plain_root_end", lambda data: None)
        try:
            document = load(data, source="t")
        except ReadError as exc:
            return type(exc), str(exc)
    assert isinstance(document, LogsDocument)
    return document.kind, [_log_facts(log.entries) for log in document.logs]


def _log_facts(entries: Any) -> Any:
    """The models, and for compact entries the columns and what is kept per entry (the JSON
    text a writer may copy, or a model)."""
    if not isinstance(entries, CompactEntries):
        return facts(entries)
    kept = [raw if isinstance(raw, bytes) else type(raw).__name__ for raw in entries.raw_items()]
    columns = (entries.kinds(), entries.timestamps(), entries.module_types())
    return facts(entries), columns, kept


def _same(data: bytes, feed: int) -> None:
    assert _outcome(data, by_shape=True, feed=feed) == _outcome(data, by_shape=False, feed=feed)


# Bits of XML that a shape's expression must not take as text or blanks, and odd items.
SNIPPETS = [
    "&amp;",
    "&#13;",
    "&#x1b;",
    "&bogus;",
    "\r",
    "\r\n",
    "\t",
    "\x1b",
    "\x00",
    "]]>",
    "\ufffe",
    "<!-- c -->",
    "<![CDATA[<x>]]>",
    "<?pi x?>",
    '<item name="k">v</item>',
    "<item>",
    "</item>",
    "<item/>",
    "<item><item>a</item><item>b</item></item>",
    "<x/>",
    "<x a='1'>y</x>",
    "<timestamp> 17 </timestamp>",
    "<timestamp>1_000</timestamp>",
    "<timestamp>soon</timestamp>",
    "<timestamp>99999999999999999999999</timestamp>",
    "<class><a>b</a></class>",
    "<event></event>",
    "<event>  </event>",
    "<data></data>",
    "<error>x</error>",
    "</result>",
    "junk",
    "é",
    " ",
]


@SETTINGS
@given(xml_entries, st.integers(0, 12), st.sampled_from([64, 200, 1 << 16]))
def test_any_log_reads_as_the_pull_parser_reads_it(raw: list[Any], plain: int, feed: int) -> None:
    try:
        data = dump_xml(CallLog(entries=[*_plain(plain), *raw, *_plain(plain)]))
    except ValueError:
        return  # not a log the model takes
    _same(data, feed)


@SETTINGS
@given(json_entries, st.sampled_from([64, 1 << 16]))
def test_any_json_log_as_xml_reads_as_the_pull_parser_reads_it(raw: list[Any], feed: int) -> None:
    try:
        data = dump_xml(CallLog(entries=[*_plain(3), *raw]))
    except ValueError:
        return
    _same(data, feed)


@SETTINGS
@given(
    st.integers(0, 20),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(SNIPPETS)), min_size=1, max_size=3),
    st.sampled_from([64, 200, 1 << 16]),
)
def test_damaged_xml_reads_or_fails_as_the_pull_parser(
    plain: int, damage: list[tuple[float, str]], feed: int
) -> None:
    text = dump_xml(CallLog(entries=_plain(plain + 1))).decode()
    for where, snippet in damage:
        at = int(where * len(text))
        text = text[:at] + snippet + text[at:]
    _same(text.encode("utf-8", "surrogatepass"), feed)


@pytest.mark.parametrize("cut", [10, 100, 1000, -12, -3])
def test_a_truncated_file_fails_as_the_pull_parser(cut: int) -> None:
    data = dump_xml(CallLog(entries=_plain(30)))
    _same(data[:cut], 1 << 16)


def test_items_are_read_by_shape() -> None:
    """The fast road is taken: few shapes learned, no item read on its own."""
    data = xml_reader._vetted(dump_xml(CallLog(entries=_plain(500))), "t")
    store = CompactEntries()
    start = xml_reader._plain_root_end(data)
    assert start is not None
    shapes = xml_shapes.ItemShapes(store)
    text = data[start : data.rindex(b"</item>") + 7].decode()
    assert xml_shapes.read_items(text, 0, shapes, store, xml_reader.element_value) == len(text)
    assert len(store) == 500 and shapes.odd_items <= 3
    assert facts(store) == facts(CallLog(entries=_plain(500)).entries)


def test_an_item_of_many_fields_reads_as_the_pull_parser_reads_it() -> None:
    wide = {"event": {"line": "x", "data": {f"k{i}": str(i) for i in range(400)}}}
    _same(dump_xml(CallLog(entries=[*_plain(5), wide, *_plain(5)])), 1 << 16)


@pytest.mark.parametrize(
    "reference",
    [
        "&amp;",
        "&lt;&gt;&quot;&apos;",
        "&#13;",
        "&#x202e;",
        "&#65;&#x41;",
        "&#x10FFFF;",
        "&#x1b;",
        "&#0;",
        "&#xFFFE;",
        "&#xD800;",
        "&#x110000;",
        "&#" + "9" * 5000 + ";",
        "&#X41;",
        "&bogus;",
        "&amp",
    ],
)
def test_references_in_a_text_read_or_fail_as_the_pull_parser(reference: str) -> None:
    text = dump_xml(CallLog(entries=_plain(8))).decode()
    at = text.index("line 3") + 4
    _same((text[:at] + reference + text[at:]).encode(), 1 << 16)
    at = text.index("<timestamp>1") + 11  # a reference in a timestamp, read by int()
    _same((text[:at] + reference.replace("&#x1b;", "&#49;") + text[at:]).encode(), 1 << 16)


def test_crlf_and_compact_files_read_as_the_pull_parser_reads_them() -> None:
    data = dump_xml(CallLog(entries=_plain(20)))
    _same(data.replace(b"\n", b"\r\n"), 1 << 16)
    _same(data.replace(b"\n", b"").replace(b"  ", b""), 1 << 16)


@pytest.mark.parametrize("odd_items", [5, 1000])
def test_many_shapes_read_as_the_pull_parser_reads_them(
    odd_items: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More shapes than are learned, by several expressions, then items read one by one, then
    (past MAX_ODD_ITEMS) the pull parser."""
    monkeypatch.setattr(xml_shapes, "MAX_ODD_ITEMS", odd_items)
    entries = [
        {
            "event": {"line": f"{i} &", "data": {f"f{i % 90}_{j}": str(j) for j in range(i % 4)}},
            "class": "info",
            "timestamp": i,
        }
        for i in range(300)
    ]
    _same(dump_xml(CallLog(entries=entries)), 1 << 16)


@pytest.mark.parametrize("by_shape", [True, False])
def test_a_class_underscore_item_has_the_class_its_model_has(by_shape: bool) -> None:
    # The model reads "class_" (its field name) as the class: the kind column must agree.
    items = "".join(
        f"<item><class_>error</class_><timestamp>{1_529_552_692 + i}</timestamp>"
        f"<event><line>l{i}</line></event></item>"
        for i in range(3)
    )
    data = f'<?xml version="1.0"?><result>{items}</result>'.encode()
    with pytest.MonkeyPatch.context() as patch:
        if not by_shape:
            patch.setattr(xml_reader, "_plain_root_end", lambda data: None)
        document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    entries = document.logs[0].entries
    assert [entry.kind for entry in entries] == ["error"] * 3
    if isinstance(entries, CompactEntries):
        assert entries.kinds() == ["error"] * 3
