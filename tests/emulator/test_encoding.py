"""The emulator's XML writer and the core XML reader agree on Fuse's convention."""

from __future__ import annotations

from typing import Any

from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_control_characters_are_dropped_from_xml_but_kept_in_json() -> None:
    value = [{"body": "\x1b[31mred\x1b[0m\x00"}]
    assert b"\x1b" not in to_xml(value)
    assert ElementTree.fromstring(to_xml(value)).find("item/body").text == "[31mred[0m"
    assert b"\\u001b[31m" in to_json(value)


def test_odd_keys_become_valid_element_names() -> None:
    document = to_xml({"2nd key": "x", "a/b": "y"})
    parsed = ElementTree.fromstring(document)
    assert [child.tag for child in parsed] == ["_2nd_key", "a_b"]
