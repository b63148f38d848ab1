"""Endless and oversized input: refused at once, with one sentence, never a MemoryError."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fuse_tui.core.formats import FormatError, LogsDocument, load_file
from fuse_tui.core.formats.reader import MAX_INPUT_ENV, max_input_bytes, read_capped


class EndlessStream(io.RawIOBase):
    """An endless source like /dev/zero or `yes`, counting what was taken from it."""

    def __init__(self, fill: bytes) -> None:
        self.fill = fill
        self.taken = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            raise MemoryError  # what reading an endless source whole comes to
        self.taken += size
        return (self.fill * (size // len(self.fill) + 1))[:size]


def test_endless_nuls_are_refused_after_the_first_bytes() -> None:
    stream = EndlessStream(b"\x00")
    with pytest.raises(FormatError, match="not text"):
        read_capped(stream, "stdin")  # type: ignore[arg-type]
    assert stream.taken <= 1 << 16


def test_endless_text_stops_at_the_cap() -> None:
    stream = EndlessStream(b" [{}, ")
    with pytest.raises(FormatError, match=MAX_INPUT_ENV):
        read_capped(stream, "stdin", limit=3 << 20)  # type: ignore[arg-type]
    assert stream.taken <= (3 << 20) + 1


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_show_dev_zero_fails_at_once() -> None:
    with pytest.raises(FormatError, match="/dev/zero: this is not text"):
        load_file("/dev/zero")


def test_a_file_over_the_cap_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(json.dumps([{"class": "info"}] * 100_000).encode())  # ~1.9 MB
    monkeypatch.setenv(MAX_INPUT_ENV, "1")
    with pytest.raises(FormatError, match=f"larger than 1 MB.*{MAX_INPUT_ENV}"):
        load_file(path)
    monkeypatch.setenv(MAX_INPUT_ENV, "2")
    document = load_file(path)
    assert isinstance(document, LogsDocument) and len(document.logs[0].entries) == 100_000


@pytest.mark.parametrize("value", ["", "lots", "-5", "0"])
def test_the_cap_setting_is_forgiving(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_INPUT_ENV, value)
    assert max_input_bytes() >= 1 << 20


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["fast road", "slow road"])
def test_running_out_of_memory_is_a_typed_error(tmp_path: Path, bom: bytes) -> None:
    """A real MemoryError: the reader runs with its address space capped just above its start."""
    resource = pytest.importorskip("resource")
    path = tmp_path / "log.json"
    entry = {"event": {"line": "x" * 50, "data": {"k": "v" * 20}}, "class": "info"}
    # An all_logs answer: msgspec cuts it into views (the fast road, ~100 MB here), or with a
    # BOM json.loads builds its ~300 MB tree before pydantic runs (the slow road); both fail.
    # (pydantic-core can panic instead of raising MemoryError when an allocation fails inside
    # it, so the cap is meant to hit plain Python code.)
    answer = {"calls": [{"session_id": "1", "detail": [entry] * 200_000}]}
    path.write_bytes(bom + json.dumps(answer).encode())  # ~23 MB
    script = textwrap.dedent(
        f"""
        import faulthandler, resource, sys
        faulthandler.dump_traceback_later(30, exit=True)
        from fuse_tui.core.formats import FormatError, load_file
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (size + (50 << 20), resource.RLIM_INFINITY))
        try:
            load_file({str(path)!r})
        except FormatError as exc:
            print("TYPED", exc.message)
            sys.exit(0)
        print("READ")
        """
    )
    if not Path("/proc/self/statm").exists():
        pytest.skip("needs /proc")
    assert resource is not None
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert "Traceback" not in done.stderr and "Fatal" not in done.stderr, done.stderr[-3000:]
    assert done.stdout.startswith("TYPED there is not enough memory"), done.stderr[-3000:]
