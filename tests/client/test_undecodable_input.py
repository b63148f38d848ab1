"""Text that is not valid Unicode (undecodable bytes in argv or the environment arrive as lone
surrogates) and dot segments: a one-sentence FuseError / InvalidSessionIdError, never a
UnicodeEncodeError, and never a request to a different URL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import SecretStr

from fuse_tui.core.client import Credentials, FuseClient, FuseError
from fuse_tui.core.session_id import InvalidSessionIdError, normalize_session_id
from fuse_tui.emulator import EmulatorServer

from .conftest import EMAIL, KEY


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


@pytest.mark.parametrize(
    ("email", "key", "what"),
    [("ops\udcff@example.com", KEY, "e-mail"), (EMAIL, KEY + "\udcff", "developer key")],
)
async def test_credentials_that_are_not_text_fail_with_a_sentence(
    start_emulator: Callable[..., EmulatorServer], email: str, key: str, what: str
) -> None:
    server = start_emulator()
    credentials = Credentials(email=email, developer_key=SecretStr(key))
    async with FuseClient(base_url=server.base_url, credentials=credentials, retries=0) as client:
        with pytest.raises(FuseError) as caught:
            await client.fetch_call("300060;001;1")
    message = str(caught.value)
    assert what in message and "not valid text" in message
    assert KEY not in message and KEY not in repr(caught.value)
    assert server.requests == []  # refused before anything was sent


@pytest.mark.parametrize("url", ["https://xn--zz.com/api", "https://xn--.example.com/api"])
def test_a_base_url_with_a_broken_punycode_label_is_a_sentence(url: str) -> None:
    credentials = Credentials(email=EMAIL, developer_key=SecretStr(KEY))
    with pytest.raises(FuseError, match="not a valid URL"):
        FuseClient(base_url=url, credentials=credentials)
