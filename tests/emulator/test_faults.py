"""Fault injection: 500, 429 with headers, latency, dropped connections, cut bodies; seeded."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest

from fuse_tui.emulator import EmulatorConfig, EmulatorServer

from .conftest import DEMO, NOW

WIDE = f"/calls/0/{NOW + 10**6}"
Start = Callable[..., EmulatorServer]


def statuses(server: EmulatorServer, count: int) -> list[int]:
    with httpx.Client(auth=DEMO, trust_env=False) as client:
        return [client.get(f"{server.base_url}{WIDE}").status_code for _ in range(count)]


def test_fail_rate_answers_database_error(start_emulator: Start) -> None:
    server = start_emulator(fail_rate=1.0)
    answer = httpx.get(f"{server.base_url}{WIDE}", auth=DEMO)
    assert answer.status_code == 500
    assert answer.json() == {"error": "database error"}
    assert server.requests[-1].fault == "fail"


def test_faults_are_deterministic_for_a_seed(start_emulator: Start) -> None:
    first = statuses(start_emulator(fail_rate=0.5, seed=7), 30)
    again = statuses(start_emulator(fail_rate=0.5, seed=7), 30)
    other = statuses(start_emulator(fail_rate=0.5, seed=8), 30)
    assert first == again
    assert first != other
    assert 5 < first.count(500) < 25


def test_rate_limit_answers_429_with_headers(start_emulator: Start) -> None:
    server = start_emulator(rate_limit=2)
    with httpx.Client(auth=DEMO, trust_env=False) as client:
        answers = [client.get(f"{server.base_url}{WIDE}") for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [200, 200]
    assert answers[0].headers["X-RateLimit-Limit"] == "2"
    assert answers[0].headers["X-RateLimit-Remaining"] == "1"
    limited = answers[2]
    assert limited.status_code == 429
    assert "error" in limited.json()
    assert limited.headers["Retry-After"] == "1"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert int(limited.headers["X-RateLimit-Reset"]) >= int(time.time())


def test_rate_limit_window_resets(start_emulator: Start) -> None:
    server = start_emulator(rate_limit=1)
    with httpx.Client(auth=DEMO, trust_env=False) as client:
        assert client.get(f"{server.base_url}{WIDE}").status_code == 200
        limited = client.get(f"{server.base_url}{WIDE}")
        assert limited.status_code == 429
        time.sleep(float(limited.headers["Retry-After"]))
        assert client.get(f"{server.base_url}{WIDE}").status_code == 200


def test_latency_delays_answers(start_emulator: Start) -> None:
    server = start_emulator(latency_ms=150)
    began = time.monotonic()
    assert httpx.get(f"{server.base_url}{WIDE}", auth=DEMO).status_code == 200
    assert time.monotonic() - began >= 0.15


def test_drop_closes_the_connection_mid_body(start_emulator: Start) -> None:
    server = start_emulator(drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{server.base_url}{WIDE}", auth=DEMO)
    assert server.requests[-1].fault == "drop"


def test_truncate_cuts_the_body_but_keeps_http_framing(start_emulator: Start) -> None:
    whole = EmulatorServer(EmulatorConfig(now=NOW)).raw_call
    server = start_emulator(truncate_rate=1.0)
    sid = next(c.session_id for c in server.calls_for(DEMO[0]) if c.log)
    answer = httpx.get(f"{server.base_url}/call/{sid.replace(';', '%3B')}", auth=DEMO)
    assert answer.status_code == 200
    full = whole(DEMO[0], sid)
    assert 0 < len(answer.content) < len(full)
    assert full.startswith(answer.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.content)


def test_config_rejects_impossible_rates() -> None:
    with pytest.raises(ValueError):
        EmulatorConfig(fail_rate=1.5)
    with pytest.raises(ValueError):
        EmulatorConfig(rate_limit=0)
    with pytest.raises(ValueError):
        EmulatorConfig(accounts={})
