"""A session ID is normalised once, before fetching and archiving: pasted forms are one call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from pydantic import SecretStr

from fuse_tui.core.service import FuseService
from fuse_tui.core.settings import Settings
from fuse_tui.emulator import EmulatorServer
from tests.client.conftest import EMAIL, KEY, start_emulator

__all__ = ["start_emulator"]  # a fixture, imported so pytest finds it here


async def test_pasted_forms_of_one_id_are_one_archived_call(
    start_emulator: Callable[..., EmulatorServer], tmp_path: Path
) -> None:
    server = start_emulator()
    sid = next(c.session_id for c in server.calls_for(EMAIL) if c.log)
    settings = Settings(
        base_url=server.base_url,
        email=EMAIL,
        developer_key=SecretStr(KEY),
        retries=0,
        archive_path=tmp_path / "a.sqlite3",
    )
    pasted = [
        f'"{sid}"',
        f"  {sid}\n",
        quote(sid, safe=""),
        f"{server.base_url}/call/{quote(sid, safe='')}",
    ]
    async with FuseService(settings) as service:
        for text in pasted:
            result = await service.fetch(text)
            assert result.fetched.session_id == sid
        assert service.archived_ids() == {sid}
        assert service.open_archived(f"'{sid}'") is not None
