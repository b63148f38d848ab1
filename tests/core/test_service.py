"""The one service both front ends use: fetch with the archive fallback, listings, sync.

Against the emulator over real loopback HTTP and a real archive file.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from fuse_tui.core.archive import Archive, ArchiveError
from fuse_tui.core.client_errors import AuthError, MissingCredentialsError, NotFoundError
from fuse_tui.core.service import FuseService, shows_archived_copy
from fuse_tui.core.settings import Settings
from fuse_tui.emulator import EmulatorServer
from tests.client.conftest import EMAIL, KEY, NOW

__all__ = ["start_emulator"]  # a fixture, imported so pytest finds it here
from tests.client.conftest import start_emulator


def _settings(server: EmulatorServer | str, archive: Path | None, **update: Any) -> Settings:
    base_url = server if isinstance(server, str) else server.base_url
    values: dict[str, Any] = {
        "base_url": base_url,
        "email": EMAIL,
        "developer_key": SecretStr(KEY),
        "timeout": 5.0,
        "retries": 0,
        "archive_path": archive,
        "archive_enabled": archive is not None,
    }
    values.update(update)
    return Settings(**values)


def _live_and_expired(server: EmulatorServer) -> tuple[str, str]:
    calls = server.calls_for(EMAIL)
    live = next(c.session_id for c in calls if c.log)
    expired = next(c.session_id for c in calls if c.log is False)
    return live, expired


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"


@pytest.fixture
def emulator(start_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return start_emulator()


async def test_a_fetch_is_archived_and_needs_no_note(emulator: EmulatorServer, tmp_path: Path):
    live, _ = _live_and_expired(emulator)
    archive = tmp_path / "a.sqlite3"
    async with FuseService(_settings(emulator, archive)) as service:
        result = await service.fetch(live)
    assert not result.from_archive and result.note is None and result.warning is None
    assert result.fetched.log.entries
    with Archive.open(archive) as opened:
        assert opened.get(live) is not None


async def test_when_fuse_no_longer_has_the_log_the_archived_copy_is_shown(
    emulator: EmulatorServer, start_emulator: Callable[..., EmulatorServer], tmp_path: Path
):
    live, _ = _live_and_expired(emulator)
    archive = tmp_path / "a.sqlite3"
    async with FuseService(_settings(emulator, archive)) as service:
        first = await service.fetch(live)
    other = start_emulator(samples=False)  # a server that has never heard of the call
    async with FuseService(_settings(other, archive)) as service:
        result = await service.fetch(live)
    assert result.from_archive
    assert "local archive" in (result.note or "")
    assert result.fetched.log.entries == first.fetched.log.entries


async def test_an_unreachable_fuse_falls_back_and_says_why(emulator, tmp_path: Path):
    live, _ = _live_and_expired(emulator)
    archive = tmp_path / "a.sqlite3"
    async with FuseService(_settings(emulator, archive)) as service:
        await service.fetch(live)
    async with FuseService(_settings(_closed_port_url(), archive)) as service:
        result = await service.fetch(live)
    assert result.from_archive
    assert "Cannot connect" in (result.note or "")


async def test_wrong_credentials_are_shown_never_hidden_by_an_old_copy(emulator, tmp_path: Path):
    live, _ = _live_and_expired(emulator)
    archive = tmp_path / "a.sqlite3"
    async with FuseService(_settings(emulator, archive)) as service:
        await service.fetch(live)
    wrong = _settings(emulator, archive, developer_key=SecretStr("not-the-key"))
    async with FuseService(wrong) as service:
        with pytest.raises(AuthError):
            await service.fetch(live)


async def test_without_credentials_an_archived_call_still_opens(emulator, tmp_path: Path):
    live, _ = _live_and_expired(emulator)
    archive = tmp_path / "a.sqlite3"
    async with FuseService(_settings(emulator, archive)) as service:
        await service.fetch(live)
    keyless = _settings(emulator, archive, email=None, developer_key=None)
    async with FuseService(keyless) as service:
        result = await service.fetch(live)
        assert result.from_archive
        assert service.open_archived(live) is not None
        with pytest.raises(MissingCredentialsError):
            await service.fetch("300060;999;1")  # nothing archived: the error is the answer


async def test_no_copy_means_the_error_itself(emulator: EmulatorServer, tmp_path: Path):
    async with FuseService(_settings(emulator, tmp_path / "a.sqlite3")) as service:
        with pytest.raises(NotFoundError):
            await service.fetch("300060;999;1")


async def test_with_archiving_off_nothing_is_stored_or_read(emulator, tmp_path: Path):
    live, _ = _live_and_expired(emulator)
    async with FuseService(_settings(emulator, None)) as service:
        assert service.archive_path is None
        result = await service.fetch(live)
        assert result.warning is None and not result.from_archive
        assert service.open_archived(live) is None
        assert service.archived_ids() == set()
        with pytest.raises(ArchiveError):
            await service.sync(NOW - 86400, NOW)
    assert not list(tmp_path.iterdir())


async def test_a_sync_fills_the_archive_and_reports(emulator, tmp_path: Path):
    archive = tmp_path / "a.sqlite3"
    async with FuseService(_settings(emulator, archive)) as service:
        report = await service.sync(NOW - 5 * 86400, NOW + 1)
        assert report.fetched
        assert service.archived_ids() >= {call for call in report.fetched}


async def test_listing_reads_a_number_as_people_type_it(emulator: EmulatorServer, tmp_path: Path):
    async with FuseService(_settings(emulator, None)) as service:
        typed = [
            c.session_id
            async for c in service.list_calls(NOW - 86400, NOW + 1, "+1 (617) 555-0142")
        ]
        plain = [c.session_id async for c in service.list_calls(NOW - 86400, NOW + 1, "6175550142")]
    assert typed and typed == plain


async def test_one_request_costs_at_most_one_plus_the_settings_retries(
    start_emulator: Callable[..., EmulatorServer], tmp_path: Path
):
    seen: list[object] = []
    server = start_emulator(fail_rate=1.0)
    server.on_request = seen.append
    async with FuseService(_settings(server, None, retries=1)) as service:
        with pytest.raises(Exception):  # noqa: B017 - any failure; the count is the point
            await service.fetch("300060;001;1")
    assert len(seen) == 2


async def test_new_credentials_take_effect_and_the_key_never_shows(emulator, tmp_path: Path):
    live, _ = _live_and_expired(emulator)
    service = FuseService(_settings(emulator, None, developer_key=SecretStr("wrong")))
    try:
        with pytest.raises(AuthError):
            await service.fetch(live)
        service.set_credentials(EMAIL, SecretStr(KEY))
        assert (await service.fetch(live)).fetched.log.entries
        assert KEY not in repr(service) and "wrong" not in repr(service)
    finally:
        await service.aclose()


def test_the_fallback_policy_by_kind() -> None:
    assert shows_archived_copy(NotFoundError("gone"))
    assert shows_archived_copy(MissingCredentialsError("developer key"))
    assert not shows_archived_copy(AuthError(EMAIL))
    assert not shows_archived_copy(ValueError("not a Fuse error"))


def test_a_number_with_no_digit_is_refused_not_dropped() -> None:
    from fuse_tui.core.service import wanted_number

    assert wanted_number("+1 (617) 555-0142") == "6175550142"
    assert wanted_number(None) is None and wanted_number("  ") is None
    with pytest.raises(ValueError, match="no digits"):
        wanted_number("abc")
    # Dropped, it would have listed every call of the window.
    with pytest.raises(ValueError, match="no digits"):
        FuseService(Settings()).list_calls(0, 1, "call me")


def test_the_timeout_default_is_defined_once() -> None:
    from fuse_tui.core.limits import DEFAULT_TIMEOUT_SECONDS
    from fuse_tui.core.service import client_options

    settings = Settings(email=EMAIL, developer_key=SecretStr(KEY))
    assert settings.timeout == DEFAULT_TIMEOUT_SECONDS
    assert client_options(settings)["timeout"] == DEFAULT_TIMEOUT_SECONDS


def test_marks_are_kept_in_the_archive_under_the_normal_session_id(tmp_path: Path) -> None:
    service = FuseService(_settings("http://127.0.0.1:9/api", tmp_path / "a.sqlite3"))
    assert service.marks("300060;001;1") == []
    assert service.save_marks('"300060;001;1"', [3, 1]) is None  # pasted with quotes
    assert service.marks("300060;001;1") == [1, 3]


def test_marks_without_an_archive_say_why_they_are_not_kept() -> None:
    service = FuseService(_settings("http://127.0.0.1:9/api", None))
    assert "archiving is off" in (service.save_marks("300060;001;1", [1]) or "")
    assert service.marks("300060;001;1") == []
