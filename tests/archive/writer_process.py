"""A separate process that writes to an archive (used by the multi-process tests).

Usage: python -m tests.archive.writer_process ARCHIVE PREFIX COUNT
Prints each session id once its transaction has committed.
"""

from __future__ import annotations

import json
import sys

from fuse_tui.core.archive import Archive, StoredAnswer
from fuse_tui.core.formats import load_call_log


def answer(n: int, events: int) -> StoredAnswer:
    entries = [
        {
            "event": {"line": f"line {i} of call {n}", "data": {"module_type": "prompt"}},
            "class": "info",
            "timestamp": 1_700_000_000 + n,
        }
        for i in range(events)
    ]
    raw = json.dumps(entries).encode()
    return StoredAnswer(raw, "json", load_call_log(raw, source="w"))


def main() -> None:
    path, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Archive.open(path, busy_timeout=60) as archive:
        for n in range(count):
            archive.store(answer(n, 200), f"{prefix}{n}")
            print(f"{prefix}{n}", flush=True)


if __name__ == "__main__":
    main()
