"""The calls browser's archive marks and its sync of the shown window (S), against the
in-process emulator over loopback, the real FuseClient, the real SQLite archive and
``core.sync.sync_archive`` as the app wires them (``ui.services``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from textual.worker import WorkerCancelled

from fuse_tui.core.archive import Archive
from fuse_tui.core.client import Credentials, FuseClient
from fuse_tui.core.service import FuseService
from fuse_tui.core.settings import Settings
from fuse_tui.core.sync import SyncFailure, SyncProgress, SyncReport
from fuse_tui.emulator import EmulatorConfig, EmulatorServer, RequestRecord
from fuse_tui.ui import services
from fuse_tui.ui.screens.calls_browser import (
    ARCHIVE_OFF,
    WINDOWS,
    CallsBrowserScreen,
    sync_report_text,
)
from fuse_tui.ui.widgets.sync_progress import SyncProgressBar, format_eta, progress_text
from tests.ui.conftest_screens import (
    CALLS_NOW,
    DEMO_EMAIL,
    DEMO_KEY,
    ScreenHost,
    client_lister,
    wait_calls_loaded,
)

FIVE_DAYS = len(WINDOWS) - 1


@contextlib.contextmanager
def emulator(**config: Any) -> Iterator[EmulatorServer]:
    settings = EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY}, now=CALLS_NOW, **config)
    with EmulatorServer(settings) as server:
        yield server


def fuse_service(server: EmulatorServer, archive: Path | None) -> FuseService:
    return FuseService(
        Settings(
            base_url=server.base_url,
            email=DEMO_EMAIL,
            developer_key=SecretStr(DEMO_KEY),
            timeout=10.0,
            retries=0,
            archive_enabled=archive is not None,
            archive_path=archive,
        )
    )


def browser(server: EmulatorServer, archive: Path | None) -> CallsBrowserScreen:
    """The calls browser wired like the app does it, on the emulator's fixed clock."""
    service = fuse_service(server, archive)
    screen = CallsBrowserScreen(
        client_lister(server),
        services.ArchivedIds(service) if archive else None,
        now=lambda: CALLS_NOW,
        sync=(lambda s, e, n, p: service.sync(s, e, number=n, progress=p)) if archive else None,
    )
    screen.window_index = FIVE_DAYS
    return screen


def in_window(server: EmulatorServer) -> list[str]:
    start = CALLS_NOW - WINDOWS[FIVE_DAYS].seconds
    return [c.session_id for c in server.calls_for(DEMO_EMAIL) if start <= (c.start or 0)]


def available(server: EmulatorServer) -> list[str]:
    """The calls of the window Fuse still has a log for: what a sync must archive."""
    ids = set(in_window(server))
    return [c.session_id for c in server.calls_for(DEMO_EMAIL) if c.session_id in ids and c.log]


def marks(app: ScreenHost) -> dict[str, str]:
    table = app.screen.query_one("#calls-table", DataTable)
    return {
        str(row.key.value): table.get_row_at(i)[-1].plain
        for i, row in enumerate(table.ordered_rows)
    }


def status(app: ScreenHost) -> str:
    return str(app.screen.query_one("#calls-status", Static).render())


def archived_raw(path: Path) -> dict[str, bytes]:
    with Archive.open(path) as archive:
        ids = archive.archived_ids()
        found = {sid: archive.get(sid) for sid in ids}
    return {sid: call.raw for sid, call in found.items() if call is not None}


async def wait_sync(pilot: Pilot[Any]) -> None:
    workers = [w for w in pilot.app.screen.workers if w.group in {"sync", "calls-marks"}]
    for worker in workers:
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()
    await pilot.pause()
    # The marks are refreshed by a worker the sync starts as it ends.
    for worker in [w for w in pilot.app.screen.workers if w.group == "calls-marks"]:
        await worker.wait()
    await pilot.pause()


async def wait_fetched(screen: CallsBrowserScreen, at_least: int, timeout: float = 10) -> int:
    bar = screen.query_one(SyncProgressBar)
    for _ in range(int(timeout / 0.02)):
        if bar.latest is not None and bar.latest.fetched >= at_least:
            return bar.latest.fetched
        await asyncio.sleep(0.02)
    raise AssertionError(f"the sync did not fetch {at_least} calls in {timeout} s")


async def store_one(server: EmulatorServer, path: Path, session_id: str) -> None:
    credentials = Credentials(email=DEMO_EMAIL, developer_key=SecretStr(DEMO_KEY))
    async with FuseClient(server.base_url, credentials, retries=0) as client:
        fetched = await client.fetch_call(session_id)
    with Archive.open(path) as archive:
        archive.store(fetched, session_id)


# ------------------------------------------------------------------------------------- marks


async def test_archived_calls_are_marked(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    with emulator() as server:
        chosen = available(server)[0]
        await store_one(server, path, chosen)
        app = ScreenHost(browser(server, path))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_calls_loaded(pilot)
            shown = marks(app)
            assert set(shown) == set(in_window(server))
            assert shown[chosen] == "●"
            assert [sid for sid, mark in shown.items() if mark] == [chosen]
            assert ", 1 archived" in status(app)


# -------------------------------------------------------------------------------------- sync


async def test_sync_archives_the_window_byte_identical_and_marks_it(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    with emulator(generated_calls=30, seed=3) as server:
        wanted = available(server)
        assert len(wanted) > 20
        await store_one(server, path, wanted[0])
        app = ScreenHost(browser(server, path))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_calls_loaded(pilot)
            await pilot.press("S")
            await wait_sync(pilot)
            raw = archived_raw(path)
            assert sorted(raw) == sorted(wanted)
            for sid in wanted:
                assert raw[sid] == server.raw_call(DEMO_EMAIL, sid)
            # Every archived row is marked, the others are not.
            assert {sid for sid, m in marks(app).items() if m == "●"} == set(wanted)
            expired = len(in_window(server)) - len(wanted)
            report = (
                f"Sync done: {len(wanted) - 1} fetched, 1 already archived, "
                f"{expired} expired, 0 failed."
            )
            assert status(app) == report
            assert [n.message for n in app._notifications] == [report]
            assert not app.screen.query_one(SyncProgressBar).running
            assert not app.dismissed


async def test_cancelling_keeps_what_was_committed_and_the_ui_responsive(
    tmp_path: Path,
) -> None:
    path = tmp_path / "archive.sqlite"
    # ~5 s of fetching at 8 at a time: Esc must land mid-sync even on a loaded machine (at 60
    # calls and 120 ms, three suites run at once saw the sync end first and Esc leave).
    with emulator(generated_calls=100, seed=5, latency_ms=400) as server:
        wanted = available(server)
        app = ScreenHost(browser(server, path))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_calls_loaded(pilot)
            screen = app.screen
            assert isinstance(screen, CallsBrowserScreen)
            table = screen.query_one("#calls-table", DataTable)
            await pilot.press("S")
            await wait_fetched(screen, 3)
            assert screen.query_one(SyncProgressBar).running
            # Keys still work while the sync runs.
            await pilot.press("down", "down")
            assert table.cursor_row == 2
            await pilot.pause(0.3)  # at least one repaint of the bar
            label = str(screen.query_one("#sync-label", Static).render())
            assert "/" in label and "calls" in label and "ETA" in label and "stops" in label
            await pilot.press("escape")
            await wait_sync(pilot)
            assert not screen.syncing
            assert not app.dismissed  # Esc stopped the sync; it did not leave the screen
            raw = archived_raw(path)
            assert 3 <= len(raw) < len(wanted)
            for sid, body in raw.items():
                assert body == server.raw_call(DEMO_EMAIL, sid)
            assert status(app).startswith("Sync stopped after fetching ")
            assert {sid for sid, m in marks(app).items() if m == "●"} == set(raw)
            # Running it again fetches only the rest.
            server.config.latency_ms = 0
            await pilot.press("S")
            await wait_sync(pilot)
            assert sorted(archived_raw(path)) == sorted(wanted)
            assert f"{len(wanted) - len(raw)} fetched, {len(raw)} already archived" in status(app)


async def test_the_same_key_stops_the_sync(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    # ~2 s of fetching at 8 at a time, so the second S lands mid-sync on a slow machine too.
    with emulator(generated_calls=40, latency_ms=400) as server:
        app = ScreenHost(browser(server, path))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_calls_loaded(pilot)
            screen = app.screen
            assert isinstance(screen, CallsBrowserScreen)
            await pilot.press("S")
            await wait_fetched(screen, 1)
            await pilot.press("S")
            await wait_sync(pilot)
            assert not screen.syncing and status(app).startswith("Sync stopped after fetching ")
            assert len(archived_raw(path)) < len(available(server))


async def test_sync_with_archiving_off_says_so() -> None:
    with emulator() as server:
        app = ScreenHost(browser(server, None))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_calls_loaded(pilot)
            table = app.screen.query_one("#calls-table", DataTable)
            assert "archived" not in [str(c.key.value) for c in table.columns.values()]
            server.clear_requests()
            await pilot.press("S")
            await pilot.pause()
            assert status(app) == ARCHIVE_OFF
            assert [n.message for n in app._notifications] == [ARCHIVE_OFF]
            assert not [w for w in app.screen.workers if w.group == "sync"]
            assert server.requests == []


async def test_a_401_during_the_sync_is_one_sentence_and_keeps_what_was_stored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "archive.sqlite"
    with emulator(generated_calls=60, seed=7, latency_ms=100) as server:
        app = ScreenHost(browser(server, path))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_calls_loaded(pilot)
            screen = app.screen
            assert isinstance(screen, CallsBrowserScreen)
            answered: list[RequestRecord] = []

            def revoke_after_two(record: RequestRecord) -> None:
                # The key is revoked mid-sync, by the server once it has answered two calls:
                # waiting for the UI to show two fetched let a slow machine finish the sync.
                if record.path.startswith("/api/call/") and record.status == 200:
                    answered.append(record)
                    if len(answered) == 2:
                        server.config.accounts[DEMO_EMAIL] = "rotated-key"

            server.on_request = revoke_after_two
            await pilot.press("S")
            await wait_sync(pilot)
            message = status(app)
            assert message.startswith("Sync failed: ") and "(HTTP 401)" in message
            assert "\n" not in message and "Traceback" not in message
            assert DEMO_KEY not in message
            assert app.screen.query_one("#calls-status").has_class("-error")
            (note,) = app._notifications
            assert note.message == message and note.severity == "error" and not note.markup
            raw = archived_raw(path)
            assert len(raw) >= 2
            for sid, body in raw.items():
                assert body == server.raw_call(DEMO_EMAIL, sid)
            assert not screen.query_one(SyncProgressBar).running


async def test_opening_a_call_while_syncing_stops_the_sync(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    with emulator(generated_calls=40, latency_ms=150) as server:
        app = ScreenHost(browser(server, path))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_calls_loaded(pilot)
            screen = app.screen
            assert isinstance(screen, CallsBrowserScreen)
            await pilot.press("S")
            await wait_fetched(screen, 1)
            first = screen.highlighted_session()
            await pilot.press("enter")
            await pilot.pause(0.3)
            assert app.result == first
            assert any(
                n.message.startswith("Sync stopped after fetching ") for n in app._notifications
            )


async def test_the_palette_offers_the_sync_on_the_calls_browser(tmp_path: Path) -> None:
    from fuse_tui.ui.commands import FuseCommands

    path = tmp_path / "archive.sqlite"
    with emulator() as server:
        app = ScreenHost(browser(server, path))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_calls_loaded(pilot)
            provider = FuseCommands(app.screen)
            hits = [hit async for hit in provider.discover()]
            (sync,) = [h for h in hits if h.text == "Sync shown calls to the archive"]
            assert sync.help is not None and sync.help.endswith("(S)")
            await sync.command()
            await wait_sync(pilot)
            assert sorted(archived_raw(path)) == sorted(available(server))


# ------------------------------------------------------------------------------- in the app


@pytest.fixture
def live_emulator() -> Iterator[EmulatorServer]:
    """On the real clock: the app's calls browser asks for the last 24 h of *now*."""
    with EmulatorServer(EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY})) as server:
        yield server


async def _open_browser(pilot: Pilot[Any], key: str | None = None) -> CallsBrowserScreen:
    """Open the calls browser with ``key`` (as a user would) or its app action."""
    await pilot.pause()
    if key is None:
        pilot.app.action_calls_browser()  # type: ignore[attr-defined]
    else:
        await pilot.press(key)
    await wait_calls_loaded(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CallsBrowserScreen)
    return screen


async def test_in_the_app_a_fetched_call_is_marked_and_a_sync_marks_the_rest(
    make_app: Any, live_emulator: EmulatorServer, tmp_path: Path
) -> None:
    path = tmp_path / "archive.sqlite"
    app = make_app(server=live_emulator, archive_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_browser(pilot)
        first = screen.highlighted_session()
        assert first is not None and set(marks(app).values()) == {""}
        await pilot.press("enter")  # open the newest call: fetched and archived
        for _ in range(100):
            if path.exists() and archived_raw(path):
                break
            await pilot.pause(0.05)
        assert app.main.active_view is not None
        screen = await _open_browser(pilot, "b")  # back to the browser: the call is marked
        shown = marks(app)
        assert shown[first] == "●" and sum(1 for m in shown.values() if m) == 1
        await pilot.press("S")
        await wait_sync(pilot)
        shown = marks(app)
        with_log = {c.session_id for c in live_emulator.calls_for(DEMO_EMAIL) if c.log}
        assert {sid for sid, m in shown.items() if m} == set(shown) & with_log
        assert set(archived_raw(path)) >= set(shown) & with_log


async def test_in_the_app_without_archive_there_is_no_column_and_s_says_off(
    make_app: Any, live_emulator: EmulatorServer
) -> None:
    app = make_app(server=live_emulator, archive_path=None)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_browser(pilot)
        table = screen.query_one("#calls-table", DataTable)
        assert "archived" not in [str(c.key.value) for c in table.columns.values()]
        await pilot.press("S")
        await pilot.pause()
        assert screen.sync_message == ARCHIVE_OFF


# ----------------------------------------------------------------------------------- texts


def test_eta_and_progress_text() -> None:
    assert format_eta(None) == "—"
    assert format_eta(75) == "1:15"
    assert format_eta(3725) == "1:02:05"
    progress = SyncProgress(total=40, fetched=10, already_archived=2, started=0.0, now=5.0)
    text = progress_text(progress, "S/Esc").plain
    assert text == "12/40 calls · 2.0/s · ETA 0:14 · S/Esc stops"
    progress.waiting_for_rate_limit = True
    assert "rate limited" in progress_text(progress, "Esc").plain


def test_the_report_quotes_the_first_failures_on_one_safe_line() -> None:
    failures = [
        SyncFailure(f"s{i}", "server", f"Fuse answered 500\n[red]x{i}[/red]") for i in range(5)
    ]
    report = SyncReport(listed=9, fetched=["a", "b"], already_archived=1, failed=failures)
    report.expired.append(SyncFailure("old", "expired", "gone"))
    text = sync_report_text(report)
    assert text.startswith("Sync done: 2 fetched, 1 already archived, 1 expired, 5 failed.")
    assert "s0: Fuse answered 500 [red]x0[/red]" in text and "s2:" in text and "s3:" not in text
    assert text.endswith("(and 2 more).") and "\n" not in text
    assert sync_report_text(SyncReport()) == "Sync done: no calls in this window."


# ------------------------------------------------------------------------- help, bar, archive


async def test_the_key_is_in_the_help_with_its_id(tmp_path: Path) -> None:
    from fuse_tui.ui.screens.help import bindings_help

    with emulator() as server:
        app = ScreenHost(browser(server, tmp_path / "archive.sqlite"))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_calls_loaded(pilot)
            groups = {title: dict(keys) for title, keys in bindings_help(app)}  # type: ignore[arg-type]
            assert groups["Calls browser"]["S"] == "Sync"
            ids = {b.id for _key, b in app.screen._bindings}
            assert "calls.sync_archive" in ids


async def test_progress_is_painted_a_few_times_a_second_not_per_call() -> None:
    from textual.app import App, ComposeResult

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield SyncProgressBar(stop_keys="Esc")

    app = Host()
    async with app.run_test() as pilot:
        bar = app.query_one(SyncProgressBar)
        bar.begin("the last hour")
        label = bar.query_one("#sync-label", Static)
        painted: list[str] = []
        original = label.update

        def update(content: Any = "", **kw: Any) -> None:
            painted.append(str(content))
            original(content, **kw)

        label.update = update  # type: ignore[method-assign]
        for done in range(1, 501):
            bar.post(SyncProgress(total=500, fetched=done, started=0.0, now=done / 100))
        assert painted == []  # posting is cheap: nothing drawn yet
        await pilot.pause(0.5)
        assert 1 <= len(painted) <= 3
        assert painted[-1].startswith("500/500 calls")
        bar.end()
        assert not bar.running


async def test_a_foreign_archive_file_is_one_sentence_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite"
    path.write_bytes(b"not a database at all, just someone's notes\n" * 10)
    before = path.read_bytes()
    with emulator() as server:
        app = ScreenHost(browser(server, path))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_calls_loaded(pilot)
            assert set(marks(app).values()) == {""}
            await pilot.press("S")
            await wait_sync(pilot)
            message = status(app)
            assert message.startswith("Sync failed: ") and str(path) in message
            assert "Traceback" not in message and "\n" not in message
    assert path.read_bytes() == before


async def test_a_call_opened_from_the_browser_is_archived_with_what_the_listing_said(
    make_app: Any, live_emulator: EmulatorServer, tmp_path: Path
) -> None:
    from fuse_tui.core.archive import Archive

    path = tmp_path / "archive.sqlite"
    app = make_app(server=live_emulator, archive_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_browser(pilot)
        first = screen.highlighted_session()
        listed = next(c for c in screen.calls if c.session_id == first)
        await pilot.press("enter")
        for _ in range(100):
            if path.exists() and archived_raw(path):
                break
            await pilot.pause(0.05)
    with Archive.open(path) as archive:
        stored = archive.get(first)
    assert stored is not None
    assert (stored.meta.get("src"), stored.meta.get("dest")) == (listed.src, listed.dest)
    assert stored.meta.get("start") == listed.start
