"""What the screens ask of the outside world: the Fuse API and the local archive.

Plain functions of a :class:`UiConfig`, so the app stays wiring and the screens stay UI. Archive
helpers never raise: the archive is a convenience around the API, not a reason to fail.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from fuse_tui.core.model import CallLog, CallSummary
from fuse_tui.ui.config import UiConfig

if TYPE_CHECKING:
    from fuse_tui.core.client import FuseClient
    from fuse_tui.core.sync import ProgressCallback, SyncReport


def client_options(config: UiConfig) -> dict[str, Any]:
    """Keyword arguments for ``FuseClient`` from the config (the key stays a SecretStr)."""
    from fuse_tui.core.client import Credentials

    credentials = Credentials(email=config.email or "", developer_key=config.developer_key)
    options: dict[str, Any] = {
        "base_url": config.base_url,
        "credentials": credentials,
        "timeout": config.timeout,
        "insecure_http": config.insecure_http,
        "ca_bundle": config.ca_bundle,
    }
    if config.retries is not None:  # else the client's one default, the same as the CLI's
        options["retries"] = config.retries
    return options


class SharedClient:
    """The app run's one FuseClient, so every fetch, listing and sync reuses one connection pool.

    A new client is made only when the settings it was made from change (new credentials via
    K, say); a retired client may still serve a running sync, so all are closed at exit only.
    """

    def __init__(self) -> None:
        self._client: FuseClient | None = None
        self._made_from: tuple[Any, ...] | None = None
        self._retired: list[FuseClient] = []

    def get(self, config: UiConfig) -> FuseClient:
        from fuse_tui.core.client import FuseClient

        options = client_options(config)
        # SecretStr compares by value and never shows it: safe in a tuple kept here.
        made_from = (
            *sorted((k, v) for k, v in options.items() if k != "credentials"),
            options["credentials"].email,
            options["credentials"].developer_key,
        )
        if self._client is None or made_from != self._made_from:
            client = FuseClient(**options)  # may raise: missing credentials, plain http…
            if self._client is not None:
                self._retired.append(self._client)
            self._client, self._made_from = client, made_from
        return self._client

    async def aclose(self) -> None:
        clients = [*self._retired, *([self._client] if self._client else [])]
        self._client, self._made_from, self._retired = None, None, []
        for client in clients:
            with contextlib.suppress(Exception):
                await client.aclose()


@contextlib.asynccontextmanager
async def fuse_client(config: UiConfig, shared: SharedClient | None) -> AsyncIterator[FuseClient]:
    """The shared client when the app has one; else (tests, scripts) one closed afterwards."""
    if shared is not None:
        yield shared.get(config)
        return
    from fuse_tui.core.client import FuseClient

    async with FuseClient(**client_options(config)) as client:
        yield client


def list_calls(
    config: UiConfig,
    start: int,
    end: int,
    number: str | None,
    shared: SharedClient | None = None,
) -> AsyncIterator[CallSummary]:
    """``/api/calls`` for a window, paged invisibly (what the calls browser is given)."""

    async def calls() -> AsyncIterator[CallSummary]:
        async with fuse_client(config, shared) as client:
            async for call in client.list_calls(start, end, number):
                yield call

    return calls()


def archive_store(
    config: UiConfig, fetched: Any, session_id: str, listed: CallSummary | None = None
) -> str | None:
    """Archive a fetched call (with what a listing said of it); a one-line warning, else None."""
    if config.archive_path is None:
        return None
    from fuse_tui.core.archive import archive_fetched

    return archive_fetched(config.archive_path, fetched, session_id, listed)


def archive_get(config: UiConfig, session_id: str) -> CallLog | None:
    """The archived copy of a call, or None (no archive, not archived, unreadable)."""
    if config.archive_path is None or not config.archive_path.exists():
        return None
    try:
        from fuse_tui.core.archive import Archive

        with Archive.open(config.archive_path) as archive:
            found = archive.get(session_id)
            return found.log if found is not None else None
    except Exception:
        return None


def archived_ids(config: UiConfig) -> set[str]:
    """Session IDs present in the archive (for the calls browser's "archived" column)."""
    if config.archive_path is None or not config.archive_path.exists():
        return set()
    try:
        from fuse_tui.core.archive import Archive

        with Archive.open(config.archive_path) as archive:
            return set(archive.archived_ids())
    except Exception:
        return set()


class ArchivedIds:
    """ "Is this call archived?" for the calls browser's Arch column; ``reload()`` re-reads it.

    Starts empty: the browser reloads it in a thread, so opening the browser never waits on
    SQLite.
    """

    def __init__(self, config: UiConfig) -> None:
        self._config = config
        self.ids: set[str] = set()

    def __call__(self, session_id: str) -> bool:
        return session_id in self.ids

    def reload(self) -> None:
        self.ids = archived_ids(self._config)


async def sync_window(
    config: UiConfig,
    start: int,
    end: int,
    number: str | None,
    progress: ProgressCallback,
    shared: SharedClient | None = None,
) -> SyncReport:
    """Archive every call log of ``[start, end)`` (and ``number``) not archived yet.

    Raises what ``sync_archive`` raises (AuthError, ArchiveError, the listing's error); cancelling
    stops it, and what was stored before stays committed.
    """
    from fuse_tui.core.archive import Archive
    from fuse_tui.core.sync import sync_archive

    if config.archive_path is None:
        raise ValueError("archiving is off")
    archive = await asyncio.to_thread(Archive.open, config.archive_path)
    try:
        async with fuse_client(config, shared) as client:
            return await sync_archive(client, archive, start, end, number=number, progress=progress)
    finally:
        # In a thread: close() waits for a store still running in another thread to commit.
        await asyncio.to_thread(archive.close)
