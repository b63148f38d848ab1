"""``--fixtures DIR``: saved dumps are served instead of the samples, byte for byte, including
those holding what UTF-8, XML 1.0 or standard JSON cannot carry raw."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from fuse_tui.core.formats import LogsDocument, load
from fuse_tui.emulator import EmulatorServer
from fuse_tui.emulator.fixtures import FixtureError

from .conftest import DEMO, NOW

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


# Fixtures holding what UTF-8 and XML 1.0 cannot carry raw (a lone surrogate, NUL, ESC) or what
# standard JSON has no token for (NaN, Infinity): every endpoint serves them, over real loopback.
#
# Before, a lone surrogate made every answer that held it a 500 (UTF-8 encoding failed), and NaN
# was served as a bare ``NaN`` token that strict JSON parsers refuse.


SESSION = "300060;001;1799999000"
OTHER = "300060;002;1799999000"
LINE = "bad \ud800 text \x00 and \x1b[31m"
SRC = "\udc80555"


def refuse_constant(token: str) -> Any:
    raise AssertionError(f"non-standard JSON token {token}")


def strict_json(body: bytes) -> Any:
    """What a standard parser accepts: UTF-8 text, no NaN/Infinity tokens."""
    return json.loads(body.decode("utf-8"), parse_constant=refuse_constant)


def write_fixture(directory: Path) -> None:
    entry = {
        "event": {"line": LINE, "data": {"module_type": "set", "result_variable": "v"}},
        "class": "info",
        "timestamp": NOW - 60,
    }
    # json.dumps writes the surrogate as the escape \ud800 (ASCII): a valid file.
    text = json.dumps([entry])
    assert "\\ud800" in text
    text = text.replace('"result_variable"', '"nan": NaN, "big": -Infinity, "result_variable"')
    (directory / f"{SESSION}.json").write_text(text, encoding="ascii")
    # An /api/all_logs dump whose call metadata holds a surrogate too: /calls lists it.
    call = {"session_id": OTHER, "src": SRC, "dest": "1", "start": str(NOW - 30)}
    dump = json.dumps({"calls": [{**call, "end": str(NOW - 20), "detail": [entry]}]})
    (directory / "dump.json").write_text(dump, encoding="ascii")


@pytest.fixture
def server(start_emulator: Start, tmp_path: Path) -> EmulatorServer:
    write_fixture(tmp_path)
    return start_emulator(fixtures_dir=tmp_path)


def get(server: EmulatorServer, path: str, fmt: str) -> httpx.Response:
    accept = "application/xml" if fmt == "xml" else "application/json"
    with httpx.Client(auth=DEMO, trust_env=False, timeout=10) as client:
        return client.get(f"{server.base_url}{path}", headers={"Accept": accept})


def call_path() -> str:
    return f"/call/{SESSION.replace(';', '%3B')}"


def all_logs_path() -> str:
    return f"/all_logs/0/{NOW}"


def lines(value: Any) -> list[str]:
    """Every entry's line in a /api/call or /api/all_logs answer."""
    if isinstance(value, list):
        return [entry["event"]["line"] for entry in value]
    return [line for call in value["calls"] for line in lines(call["detail"])]


@pytest.mark.parametrize("path", [call_path(), all_logs_path(), f"/calls/0/{NOW}"])
def test_json_answers_are_standard_json_holding_the_surrogate_escaped(
    server: EmulatorServer, path: str
) -> None:
    answer = get(server, path, "json")
    assert answer.status_code == 200, answer.text
    assert b"NaN" not in answer.content and b"Infinity" not in answer.content
    value = strict_json(answer.content)
    if path.startswith("/calls"):
        assert value["total_calls"] == 2
        assert [c["src"] for c in value["calls"] if c["session_id"] == OTHER] == [SRC]
        assert b"\\udc80555" in answer.content
        return
    assert b"\\ud800" in answer.content
    assert set(lines(value)) == {LINE}
    data = (value if isinstance(value, list) else value["calls"][0]["detail"])[0]["event"]["data"]
    assert data["nan"] is None and data["big"] is None  # JSON has no token for them


@pytest.mark.parametrize("path", [call_path(), all_logs_path()])
def test_xml_answers_carry_the_text_exactly(server: EmulatorServer, path: str) -> None:
    answer = get(server, path, "xml")
    assert answer.status_code == 200, answer.text
    answer.content.decode("utf-8")  # valid UTF-8: no raw surrogate
    assert b"\x00" not in answer.content and b"\x1b" not in answer.content
    assert b'escaped="json"' in answer.content
    document = load(answer.content, source="answer")
    assert isinstance(document, LogsDocument)
    assert {entry.event.line for log in document.logs for entry in log.entries} == {LINE}
    if path == all_logs_path():
        assert {log.meta.get("src") for log in document.logs} >= {SRC}


def test_the_emulator_still_answers_everything_else(server: EmulatorServer) -> None:
    listing = get(server, f"/calls/0/{NOW}", "xml")
    assert listing.status_code == 200 and b'<src escaped="json">\\udc80555</src>' in listing.content
    assert get(server, "/call/unknown", "json").status_code == 404
