"""One path from the settings to Fuse and the archive, for the CLI and the TUI alike.

Every front end turns what the user typed into calls on a :class:`FuseService` and its results
into output; none builds a client, finds the archive or decides about the archived copy itself.

The archive fallback, decided here once (:func:`shows_archived_copy`): when Fuse cannot give a
call's log — it no longer has it (expired, not found), it cannot be reached or is failing (network,
timeout, 5xx, 429 after the retries, an answer that is not Fuse's), or there are no credentials to
ask it with — and the local archive holds a copy, the copy is shown with a note saying so and
why. After a refused request (wrong credentials, plain http refused, an invalid ID) the error is
shown instead: that needs fixing, and an old copy would hide it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuse_tui.core.client_errors import FuseError
from fuse_tui.core.logsetup import remember_credentials
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timestamps import format_timestamp

log = logging.getLogger("fuse_tui.service")

if TYPE_CHECKING:  # httpx and the archive's SQLite are imported when first used
    from pydantic import SecretStr

    from fuse_tui.core.archive import ArchivedCall
    from fuse_tui.core.client import FetchedCall, FuseClient
    from fuse_tui.core.model import CallSummary
    from fuse_tui.core.settings import Settings
    from fuse_tui.core.sync import ProgressCallback, SyncReport

# Why Fuse could not give the log, when the archived copy is the answer (see the module docstring).
FALLBACK_KINDS = frozenset(
    {
        "expired",
        "not_found",
        "network",
        "timeout",
        "server",
        "rate_limited",
        "bad_answer",
        "credentials",
    }
)


def shows_archived_copy(error: BaseException) -> bool:
    """Whether a failed fetch shows the archived copy (when there is one) instead of the error."""
    return isinstance(error, FuseError) and error.kind in FALLBACK_KINDS


@dataclass(frozen=True)
class FetchResult:
    """A call's log as fetched from Fuse, or the archived copy shown in its place."""

    fetched: FetchedCall
    # Set when this is the archived copy: one sentence saying why and from when.
    note: str | None = None
    # Set when a fresh answer could not be archived ("not archived: …"); the fetch still worked.
    warning: str | None = None

    @property
    def from_archive(self) -> bool:
        return self.note is not None


def wanted_number(typed: str | None) -> str | None:
    """A number filter as Fuse lists numbers (``+1 (617) 555-0142`` → ``6175550142``); None for
    no filter. Text with no digit at all raises ValueError: dropping it would list every call."""
    from fuse_tui.core.phone import normalize_number

    if typed is None or not typed.strip():
        return None
    wanted = normalize_number(typed)
    if wanted is None:
        raise ValueError(
            f"{escape_control(typed.strip())!r} is not a phone number: it has no digits"
        )
    return wanted


def client_options(settings: Settings) -> dict[str, Any]:
    """``FuseClient`` keyword arguments from settings: the one place they are translated."""
    return {
        "base_url": settings.base_url,
        "credentials": settings.credentials(),
        "timeout": settings.timeout,
        "retries": settings.retries,
        "insecure_http": settings.insecure_http,
        "ca_bundle": settings.ca_bundle,
    }


class FuseService:
    """The Fuse API and the local archive behind one object, built from :class:`Settings`.

    One client per service (one connection pool for every fetch, listing and sync of a run),
    made when first needed, so commands that never talk to Fuse never import httpx. Use
    ``async with`` or :meth:`aclose` to close it.
    """

    def __init__(self, settings: Settings) -> None:
        remember_credentials(settings.email, settings.developer_key)  # scrubbed from every log
        self._settings = settings
        self._client: FuseClient | None = None
        # Clients replaced by new credentials may still serve a running sync: closed at the end.
        self._retired: list[FuseClient] = []

    def __repr__(self) -> str:  # the settings' repr hides the key; keep it that way here
        return f"FuseService(base_url={self._settings.base_url!r})"

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def archive_path(self) -> Path | None:
        """The archive file, or None when archiving is off (``--no-archive``)."""
        from fuse_tui.core.archive import resolve_archive_path  # sqlite and the archive: on use

        return resolve_archive_path(self._settings)

    @property
    def has_credentials(self) -> bool:
        return bool(self._settings.email) and self._settings.developer_key is not None

    def set_credentials(self, email: str, developer_key: SecretStr) -> None:
        """Use new credentials from now on (the TUI's credentials dialog)."""
        remember_credentials(email, developer_key)
        self._settings = self._settings.model_copy(
            update={"email": email, "developer_key": developer_key}
        )
        if self._client is not None:
            self._retired.append(self._client)
            self._client = None

    # -- the API --------------------------------------------------------------------------------
    def client(self) -> FuseClient:
        """The service's client; raises the client's one-sentence errors (no credentials, plain
        http refused, a bad CA bundle…)."""
        if self._client is None:
            from fuse_tui.core.client import FuseClient

            self._client = FuseClient(**client_options(self._settings))
        return self._client

    async def aclose(self) -> None:
        clients = [*self._retired, *([self._client] if self._client else [])]
        self._client, self._retired = None, []
        for client in clients:
            with contextlib.suppress(Exception):
                await client.aclose()

    async def __aenter__(self) -> FuseService:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def fetch(
        self, session_id: str, fmt: str = "json", *, listed: CallSummary | None = None
    ) -> FetchResult:
        """Fetch one call log and archive it; when Fuse cannot give it, the archived copy.

        ``listed`` is what a calls listing said of the call (kept in the archive with it).
        Raises the client's error when there is no archived copy or the policy says the error
        must be seen (:func:`shows_archived_copy`).
        """
        try:
            fetched = await self.client().fetch_call(session_id, fmt=fmt)
        except FuseError as exc:
            if not shows_archived_copy(exc):
                log.info(
                    "fetch of %s failed (%s); no fallback for this error", session_id, exc.kind
                )
                raise
            archived = await asyncio.to_thread(self.archived_copy, session_id, fmt)
            if archived is None:
                log.info("fetch of %s failed (%s) and it is not archived", session_id, exc.kind)
                raise
            log.info("fetch of %s failed (%s): using the archived copy", session_id, exc.kind)
            why = escape_control(str(exc))
            return FetchResult(archived.fetched, note=f"{why} {archived.note}")
        warning = await asyncio.to_thread(
            self.store, fetched, fetched.session_id or session_id, listed
        )
        if warning:
            log.info("fetched %s but could not archive it: %s", session_id, warning)
        return FetchResult(fetched, warning=warning)

    def list_calls(
        self, start: int, end: int, number: str | None = None
    ) -> AsyncIterator[CallSummary]:
        """``/api/calls`` for ``[start, end)``, paged invisibly; ``number`` as a person types it
        (ValueError when it has no digits, see :func:`wanted_number`)."""
        wanted = wanted_number(number)

        async def calls() -> AsyncIterator[CallSummary]:
            async for call in self.client().list_calls(start, end, wanted):
                yield call

        return calls()

    async def sync(
        self,
        start: int,
        end: int,
        *,
        number: str | None = None,
        concurrency: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> SyncReport:
        """Archive every call log of ``[start, end)`` (and ``number``) not archived yet.

        Raises ``ArchiveError`` when archiving is off or the archive cannot be opened, and what
        the sync cannot get past (bad credentials, the listing's error). Cancelling stops it;
        what was stored stays committed.
        """
        from fuse_tui.core.archive import Archive, ArchiveError
        from fuse_tui.core.limits import DEFAULT_SYNC_CONCURRENCY
        from fuse_tui.core.sync import sync_archive

        wanted = wanted_number(number)
        path = self.archive_path
        if path is None:
            raise ArchiveError("Archiving is off (--no-archive): there is nothing to sync into.")
        client = self.client()
        archive = await asyncio.to_thread(Archive.open, path)
        try:
            return await sync_archive(
                client,
                archive,
                start,
                end,
                number=wanted,
                concurrency=concurrency or DEFAULT_SYNC_CONCURRENCY,
                progress=progress,
            )
        finally:
            # In a thread: close() waits for a store still running in another thread to commit.
            await asyncio.to_thread(archive.close)

    # -- the archive ----------------------------------------------------------------------------
    def store(
        self, fetched: FetchedCall, session_id: str, listed: CallSummary | None = None
    ) -> str | None:
        """Archive a fetched call; a one-line warning when that failed (never raises)."""
        path = self.archive_path
        if path is None:
            return None
        from fuse_tui.core.archive import archive_fetched

        return archive_fetched(path, fetched, session_id, listed)

    def open_archived(self, session_id: str) -> ArchivedCall | None:
        """The archived call, or None: no archive, not archived, or unreadable. No credentials
        are needed, nothing is fetched."""
        from fuse_tui.core.archive import Archive, ArchiveError
        from fuse_tui.core.session_id import normalize_session_id

        path = self.archive_path
        if path is None or not path.exists():
            return None
        try:
            with Archive.open(path) as archive:
                return archive.get(normalize_session_id(session_id))
        except (ArchiveError, ValueError):
            return None

    def archived_copy(self, session_id: str, fmt: str = "json") -> FetchResult | None:
        """The archived call as a :class:`FetchResult` in ``fmt`` with a note saying so."""
        from fuse_tui.core.client import FetchedCall
        from fuse_tui.core.formats import dump_json, dump_xml

        found = self.open_archived(session_id)
        if found is None:
            return None
        when = format_timestamp(found.fetched_at, "%Y-%m-%d %H:%M")
        note = f"Using the copy in the local archive, fetched {when}."
        raw = found.raw
        if found.format != fmt:  # the archive keeps the served format; convert for the ask
            raw = dump_xml(found.log) if fmt == "xml" else dump_json(found.log)
            note += f" (archived as {found.format}, converted to {fmt})"
        content_type = "application/xml" if fmt == "xml" else "application/json"
        fetched = FetchedCall(raw, fmt, content_type, found.log, session_id=found.session_id)
        return FetchResult(fetched, note=note)

    def archived_ids(self) -> set[str]:
        """Session IDs in the archive (empty when there is none or it cannot be read)."""
        from fuse_tui.core.archive import Archive, ArchiveError

        path = self.archive_path
        if path is None or not path.exists():
            return set()
        try:
            with Archive.open(path) as archive:
                return set(archive.archived_ids())
        except (ArchiveError, ValueError):
            return set()

    # -- marks ------------------------------------------------------------------------------------
    def marks(self, session_id: str) -> list[int]:
        """The events marked in this call (positions, 0-based), as saved in the archive; empty
        when nothing is saved, archiving is off or the archive cannot be read."""
        from fuse_tui.core.archive import Archive, ArchiveError
        from fuse_tui.core.session_id import normalize_session_id

        path = self.archive_path
        if path is None or not path.exists():
            return []
        try:
            with Archive.open(path) as archive:
                return archive.marks(normalize_session_id(session_id))
        except (ArchiveError, ValueError):
            return []

    def save_marks(self, session_id: str, seqs: Iterable[int]) -> str | None:
        """Keep this call's marks in the archive; None when kept, else why not (one sentence)."""
        from fuse_tui.core.archive import Archive, ArchiveError
        from fuse_tui.core.session_id import normalize_session_id

        path = self.archive_path
        if path is None:
            return "Marks are not kept: archiving is off (--no-archive)."
        try:
            with Archive.open(path) as archive:
                archive.set_marks(normalize_session_id(session_id), seqs)
        except (ArchiveError, ValueError) as exc:
            return f"Marks could not be kept in the archive: {exc}"
        return None
