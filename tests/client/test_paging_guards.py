"""Paging that would never end, and filters that cannot be sent."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest

from fuse_tui.core.client import FuseClient, FuseError

from .conftest import Reply, ScriptedServer


async def test_a_server_that_ignores_offset_does_not_page_forever(
    scripted: ScriptedServer, make_client: Callable[..., FuseClient]
) -> None:
    # A proxy or cache that drops the query string answers page 1 again and again, while the
    # total says there is more: the loop used to run (and grow memory) forever.
    page = {"calls": [{"session_id": "a", "start": 1}, {"session_id": "b", "start": 2}]}
    page["total_calls"] = 10**11  # type: ignore[assignment]
    scripted.default = Reply(200, json.dumps(page).encode(), {"Content-Type": "application/json"})
    async with make_client(scripted.base_url) as client:

        async def collect() -> list[str]:
            return [call.session_id async for call in client.list_calls(0, 10, page_size=2)]

        seen = await asyncio.wait_for(collect(), timeout=10)
    assert seen == ["a", "b"]
    assert len(scripted.seen) == 2


async def test_pages_that_bring_new_calls_keep_paging(
    scripted: ScriptedServer, make_client: Callable[..., FuseClient]
) -> None:
    def page(*ids: str) -> Reply:
        body = {"calls": [{"session_id": i, "start": 1} for i in ids], "total_calls": 5}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    # A call that slid from page 1 to page 2 (a new call arrived) is not the end of the list,
    # and it is listed once (`fuse-tui calls` printed it twice).
    scripted.replies = [page("a", "b"), page("b", "c"), page("d")]
    async with make_client(scripted.base_url) as client:
        seen = [call.session_id async for call in client.list_calls(0, 10, page_size=2)]
    assert seen == ["a", "b", "c", "d"]


async def test_a_number_filter_that_is_not_text_is_a_fuse_error(
    scripted: ScriptedServer, make_client: Callable[..., FuseClient]
) -> None:
    async with make_client(scripted.base_url) as client:
        with pytest.raises(FuseError, match="number"):
            async for _ in client.list_calls(0, 10, number="555\udcff"):
                pass
    assert scripted.seen == []
