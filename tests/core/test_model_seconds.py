"""model.plainly_seconds is a shortcut of core.timestamps' reading, never a second reading."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.model import _SECONDS_BELOW, plainly_seconds
from fuse_tui.core.timestamps import epoch_seconds, same_unit_span

values = st.one_of(
    st.integers(-(10**12), 10**12),
    st.integers(_SECONDS_BELOW - 3, _SECONDS_BELOW + 3),
    st.integers(-3, 3),
    st.booleans(),
    st.none(),
    st.floats(0, 10**11),
)


@given(values, values)
def test_plainly_seconds_only_when_same_unit_span_says_so(low: object, high: object) -> None:
    if plainly_seconds(low, high):
        assert isinstance(low, int) and isinstance(high, int)
        assert low <= high and same_unit_span(low, high)
        assert epoch_seconds(low) == low and epoch_seconds(high) == high


def test_the_bound_is_timestamps_first_unit() -> None:
    assert same_unit_span(0, _SECONDS_BELOW - 1)
    assert not same_unit_span(0, _SECONDS_BELOW)
    assert epoch_seconds(_SECONDS_BELOW - 1) == _SECONDS_BELOW - 1
    assert not plainly_seconds(True, 5) and not plainly_seconds(0, _SECONDS_BELOW)
