"""Session IDs: paste junk stripped, percent-encoded exactly once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.session_id import (
    InvalidSessionIdError,
    encode_session_id,
    normalize_session_id,
)

SEED = "300060;001;1529552581"


def test_the_seed_id_is_encoded_as_the_php_sample_does() -> None:
    assert encode_session_id(SEED) == "300060%3B001%3B1529552581"


@pytest.mark.parametrize(
    "pasted",
    [
        SEED,
        f"  {SEED}\t\n",
        f"'{SEED}'",
        f'"{SEED}"',
        f"\u201c{SEED}\u201d",
        "300060%3B001%3B1529552581",
        "300060%3b001%3b1529552581",
        f"`{SEED}`",
        "https://fuse.plumvoice.com/api/call/300060%3B001%3B1529552581",
        "  'http://127.0.0.1:8080/api/call/300060%3B001%3B1529552581?x=1' ",
    ],
)
def test_pastes_normalise_to_the_id(pasted: str) -> None:
    assert normalize_session_id(pasted) == SEED
    assert encode_session_id(normalize_session_id(pasted)) == "300060%3B001%3B1529552581"


@pytest.mark.parametrize("bad", ["", "   ", "''", "a\nb", "x\x00y"])
def test_unusable_text_is_refused(bad: str) -> None:
    with pytest.raises(InvalidSessionIdError):
        normalize_session_id(bad)


ids = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="%"),
        min_size=1,
    )
    .map(str.strip)
    .filter(
        lambda s: (
            bool(s.strip(" \"'`\u201c\u201d\u2018\u2019<>"))
            and s == s.strip(" \"'`\u201c\u201d\u2018\u2019<>")
            and s not in {".", ".."}  # dot segments are refused (tested below)
        )
    )
)


@settings(max_examples=150)
@given(ids)
def test_encoding_once_is_stable(session_id: str) -> None:
    encoded = encode_session_id(session_id)
    assert "/" not in encoded and ";" not in encoded and " " not in encoded
    # A pasted already-encoded ID normalises back, so it is never encoded twice.
    assert normalize_session_id(encoded) == session_id
    assert encode_session_id(normalize_session_id(encoded)) == encoded


# Session IDs that are not valid Unicode (undecodable bytes in argv arrive as lone surrogates)
# and dot segments: an InvalidSessionIdError, never a request to a different URL.


@pytest.mark.parametrize("text", ["ab\udcff", "\udcc3\udca9", "300060;001;\ud800"])
def test_a_session_id_that_is_not_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidSessionIdError, match="not a session ID"):
        normalize_session_id(text)


@pytest.mark.parametrize("text", [".", "..", " .. ", "%2E%2E", "%2e"])
def test_dot_segments_are_not_session_ids(text: str) -> None:
    # /api/call/.. is normalised to /api by every HTTP stack: it would ask another endpoint.
    with pytest.raises(InvalidSessionIdError):
        normalize_session_id(text)


def test_dots_inside_an_id_are_kept() -> None:
    assert normalize_session_id("a..b") == "a..b"
    assert normalize_session_id("...") == "..."
