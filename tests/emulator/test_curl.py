"""The request the seed's PHP sample makes (curl, -u, Accept: application/json, urlencode)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from fuse_tui.emulator import EmulatorServer

from .conftest import DEMO

CURL = shutil.which("curl")


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
def test_php_sample_request_gets_the_documented_answer(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    assert CURL is not None
    sid = next(c.session_id for c in emulator.calls_for(DEMO[0]) if ";001;" in c.session_id)
    # PHP's urlencode(): ";" -> "%3B" (quote_plus matches it for these characters).
    url = f"{emulator.base_url}/call/{quote_plus(sid)}"
    done = subprocess.run(
        [
            CURL,
            "-s",
            "-u",
            f"{DEMO[0]}:{DEMO[1]}",
            "-H",
            "Accept: application/json",
            "-w",
            "\n%{http_code}",
            "--noproxy",
            "*",
            url,
        ],
        capture_output=True,
        check=True,
        timeout=30,
    )
    body, _, status = done.stdout.rpartition(b"\n")
    assert status == b"200"
    assert body == emulator.raw_call(DEMO[0], sid)
    assert [entry["event"]["line"] for entry in json.loads(body)][-1] == "Disconnecting call"
    missing = subprocess.run(
        [
            CURL,
            "-s",
            "-u",
            f"{DEMO[0]}:{DEMO[1]}",
            "-H",
            "Accept: application/json",
            "-w",
            "\n%{http_code}",
            "--noproxy",
            "*",
            f"{emulator.base_url}/call/{quote_plus('1;2;3')}",
        ],
        capture_output=True,
        check=True,
        timeout=30,
    )
    assert missing.stdout == b'{"error": "No call log was found."}\n404'
