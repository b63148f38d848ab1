"""A listing that names calls no request can ask for ("." , "..", an ID holding a lone
surrogate) costs those calls, reported as failed with the reason, not the whole sync."""

from __future__ import annotations

import json
import time
from pathlib import Path

from pydantic import SecretStr

from fuse_tui.core.archive import Archive
from fuse_tui.core.client import Credentials, FuseClient
from fuse_tui.core.sync import sync_archive
from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY, EmulatorConfig, EmulatorServer


async def test_unaskable_session_ids_fail_alone(tmp_path: Path) -> None:
    now = int(time.time())
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    entry = [{"event": {"line": "hello"}, "class": "info", "timestamp": now - 3600}]
    for stem in ("%2E", "%2E%2E", "good%3B001"):
        (fixtures / f"{stem}.json").write_text(json.dumps(entry))
    config = EmulatorConfig(now=now, fixtures_dir=fixtures)
    with EmulatorServer(config) as server, Archive.open(tmp_path / "a.sqlite3") as archive:
        credentials = Credentials(email=DEMO_EMAIL, developer_key=SecretStr(DEMO_KEY))
        async with FuseClient(base_url=server.base_url, credentials=credentials) as client:
            report = await sync_archive(client, archive, now - 86400, now + 1)
    assert report.fetched == ["good;001"]
    assert sorted(f.session_id for f in report.failed) == [".", ".."]
    assert all("not a session ID" in f.reason for f in report.failed)
    assert archive_ids(tmp_path / "a.sqlite3") == {"good;001"}


def archive_ids(path: Path) -> set[str]:
    with Archive.open(path) as archive:
        return archive.archived_ids()
