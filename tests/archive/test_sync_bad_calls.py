"""One bad call never sinks a batch: it is reported as failed with its reason, the rest archived.

Bad calls served by the real emulator: answers whose XML prolog names a codec no reader can use
(``idna``, ``punycode``, ``undefined``), a body of binary junk, and a session ID too long for any
URL (``httpx.InvalidURL: URL too long`` used to end the whole sync).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from fuse_tui.cli import main
from fuse_tui.core.archive import Archive, ArchiveError
from fuse_tui.core.client import (
    Credentials,
    FuseClient,
    InvalidRequestError,
    NotFuseAnswerError,
)
from fuse_tui.core.sync import sync_archive
from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY, EmulatorConfig, EmulatorServer

NOW = 1_750_000_000
WINDOW = (NOW - 86400, NOW + 1)
GOOD = ["300060;001;1", "300060;002;1", "300060;003;1"]
LONG_ID = "300060;" + "9" * 70_000  # httpx refuses URLs over 65,536 characters
BAD_PROLOG = {
    f"300060;{codec};1": (
        f'<?xml version="1.0" encoding="{codec}"?>'
        "<logs><log><event><line>x\x80</line></event><class>info</class>"
        "<timestamp>1749999000</timestamp></log></logs>"
    ).encode("latin-1")
    for codec in ("idna", "punycode", "undefined")
}
JUNK_ID = "300060;junk;1"
JUNK = b"\x00\xff\xfe\x89PNG\r\n\x1a\n" * 20


def entries(line: str) -> list[dict[str, Any]]:
    return [{"event": {"line": line}, "class": "info", "timestamp": NOW - 3600}]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmulatorServer]:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    calls = [*GOOD, *BAD_PROLOG, JUNK_ID, LONG_ID]
    document = {
        "calls": [
            {
                "session_id": sid,
                "src": "6175550123",
                "dest": "8005551234",
                "start": str(NOW - 3600),
                "end": str(NOW - 3500),
                "detail": entries(f"call {n}"),
            }
            for n, sid in enumerate(calls)
        ]
    }
    (fixtures / "window.json").write_text(json.dumps(document))
    emulator = EmulatorServer(EmulatorConfig(now=NOW, fixtures_dir=fixtures)).start()
    # Fixture files must read to be served; these answers must not, so they replace the bytes
    # the emulator replays for those calls.
    for sid, body in [*BAD_PROLOG.items(), (JUNK_ID, JUNK)]:
        stored = emulator.store.find(DEMO_EMAIL, sid)
        assert stored is not None
        stored.raw["json"] = body
    yield emulator
    emulator.stop()


def client_for(server: EmulatorServer, retries: int = 1) -> FuseClient:
    credentials = Credentials(email=DEMO_EMAIL, developer_key=SecretStr(DEMO_KEY))
    return FuseClient(
        server.base_url, credentials, retries=retries, backoff_base=0.001, trust_env=False
    )


async def test_bad_calls_fail_alone_and_the_rest_is_archived(
    server: EmulatorServer, archive: Archive
) -> None:
    async with client_for(server) as client:
        report = await sync_archive(client, archive, *WINDOW)
    assert sorted(report.fetched) == sorted(GOOD)
    assert archive.archived_ids() == set(GOOD)
    failed = {f.session_id: f for f in report.failed}
    assert set(failed) == {*BAD_PROLOG, JUNK_ID, LONG_ID}
    assert failed[LONG_ID].kind == "invalid_request"
    assert "no request URL can carry it" in failed[LONG_ID].reason
    assert len(failed[LONG_ID].reason) < 400  # the ID is clipped, not repeated whole
    for sid in BAD_PROLOG:
        assert failed[sid].kind == "bad_answer"
        assert "cannot be read" in failed[sid].reason
    assert failed[JUNK_ID].kind == "bad_answer"
    assert all("\n" not in f.reason for f in report.failed)


async def test_a_single_fetch_of_a_bad_call_is_one_typed_sentence(
    server: EmulatorServer,
) -> None:
    async with client_for(server, retries=3) as client:
        with pytest.raises(InvalidRequestError) as too_long:
            await client.fetch_call(LONG_ID)
        with pytest.raises(NotFuseAnswerError) as unreadable:
            await client.fetch_call("300060;idna;1")
    assert not too_long.value.retryable and not unreadable.value.retryable
    calls = [r.path for r in server.requests if r.path.startswith("/api/call/")]
    assert calls.count("/api/call/300060%3Bidna%3B1") == 1  # decoding it again won't help
    assert not any("9999" in path for path in calls)  # the long ID never left the machine


@pytest.mark.parametrize(
    "session_id", [LONG_ID, "300060;punycode;1"], ids=["too-long-id", "punycode-prolog"]
)
def test_get_of_a_bad_call_prints_one_clean_line(
    server: EmulatorServer,
    session_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("FUSE_BASE_URL", server.base_url)
    monkeypatch.setenv("FUSE_EMAIL", DEMO_EMAIL)
    monkeypatch.setenv("FUSE_DEVELOPER_KEY", DEMO_KEY)
    monkeypatch.setenv("NO_PROXY", "*")
    assert main(["get", session_id, "--no-archive"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: ") and err.count("\n") == 1
    assert "Traceback" not in err and len(err) < 500


class FailsToStore(Archive):
    """The real archive, except that storing one chosen call fails as given."""

    fail_for: str = ""
    error: Exception = RuntimeError("unexpected")

    def store(self, fetched: Any, session_id: str, *args: Any, **kwargs: Any) -> None:
        if session_id == self.fail_for:
            raise self.error
        super().store(fetched, session_id, *args, **kwargs)


async def test_a_call_that_cannot_be_stored_fails_alone(
    server: EmulatorServer, tmp_path: Path
) -> None:
    with FailsToStore.open(tmp_path / "a.sqlite3") as archive:
        assert isinstance(archive, FailsToStore)
        archive.fail_for = GOOD[1]
        archive.error = ValueError("this log cannot be indexed")
        async with client_for(server) as client:
            report = await sync_archive(client, archive, *WINDOW)
        assert sorted(report.fetched) == [GOOD[0], GOOD[2]]
        (failure,) = [f for f in report.failed if f.session_id == GOOD[1]]
        assert failure.kind == "store"
        assert failure.reason == "Not archived: ValueError: this log cannot be indexed"
        assert archive.archived_ids() == {GOOD[0], GOOD[2]}


async def test_an_archive_that_cannot_be_written_stops_the_sync(
    server: EmulatorServer, tmp_path: Path
) -> None:
    with FailsToStore.open(tmp_path / "a.sqlite3") as archive:
        assert isinstance(archive, FailsToStore)
        archive.fail_for = GOOD[0]
        try:
            raise ArchiveError("the disk is full") from sqlite3.OperationalError("disk is full")
        except ArchiveError as exc:
            archive.error = exc
        async with client_for(server) as client:
            with pytest.raises(ArchiveError, match="disk is full"):
                await sync_archive(client, archive, *WINDOW, concurrency=1)
