"""The CLI test environment, once: an emulator with the test module's account, and FUSE_* pointing
at it.

A module names its account with module-level ``EMAIL`` and ``KEY`` (its assertions use them, e.g.
that the key never appears), and opts in with
``pytestmark = pytest.mark.usefixtures("cli_environment")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fuse_tui.emulator import EmulatorConfig, EmulatorServer


@pytest.fixture
def account(request: pytest.FixtureRequest) -> tuple[str, str]:
    """The test module's (EMAIL, KEY)."""
    return request.module.EMAIL, request.module.KEY


@pytest.fixture
def server(account: tuple[str, str]) -> Iterator[EmulatorServer]:
    """An emulator knowing the account, on the real clock (`--since` windows count from it)."""
    email, key = account
    with EmulatorServer(EmulatorConfig(accounts={email: key})) as emulator:
        yield emulator


@pytest.fixture
def cli_environment(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    server: EmulatorServer,
    account: tuple[str, str],
) -> None:
    """FUSE_* at the emulator with the account; no config file, no proxy, no colour."""
    email, key = account
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("FUSE_BASE_URL", server.base_url)
    monkeypatch.setenv("FUSE_EMAIL", email)
    monkeypatch.setenv("FUSE_DEVELOPER_KEY", key)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("NO_COLOR", "1")
