"""Fetching through the in-process emulator: success, history, cancel and every error state."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from pydantic import SecretStr
from textual.widgets import Input

from fuse_tui.emulator import EmulatorConfig, EmulatorServer
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import DEMO_EMAIL, DEMO_KEY, EMULATOR_NOW, MakeApp, make_service, settle


def _live_and_expired(server: EmulatorServer) -> tuple[str, str]:
    calls = server.calls_for(DEMO_EMAIL)
    live = next(c.session_id for c in calls if c.log)
    expired = next(c.session_id for c in calls if not c.log)
    return live, expired


async def _type_and_fetch(pilot, app, session_id: str) -> None:  # type: ignore[no-untyped-def]
    session_input = app.main.query_one("#session-input", Input)
    session_input.focus()
    session_input.value = session_id
    await pilot.press("enter")
    await settle(pilot, app)


async def test_fetch_opens_the_log_and_remembers_the_id(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path
) -> None:
    live, _ = _live_and_expired(emulator)
    app = make_app(server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, live)
        view = app.main.active_view
        assert view is not None
        expected = json.loads(emulator.raw_call(DEMO_EMAIL, live))
        assert [e.event.line for e in view.rows.entries] == [e["event"]["line"] for e in expected]
        assert view.call_log.session_id == live
        assert view.source_kind == "API"
        assert app.main.last_error is None
    saved = json.loads((tmp_path / "data" / "history.json").read_text())
    assert saved == [live]


async def test_session_sources_on_the_command_line_are_fetched(
    make_app: MakeApp, emulator: EmulatorServer
) -> None:
    calls = [c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log][:2]
    app = make_app([Source("session", s) for s in calls], server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        assert sorted(v.call_log.session_id for v in app.main.views()) == sorted(calls)


async def test_fetched_log_is_archived_and_used_when_the_api_fails(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path
) -> None:
    live, _ = _live_and_expired(emulator)
    archive = tmp_path / "archive.sqlite"
    app = make_app(server=emulator, archive_path=archive)
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, live)
    assert archive.exists()
    # Now the network is down: the archived copy opens, and the failure is still said.
    app = make_app(archive_path=archive)
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, live)
        view = app.main.active_view
        assert view is not None and view.source_kind == "archive"
        assert app.main.last_error and "archived copy" in app.main.last_error


async def test_wrong_credentials_show_the_error_not_the_archived_copy(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path
) -> None:
    """The service's one fallback policy (core/service.py), as in the CLI: a refused request
    needs fixing, and an old copy would hide it. (The TUI used to fall back after anything.)"""
    live, _ = _live_and_expired(emulator)
    archive = tmp_path / "archive.sqlite"
    app = make_app(server=emulator, archive_path=archive)
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, live)
    assert archive.exists()
    app = make_app(server=emulator, archive_path=archive, key="wrong-key")
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, live)
        assert app.main.active_view is None
        message = app.main.last_error or ""
        assert "401" in message and "Press K to enter credentials" in message
        assert "archived copy" not in message


async def test_wrong_key_says_401_and_how_to_fix_it(
    make_app: MakeApp, emulator: EmulatorServer
) -> None:
    live, _ = _live_and_expired(emulator)
    app = make_app(server=emulator, key="wrong-key")
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, live)
        assert app.main.active_view is None
        message = app.main.last_error or ""
        assert "401" in message and "Press K to enter credentials" in message
        assert "wrong-key" not in message
        assert app.main.query_one("#message").display


async def test_unknown_session_says_404(make_app: MakeApp, emulator: EmulatorServer) -> None:
    app = make_app(server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, "300060;999;1764190000")
        assert "404" in (app.main.last_error or "")


async def test_expired_call_says_so(make_app: MakeApp, emulator: EmulatorServer) -> None:
    _, expired = _live_and_expired(emulator)
    app = make_app(server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, expired)
        message = app.main.last_error or ""
        assert "5 days" in message
        assert app.main.active_view is None


async def test_network_down_says_retry(make_app: MakeApp) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(base_url=f"http://127.0.0.1:{port}/api")
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, "300060;001;1")
        message = app.main.last_error or ""
        assert "retry" in message
        assert "Traceback" not in message


async def test_escape_cancels_a_slow_fetch() -> None:
    server = EmulatorServer(
        EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY}, now=EMULATOR_NOW, latency_ms=3000)
    )
    server.start()
    try:
        from fuse_tui.ui.app import FuseApp

        live = next(c.session_id for c in server.calls_for(DEMO_EMAIL) if c.log)
        app = FuseApp(service=make_service(server.base_url))
        async with app.run_test(size=(120, 30)) as pilot:
            session_input = app.main.query_one("#session-input", Input)
            session_input.value = live
            await pilot.press("enter")
            await pilot.pause(0.2)
            assert app.main.query_one("#fetch-loading").display
            await pilot.press("escape")
            await settle(pilot, app)
            assert not any(w.is_running for w in app.main.workers)
            assert app.main.active_view is None
            assert not app.main.query_one("#fetch-loading").display
            assert any("cancelled" in n.message for n in app._notifications)
    finally:
        server.stop()


async def test_a_new_fetch_replaces_the_running_one(
    make_app: MakeApp, emulator: EmulatorServer
) -> None:
    ids = [c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log][:2]
    app = make_app(server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        first = app.main.fetch_sessions([ids[0]])
        second = app.main.fetch_sessions([ids[1]])
        await settle(pilot, app)
        assert first.is_cancelled
        assert second.is_finished
        assert [v.call_log.session_id for v in app.main.views()] == [ids[1]]


async def test_empty_input_asks_for_an_id(make_app: MakeApp, emulator: EmulatorServer) -> None:
    app = make_app(server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, "   ")
        assert app.main.active_view is None
        assert any("session ID" in n.message for n in app._notifications)


async def test_r_retries_the_failed_fetch(make_app: MakeApp, emulator: EmulatorServer) -> None:
    from pydantic import SecretStr

    live, _ = _live_and_expired(emulator)
    app = make_app(server=emulator, key="wrong-key")
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, live)
        assert app.main.active_view is None
        app.service.set_credentials(DEMO_EMAIL, SecretStr(DEMO_KEY))  # fixed elsewhere (K)
        await pilot.press("r")
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and view.call_log.session_id == live


async def test_fetch_button_fetches(make_app: MakeApp, emulator: EmulatorServer) -> None:
    live, _ = _live_and_expired(emulator)
    app = make_app(server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        app.main.query_one("#session-input", Input).value = live
        await pilot.click("#fetch-button")
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and view.call_log.session_id == live


async def test_one_client_serves_the_whole_run_until_the_credentials_change(
    make_app: MakeApp, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fetches and listings share one httpx connection pool; new credentials get a new client."""
    from fuse_tui.emulator import server as emulator_server

    connections: list[object] = []
    original = emulator_server._Server.verify_request

    def counting(self, request, client_address):  # type: ignore[no-untyped-def]
        connections.append(client_address)
        return original(self, request, client_address)

    monkeypatch.setattr(emulator_server._Server, "verify_request", counting)
    live = [c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log][:2]
    app = make_app(server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await _type_and_fetch(pilot, app, live[0])
        first_client = app.service.client()
        await _type_and_fetch(pilot, app, live[1])
        calls = [c async for c in app.service.list_calls(0, 2**31, None)]
        assert calls
        assert app.service.client() is first_client
        assert len(connections) == 1  # keep-alive: three requests, one TCP connection
        app.service.set_credentials(DEMO_EMAIL, SecretStr("another-key"))
        assert app.service.client() is not first_client
    assert first_client.http_client.is_closed  # closed when the app exits
