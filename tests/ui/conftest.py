"""Fixtures for the TUI tests: UTC clock, no cursor blink, an in-process emulator, app factory."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from fuse_tui.core.service import FuseService
from fuse_tui.core.settings import Settings
from fuse_tui.emulator import EmulatorConfig, EmulatorServer
from fuse_tui.ui.app import FuseApp
from fuse_tui.ui.config import UiConfig
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.log_view import LogView

DEMO_EMAIL = "demo@example.com"
DEMO_KEY = "demo-key"
# A fixed emulator clock: sample calls, expiry and every timestamp on screen are reproducible.
EMULATOR_NOW = 1_764_200_000
CALL_START = 1_764_190_000


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time = UTC so the time column and the detail pane read the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def truecolor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Colours do not depend on the shell running the tests: TERM=xterm alone means 16 colours
    to Rich (and the event list switches to its VGA badges). Tests of that case unset it."""
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """The input cursor stays visible: snapshots do not depend on when they are taken."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    server = EmulatorServer(EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY}, now=EMULATOR_NOW))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def entry(line: str, cls: str | None, ts: int, module: str, result: str, **data: Any) -> dict:
    item: dict[str, Any] = {
        "event": {"line": line, "data": {"module_type": module, "result_variable": result, **data}},
        "timestamp": ts,
    }
    if cls is not None:
        item["class"] = cls
    return item


def sample_entries() -> list[dict]:
    """A small, fixed call with every class, an unknown class, an error and hostile text."""
    t = CALL_START
    return [
        entry('Executing application "billing ivr" version "3.1"', "info", t, "start", "start"),
        entry("Welcome to Acme billing.", "prompt", t + 1, "prompt", "var_0", language="en-US"),
        entry("User input: 4155550188 (dtmf)", "event", t + 9, "digits", "account"),
        entry("REST GET /accounts/4155550188", "debug", t + 10, "rest", "lookup", status=500),
        entry("Lookup failed: HTTP 500 from billing backend", "error", t + 11, "rest", "lookup"),
        entry(
            "[bold]not markup[/bold] \x1b[31mred?\x1b[0m line\nbreak", "info", t + 12, "set", "v"
        ),
        entry("Transferring to an agent", "weird-class", t + 13, "transfer", "xfer"),
        entry("Second failure: agent queue closed", "error", t + 75, "transfer", "xfer"),
        entry("Exiting application", "info", t + 80, "exit", "hangup"),
        entry("Disconnecting call", "event", t + 81, "exit", "hangup"),
    ]


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "billing.json"
    path.write_text(json.dumps(sample_entries()), encoding="utf-8")
    return path


def big_entries(count: int) -> list[dict]:
    classes = ("info", "event", "debug", "prompt", "error")
    return [
        entry(
            f"line {i} " + ("fail" if i % 97 == 0 else "ok"),
            classes[i % 5],
            CALL_START + i,
            f"mod{i % 7}",
            f"var_{i % 11}",
        )
        for i in range(count)
    ]


class FakePyperclip:
    """Records copies, or fails like pyperclip on a box without a clipboard."""

    class PyperclipException(RuntimeError):
        pass

    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.copied: list[str] = []

    def copy(self, text: str) -> None:
        if not self.available:
            raise self.PyperclipException("could not find a copy/paste mechanism")
        self.copied.append(text)


MakeApp = Callable[..., FuseApp]


def make_service(
    base_url: str = "http://127.0.0.1:9/api",
    email: str | None = DEMO_EMAIL,
    key: str | None = DEMO_KEY,
    archive_path: Path | None = None,
    **settings: Any,
) -> FuseService:
    """A service for a test: no retries, a short timeout, and no archive unless one is given
    (never the user's real one)."""
    return FuseService(
        Settings(
            base_url=base_url,
            email=email,
            developer_key=SecretStr(key) if key is not None else None,
            timeout=5.0,
            retries=0,
            archive_enabled=archive_path is not None,
            archive_path=archive_path,
            **settings,
        )
    )


@pytest.fixture
def make_app(tmp_path: Path) -> MakeApp:
    def factory(
        sources: list[Source] | None = None,
        *,
        server: EmulatorServer | None = None,
        key: str | None = DEMO_KEY,
        email: str | None = DEMO_EMAIL,
        pyperclip: FakePyperclip | None = None,
        osc52: list[str] | None = None,
        **config: Any,
    ) -> FuseApp:
        base_url = config.pop("base_url", server.base_url if server else "http://127.0.0.1:9/api")
        archive_path = config.pop("archive_path", None)
        service = make_service(base_url, email, key, archive_path)
        ui = UiConfig(data_dir=tmp_path / "data", **config)
        writer = osc52.append if osc52 is not None else None
        return FuseApp(
            ui,
            sources or [],
            service=service,
            pyperclip_module=pyperclip or FakePyperclip(),
            osc52_writer=writer,
        )

    return factory


@contextlib.asynccontextmanager
async def opened(
    app: FuseApp, *, size: tuple[int, int] = (120, 30)
) -> AsyncIterator[tuple[Pilot[Any], LogView]]:
    """Run ``app``, let its sources load, and give the pilot and the log view shown: the
    preamble most main-view tests share."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None
        yield pilot, view


async def settle(pilot: Pilot[Any], app: FuseApp, rounds: int = 3) -> None:
    """Let workers finish and the screen catch up."""
    for _ in range(rounds):
        for worker in list(app.workers):
            # A cancelled or failed worker is fine: the test looks at what the app shows about it.
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
        await pilot.pause()


def row_texts(app: FuseApp) -> list[str]:
    """The text of the visible rows of the active event list, as painted."""
    view = app.main.active_view
    assert view is not None
    event_list = view.event_list
    lines = []
    for y in range(min(event_list.size.height, len(view.rows))):
        strip = event_list.render_line(y)
        lines.append("".join(segment.text for segment in strip))
    return lines


def last_message(app: FuseApp) -> str:
    """The text of the latest notification."""
    notes = list(app._notifications)
    return notes[-1].message if notes else ""
