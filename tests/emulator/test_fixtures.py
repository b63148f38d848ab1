"""``--fixtures DIR``: saved dumps are served instead of the samples, byte for byte."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from fuse_tui.emulator import EmulatorServer
from fuse_tui.emulator.fixtures import FixtureError

from .conftest import DEMO

SEED_ID = "300060;001;1529552581"
SEED_NOW = 1529552700  # the seed call is two minutes old on this clock
Start = Callable[..., EmulatorServer]


def test_dumps_are_replayed_byte_for_byte(
    start_emulator: Start, tmp_path: Path, data_dir: Path
) -> None:
    shutil.copy(data_dir / "seed_call.json", tmp_path / "300060%3B001%3B1529552581.json")
    shutil.copy(data_dir / "seed_call.xml", tmp_path / "300060;002;1529552581.xml")
    server = start_emulator(fixtures_dir=tmp_path, now=SEED_NOW)
    assert {c.session_id for c in server.calls_for(DEMO[0])} == {SEED_ID, "300060;002;1529552581"}
    url = f"{server.base_url}/call/300060%3B001%3B1529552581"
    with httpx.Client(auth=DEMO, trust_env=False) as client:
        assert client.get(url).content == (data_dir / "seed_call.json").read_bytes()
        xml_url = f"{server.base_url}/call/300060%3B002%3B1529552581"
        assert (
            client.get(xml_url, headers={"Accept": "application/xml"}).content
            == (data_dir / "seed_call.xml").read_bytes()
        )
        # Asked in the other format, the same entries are converted.
        converted = client.get(xml_url).json()
        assert len(converted) == 7 and converted[0]["timestamp"] == 1529552692
        listed = client.get(f"{server.base_url}/calls/0/{SEED_NOW}").json()
    assert listed["total_calls"] == 2
    assert all(c["log"] for c in listed["calls"])


def test_old_dumps_expire_on_the_real_clock(
    start_emulator: Start, tmp_path: Path, data_dir: Path
) -> None:
    shutil.copy(data_dir / "seed_call.json", tmp_path / f"{SEED_ID}.json")
    server = start_emulator(fixtures_dir=tmp_path, now=None)
    answer = httpx.get(f"{server.base_url}/call/{SEED_ID}", auth=DEMO)
    assert answer.status_code == 404 and "no call log details" in answer.text


def test_all_logs_dumps_and_account_directories(
    start_emulator: Start, tmp_path: Path, data_dir: Path
) -> None:
    (tmp_path / "other@example.com").mkdir()
    shutil.copy(data_dir / "all_logs.json", tmp_path / "other@example.com" / "dump.json")
    shutil.copy(data_dir / "seed_call.json", tmp_path / f"{SEED_ID}.json")
    server = start_emulator(
        fixtures_dir=tmp_path, accounts={"demo@example.com": "k1", "other@example.com": "k2"}
    )
    dumped = json.loads((data_dir / "all_logs.json").read_bytes())["calls"]
    other = server.calls_for("other@example.com")
    assert {c.session_id for c in other} == {c["session_id"] for c in dumped}
    assert [c.start for c in other] == sorted(int(c["start"]) for c in dumped)
    assert [c.session_id for c in server.calls_for("demo@example.com")] == [SEED_ID]


def test_unusable_fixtures_are_refused(tmp_path: Path, data_dir: Path) -> None:
    from fuse_tui.emulator import EmulatorConfig

    with pytest.raises(FixtureError):
        EmulatorServer(EmulatorConfig(fixtures_dir=tmp_path / "missing"))
    (tmp_path / "stranger@example.com").mkdir()
    with pytest.raises(FixtureError, match="stranger"):
        EmulatorServer(EmulatorConfig(fixtures_dir=tmp_path))
    shutil.rmtree(tmp_path / "stranger@example.com")
    (tmp_path / "broken.json").write_text("[{")
    with pytest.raises(FixtureError, match=r"broken\.json"):
        EmulatorServer(EmulatorConfig(fixtures_dir=tmp_path))
