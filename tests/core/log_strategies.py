"""Hypothesis strategies for generated call logs (shared by the round-trip tests)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Keys and texts chosen to break naive writers: XML-invalid names, the list tag, namespaces,
# control characters, CR, bidi overrides, a lone surrogate, markup look-alikes.
ODD_KEYS = ["item", "1st", "a b", "x:y", "xmlns", "XMLfoo", "", "field", "ключ", "\x1b[31m", "é"]
ODD_TEXTS = [
    "",
    "  spaced  ",
    "a\r\nb",
    "\r",
    "<b>&amp;</b> ]]>",
    "[red]markup[/red]",
    "\x1b[31mred\x1b[0m",
    "\x1b]52;c;aGVsbG8=\x07",
    "\u202eevil",
    "\x00nul",
    "\ud800",
    "\x9b",
    "tab\there",
    '"quoted" \\ back',
]

keys = st.one_of(st.sampled_from(ODD_KEYS), st.text(max_size=8))
texts = st.one_of(st.sampled_from(ODD_TEXTS), st.text(max_size=20))
timestamps = st.integers(min_value=0, max_value=2**34)
# JSON sources may carry floats and numeric strings; the model makes them int.
json_timestamps = st.one_of(
    timestamps,
    st.floats(min_value=0, max_value=2**34),
    timestamps.map(str),
    st.none(),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
    max_leaves=8,
)
# XML carries text only, and an empty container reads back as "": non-empty containers of text.
xml_values = st.recursive(
    texts,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3),
        st.dictionaries(keys, inner, min_size=1, max_size=3),
    ),
    max_leaves=8,
)

_RESERVED_ENTRY = {"event", "class", "timestamp", "class_"}
_RESERVED_EVENT = {"line", "data"}


def _entry(values: st.SearchStrategy[Any], *, xml: bool) -> st.SearchStrategy[dict[str, Any]]:
    data = st.dictionaries(keys, values, max_size=4)
    if not xml:
        data = st.one_of(st.none(), data)
    event = st.fixed_dictionaries(
        {},
        optional={
            "line": texts,
            "data": data,
            "ev_extra": values,
        },
    )
    entry_extras = st.dictionaries(
        keys.filter(lambda k: k not in _RESERVED_ENTRY), values, max_size=2
    )
    base = st.fixed_dictionaries(
        {},
        optional={
            "event": event,
            "class": st.one_of(st.none(), texts) if not xml else texts,
            "timestamp": timestamps if xml else json_timestamps,
        },
    )
    return st.builds(lambda b, extra: {**extra, **b}, base, entry_extras)


json_entries = st.lists(_entry(json_values, xml=False), max_size=6)
xml_entries = st.lists(_entry(xml_values, xml=True), max_size=6)
