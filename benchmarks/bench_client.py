"""Client overhead: FuseClient against a bare httpx request to the same emulator (same run).

    .venv/bin/python benchmarks/bench_client.py            # 30 fetches of the 3,000-entry call
    .venv/bin/python benchmarks/bench_client.py --rounds 100 --calls 20000

Baseline = one reused ``httpx.AsyncClient`` GET + the core reader, i.e. the least work any client
must do. The ratio is FuseClient's time over that baseline (goal ≤ 1.2x: the typed-error and retry
layer must cost next to nothing). Listing compares ``list_calls`` paging 1,000 at a time with one
raw request of ``limit=10000`` pages.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from pydantic import SecretStr

from fuse_tui.core.client import Credentials, FuseClient
from fuse_tui.core.formats import load, load_call_log
from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY, EmulatorConfig, EmulatorServer

NOW = 1_800_000_000


async def bench_fetch(server: EmulatorServer, sid: str, rounds: int) -> tuple[float, float]:
    url = f"{server.base_url}/call/{quote(sid, safe='')}"
    async with httpx.AsyncClient(auth=(DEMO_EMAIL, DEMO_KEY), trust_env=False) as raw:
        began = time.perf_counter()
        for _ in range(rounds):
            answer = await raw.get(url, headers={"Accept": "application/json"})
            load_call_log(answer.content, source="raw")
        baseline = time.perf_counter() - began
    credentials = Credentials(email=DEMO_EMAIL, developer_key=SecretStr(DEMO_KEY))
    async with FuseClient(server.base_url, credentials, trust_env=False) as client:
        began = time.perf_counter()
        for _ in range(rounds):
            await client.fetch_call(sid)
        ours = time.perf_counter() - began
    return baseline, ours


async def bench_list(server: EmulatorServer) -> tuple[float, float, int]:
    end = NOW + 1
    async with httpx.AsyncClient(auth=(DEMO_EMAIL, DEMO_KEY), trust_env=False) as raw:
        began = time.perf_counter()
        count, offset = 0, 0
        while True:
            answer = await raw.get(
                f"{server.base_url}/calls/0/{end}", params={"offset": offset, "limit": 10000}
            )
            page = load(answer.content, source="raw").calls.calls  # type: ignore[union-attr]
            count += len(page)
            offset += len(page)
            if len(page) < 10000:
                break
        baseline = time.perf_counter() - began
    credentials = Credentials(email=DEMO_EMAIL, developer_key=SecretStr(DEMO_KEY))
    async with FuseClient(server.base_url, credentials, trust_env=False) as client:
        began = time.perf_counter()
        listed = [call async for call in client.list_calls(0, end)]
        ours = time.perf_counter() - began
    assert len(listed) == count
    return baseline, ours, count


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30, help="fetches of the long call")
    parser.add_argument("--calls", type=int, default=10000, help="generated calls to list")
    args = parser.parse_args()
    server = EmulatorServer(EmulatorConfig(now=NOW, generated_calls=args.calls)).start()
    try:
        long_call = max(
            (c for c in server.calls_for(DEMO_EMAIL) if c.log), key=lambda c: c.duration or 0
        )
        size = len(server.raw_call(DEMO_EMAIL, long_call.session_id))
        # Best of three alternating runs, after a warm-up: neither side pays first-run costs.
        await bench_fetch(server, long_call.session_id, 2)
        runs = [await bench_fetch(server, long_call.session_id, args.rounds) for _ in range(3)]
        baseline, ours = min(r[0] for r in runs), min(r[1] for r in runs)
        ratio = ours / baseline
        print(f"fetch {args.rounds}x a {size / 1024:.0f} KiB call log:")
        print(f"  bare httpx + reader: {baseline:6.2f} s   FuseClient: {ours:6.2f} s")
        print(f"  ratio {ratio:.2f}x (goal ≤ 1.2x: {'met' if ratio <= 1.2 else 'NOT met'})")
        list_runs = [await bench_list(server) for _ in range(4)][1:]
        baseline, ours = min(r[0] for r in list_runs), min(r[1] for r in list_runs)
        count = list_runs[0][2]
        print(f"list {count} calls:")
        print(f"  bare httpx, 10,000 a page: {baseline:6.2f} s")
        print(f"  list_calls, 1,000 a page:  {ours:6.2f} s")
        print(f"  ratio {ours / baseline:.2f}x (more pages cost more round trips)")
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
