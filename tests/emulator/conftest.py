from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from fuse_tui.emulator import EmulatorConfig, EmulatorServer

NOW = 1_800_000_000
DEMO = ("demo@example.com", "demo-key")


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., EmulatorServer]]:
    servers: list[EmulatorServer] = []

    def start(**options: Any) -> EmulatorServer:
        options.setdefault("now", NOW)
        server = EmulatorServer(EmulatorConfig(**options)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def emulator(start_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return start_emulator()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(auth=DEMO, timeout=10, trust_env=False) as client:
        yield client
