from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.core.archive import Archive, StoredAnswer
from fuse_tui.core.formats import load_call_log

DATA = Path(__file__).parent.parent / "data"
SEED_ID = "300060;001;1529552581"


def answer_from(raw: bytes, fmt: str = "json") -> StoredAnswer:
    return StoredAnswer(raw, fmt, load_call_log(raw, source="test"), f"application/{fmt}")


def make_answer(lines: list[tuple[str, str, dict[str, Any], int]]) -> StoredAnswer:
    """(class, line, data, timestamp) tuples → a JSON answer as the API would serve it."""
    entries = [
        {"event": {"line": line, "data": data}, "class": cls, "timestamp": ts}
        for cls, line, data, ts in lines
    ]
    return answer_from(json.dumps(entries).encode())


@pytest.fixture
def seed_json() -> bytes:
    return (DATA / "seed_call.json").read_bytes()


@pytest.fixture
def seed_xml() -> bytes:
    return (DATA / "seed_call.xml").read_bytes()


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "archive.sqlite3"


@pytest.fixture
def archive(archive_path: Path) -> Iterator[Archive]:
    with Archive.open(archive_path) as opened:
        yield opened
