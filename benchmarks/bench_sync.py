"""Sync speed: the same sync at concurrency 8 vs 1 (goal ≥ 6x), plus a 429 storm with the gate.

    .venv/bin/python benchmarks/bench_sync.py                 # 500 calls, 50 ms latency
    .venv/bin/python benchmarks/bench_sync.py --calls 200 --latency 20

The emulator runs in-process over loopback with ``latency_ms`` added to every answer; each run
syncs into a fresh archive and checks that every available log arrived.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pydantic import SecretStr

import fuse_tui.core.sync as sync_module
from fuse_tui.core.archive import Archive
from fuse_tui.core.client import Credentials, FuseClient
from fuse_tui.core.sync import sync_archive
from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY, EmulatorConfig, EmulatorServer

NOW = 1_750_000_000
WINDOW = (NOW - 7 * 86400, NOW + 1)


async def one_run(server: EmulatorServer, concurrency: int) -> tuple[float, int, Any]:
    with tempfile.TemporaryDirectory() as folder, Archive.open(Path(folder) / "a.db") as archive:
        credentials = Credentials(email=DEMO_EMAIL, developer_key=SecretStr(DEMO_KEY))
        async with FuseClient(server.base_url, credentials, timeout=30) as client:
            began = time.perf_counter()
            report = await sync_archive(client, archive, *WINDOW, concurrency=concurrency)
            seconds = time.perf_counter() - began
        available = {c.session_id for c in server.calls_for(DEMO_EMAIL) if c.log}
        assert archive.archived_ids() == available, "sync incomplete"
        return seconds, len(report.fetched), report


def serve(calls: int, **options: Any) -> EmulatorServer:
    config = EmulatorConfig(now=NOW, samples=False, generated_calls=calls, **options)
    return EmulatorServer(config).start()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=500, help="available call logs to sync")
    parser.add_argument("--latency", type=int, default=50, help="ms added to every answer")
    args = parser.parse_args()
    # The generator spreads calls over 6 days, so about 1 in 6 has expired: list a few more.
    generated = int(args.calls * 6 / 5)
    server = serve(generated, latency_ms=args.latency)
    try:
        available = sum(1 for c in server.calls_for(DEMO_EMAIL) if c.log)
        print(f"{available} available call logs ({generated} listed), {args.latency} ms latency")
        results = {}
        for concurrency in (1, 8):
            seconds, fetched, _ = await one_run(server, concurrency)
            results[concurrency] = seconds
            print(
                f"  concurrency {concurrency}: {seconds:6.2f} s  "
                f"({fetched / seconds:6.1f} calls/s, {fetched} fetched)"
            )
        ratio = results[1] / results[8]
        print(
            f"speed-up at concurrency 8: {ratio:.1f}x "
            f"(goal ≥ 6x: {'met' if ratio >= 6 else 'NOT met'})"
        )
    finally:
        server.stop()

    # A 429 storm: 10 requests/s allowed, 8 workers. With the gate hooked into every request,
    # one 429 holds all workers; without it, only a 429 that outlasts the client's own retries
    # reaches the gate, and the other workers keep sending meanwhile.
    print("\n429 storm: 10 requests/s allowed, 8 workers, 100 calls")
    for gated in (True, False):
        server = serve(120, rate_limit=10)
        original = sync_module.attach_gate
        if not gated:
            sync_module.attach_gate = lambda client, gate: lambda: None
        try:
            seconds, fetched, report = await one_run(server, 8)
        finally:
            sync_module.attach_gate = original
            server.stop()
        limited = sum(1 for r in server.requests if r.status == 429)
        print(
            f"  {'gate on every request  ' if gated else 'gate after client retry'}: "
            f"{seconds:5.1f} s, "
            f"{len(server.requests)} requests, {limited} answered 429, {len(report.failed)} failed"
        )


if __name__ == "__main__":
    asyncio.run(main())
