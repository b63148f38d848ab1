"""list_calls pages invisibly up to total_calls; all_logs pages until a short page."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

from fuse_tui.core.client import FuseClient
from fuse_tui.emulator import EmulatorServer

from .conftest import EMAIL, NOW, Reply, ScriptedServer

MakeClient = Callable[..., FuseClient]


async def test_list_calls_pages_across_several_pages(
    start_emulator: Callable[..., EmulatorServer], make_client: MakeClient
) -> None:
    server = start_emulator(generated_calls=40)
    expected = server.calls_for(EMAIL)
    async with make_client(server.base_url) as client:
        listed = [call async for call in client.list_calls(0, NOW + 1, page_size=7)]
    assert [c.session_id for c in listed] == [c.session_id for c in expected]
    assert [c.log for c in listed] == [c.log for c in expected]
    pages = [r.path for r in server.requests]
    assert len(pages) == math.ceil(len(expected) / 7)
    assert all("limit=7" in path for path in pages)
    assert [f"offset={n * 7}" in path for n, path in enumerate(pages)] == [True] * len(pages)


async def test_list_calls_exact_multiple_and_empty_window(
    start_emulator: Callable[..., EmulatorServer], make_client: MakeClient
) -> None:
    server = start_emulator(generated_calls=0)
    total = len(server.calls_for(EMAIL))  # the 10 samples
    async with make_client(server.base_url) as client:
        listed = [c async for c in client.list_calls(0, NOW + 1, page_size=total // 2)]
        assert len(listed) == total
        assert len(server.requests) == 2  # no extra empty page once total_calls is reached
        empty = [c async for c in client.list_calls(0, 10)]
    assert empty == []


async def test_list_calls_number_filter(emulator: EmulatorServer, make_client: MakeClient) -> None:
    async with make_client(emulator.base_url) as client:
        listed = [c async for c in client.list_calls(0, NOW + 1, "8009957586")]
    assert listed and all("8009957586" in (c.dest, c.src) for c in listed)
    assert "number=8009957586" in emulator.requests[-1].path


async def test_all_logs_pages_and_carries_metadata(
    start_emulator: Callable[..., EmulatorServer], make_client: MakeClient
) -> None:
    server = start_emulator(generated_calls=12)
    expected = server.calls_for(EMAIL)
    async with make_client(server.base_url) as client:
        logs = await client.all_logs(0, NOW + 1, page_size=5)
    assert [log.session_id for log in logs] == [c.session_id for c in expected]
    for log, call in zip(logs, expected, strict=True):
        assert bool(log.entries) == bool(call.log)
        assert log.meta["src"] == call.src
    assert len(server.requests) == math.ceil((len(expected) + 1) / 5)


async def test_list_calls_without_total_calls_stops_at_a_short_page(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    def page(*ids: str) -> Reply:
        body = json.dumps({"calls": [{"session_id": i, "start": 1, "end": 2} for i in ids]})
        return Reply(200, body.encode(), {"Content-Type": "application/json"})

    scripted.replies = [page("a", "b"), page("c", "d"), page("e")]
    async with make_client(scripted.base_url) as client:
        listed = [c.session_id async for c in client.list_calls(0, 10, page_size=2)]
    assert listed == ["a", "b", "c", "d", "e"]
    assert len(scripted.seen) == 3
