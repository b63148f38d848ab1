"""The sync's 429 gate reads a 429 the way the client's retry does (``X-RateLimit-Reset`` too),
so the workers' pause and the client's own wait agree instead of adding up or diverging."""

from __future__ import annotations

import time

from fuse_tui.core.client import FuseClient
from fuse_tui.core.sync import RateGate, attach_gate

from ..client.conftest import Reply, ScriptedServer


async def test_a_429_with_only_a_reset_time_pauses_the_gate_until_then() -> None:
    server = ScriptedServer()
    reset = int(time.time()) + 5
    server.default = Reply(429, b"{}", {"X-RateLimit-Reset": str(reset)})
    now = [1000.0]
    gate = RateGate(clock=lambda: now[0])
    try:
        async with FuseClient(server.base_url, trust_env=False) as client:
            detach = attach_gate(client, gate)
            response = await client.http_client.get(f"{server.base_url}/calls/0/1")
            detach()
        assert response.status_code == 429
    finally:
        server.stop()
    now[0] += 3.0
    assert gate.paused  # before: the 1-second fallback had already let every worker go
    now[0] += 3.5
    assert not gate.paused
