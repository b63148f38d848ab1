"""The emulator's XML writer and the core XML reader agree on Fuse's convention."""

from __future__ import annotations

import json
from typing import Any

from defusedxml import ElementTree
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fuse_tui.core.formats import load
from fuse_tui.emulator.encoding import to_json, to_xml

keys = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(lambda k: k != "item")
text = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), max_size=20)
scalars = st.one_of(text, st.integers(-(10**12), 10**12), st.booleans())
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, min_size=1, max_size=4)
        | st.dictionaries(keys, children, min_size=1, max_size=4)
    ),
    max_leaves=25,
)


def as_xml_text(value: Any) -> Any:
    """What a reader sees in XML, where every scalar is text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {k: as_xml_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_xml_text(v) for v in value]
    return str(value)


def read_back(element: Any) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    if all(child.tag == "item" for child in children):
        return [read_back(child) for child in children]
    return {child.tag: read_back(child) for child in children}


@settings(max_examples=120, deadline=None)
@given(st.lists(values, min_size=1, max_size=4) | st.dictionaries(keys, values, min_size=1))
def test_xml_reads_back_to_the_same_structure(value: Any) -> None:
    document = to_xml(value)
    assert document.startswith(b'<?xml version="1.0"?>\n<result>\n')
    assert document.endswith(b"</result>\n")
    assert read_back(ElementTree.fromstring(document)) == as_xml_text(value)


def test_text_xml_cannot_carry_is_json_escaped_in_xml_and_kept_in_json() -> None:
    # XML 1.0 has no way to hold ESC or NUL; they used to be dropped, losing the fixture's text.
    value = [{"body": "\x1b[31mred\x1b[0m\x00", "plain": "ok"}]
    document = to_xml(value)
    assert b"\x1b" not in document and b"\x00" not in document
    body = ElementTree.fromstring(document).find("item/body")
    assert body.get("escaped") == "json" and body.text == "\\u001b[31mred\\u001b[0m\\u0000"
    assert ElementTree.fromstring(document).find("item/plain").get("escaped") is None
    assert load(document, source="x").logs[0].entries[0].to_api()["body"] == value[0]["body"]
    assert b"\\u001b[31m" in to_json(value)


def refuse_constant(token: str) -> Any:
    raise AssertionError(f"non-standard JSON token {token}")


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        st.characters(exclude_categories=()) | st.sampled_from("\ud800\udfff\x00\x1b\r\ufffe"),
        max_size=30,
    )
)
@example(line="\ud800\udfff")
def test_any_text_is_served_as_valid_utf8_and_reads_back_exactly(line: str) -> None:
    value = [{"event": {"line": line, "data": {}}, "timestamp": 1}]
    # JSON's only spelling of a lone high surrogate followed by a lone low one ("\ud800\udfff")
    # is the astral character's, so that pair reads back as the one character it spells.
    meant = line.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    for body in (to_json(value), to_xml(value)):
        body.decode("utf-8")
        assert load(body, source="x").logs[0].entries[0].event.line == meant
    json.loads(to_json(value), parse_constant=refuse_constant)


def test_nan_and_infinity_are_served_as_standard_json_null() -> None:
    body = to_json({"a": float("nan"), "b": [float("inf"), -float("inf")], "c": 1.5})
    assert body == b'{"a": null, "b": [null, null], "c": 1.5}'


def test_odd_keys_become_valid_element_names() -> None:
    document = to_xml({"2nd key": "x", "a/b": "y"})
    parsed = ElementTree.fromstring(document)
    assert [child.tag for child in parsed] == ["_2nd_key", "a_b"]
