"""The archive's search text of an event's data: every scalar, in order, as text."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.archive.rows import _data_values

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)


def _reference(value: Any) -> Iterator[str]:
    """The plain recursive definition the fast version must equal."""
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _reference(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _reference(item)
    elif isinstance(value, bool):
        yield "true" if value else "false"
    elif value is not None:
        text = str(value)
        if text:
            yield text


@given(_json)
def test_the_fast_walk_equals_the_plain_definition(value: Any) -> None:
    assert _data_values(value) == list(_reference(value))


def test_tuples_and_nested_empties() -> None:
    assert _data_values({"a": (1, {"b": ""}, [None, False])}) == ["1", "false"]
