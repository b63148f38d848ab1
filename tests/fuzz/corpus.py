"""Seeds for the fuzzer: the real dumps in tests/data plus generated ones of every shape."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from fuse_tui.core.formats import (
    LogsDocument,
    dump_document_json,
    dump_document_xml,
    dump_json,
    dump_ndjson,
    dump_xml,
    load,
)
from fuse_tui.core.model import CallLog

DATA = Path(__file__).resolve().parents[1] / "data"
CLASSES = ["info", "event", "debug", "prompt", "error", "", "Mystery"]
WORDS = ["Executing", "REST", "caf\u00e9", "\u65e5\u672c", "<b>", "&amp;", "a\tb", "line\nbreak"]


def real_seeds() -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in sorted(DATA.iterdir()) if path.is_file()]


def _entry(rng: random.Random) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if rng.random() < 0.9:
        data = {"module_type": rng.choice(["start", "rest", "exit"]), "n": rng.randint(-9, 9)}
        if rng.random() < 0.3:
            data["nested"] = {"list": [1, "two", None, True], "deep": {"x": 1.5}}
        entry["event"] = {"line": " ".join(rng.choices(WORDS, k=rng.randint(0, 5))), "data": data}
    if rng.random() < 0.9:
        entry["class"] = rng.choice(CLASSES)
    if rng.random() < 0.9:
        entry["timestamp"] = 1529552692 + rng.randint(0, 10_000)
    if rng.random() < 0.1:
        entry["extra key"] = rng.choice([None, 1, "x", [], {}])
    return entry


def generated_seeds(rng: random.Random) -> list[tuple[str, bytes]]:
    """One of each shape: a call log (JSON, XML), all_logs (JSON, XML), NDJSON, a call list."""
    entries = [_entry(rng) for _ in range(rng.randint(1, 30))]
    raw = json.dumps(entries).encode()
    document = load(raw, source="gen")
    assert isinstance(document, LogsDocument)
    log = document.logs[0]
    logs = [
        CallLog(
            session_id=f"300060;{n:03d};1529552581",
            entries=log.entries[n::3],
            meta={"src": "2125551234", "dest": "8009957586", "start": "1529552691"},
        )
        for n in range(3)
    ]
    all_logs = LogsDocument(logs, "all_logs", "json")
    calls = {
        "calls": [
            {"session_id": f"3;{n}", "src": "1", "dest": "2", "start": n, "end": n + 5, "log": True}
            for n in range(rng.randint(0, 5))
        ],
        "total_calls": 9,
    }
    return [
        ("gen.json", raw),
        ("gen.xml", dump_xml(log)),
        ("gen_pretty.json", dump_json(log)),
        ("gen_all_logs.json", dump_document_json(all_logs)),
        ("gen_all_logs.xml", dump_document_xml(all_logs)),
        ("gen.ndjson", dump_ndjson(logs)),
        ("gen_calls.json", json.dumps(calls).encode()),
        ("gen_empty_entries.json", b"[" + b",".join([b"{}"] * rng.randint(0, 2000)) + b"]"),
    ]
