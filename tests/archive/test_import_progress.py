"""``archive import`` says how far a dump of many calls is: ``import_file(progress=…)`` after
each batch and once all are written, and the CLI's bar (a terminal) or lines on stderr."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.cli.import_progress import ImportProgressPrinter
from fuse_tui.core.archive import Archive, ImportProgress, import_file, transfer
from tests.archive.test_fast_import import _dump


def _not_plain(dump: Path) -> Path:
    """The same calls, one entry of which the straight road declines (a float result
    variable): the dump is read the usual way."""
    calls = json.loads(dump.read_text())["calls"]
    calls[0]["detail"][0]["event"]["data"]["result_variable"] = 1.5
    dump.write_text(json.dumps({"calls": calls}))
    return dump


@pytest.mark.parametrize("road", ["plain", "usual"])
def test_an_import_tells_its_progress_after_each_batch_and_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, road: str
) -> None:
    monkeypatch.setattr(transfer, "_CALLS_PER_TRANSACTION", 10)
    dump = _dump(tmp_path, 40)  # 40 calls of 5 events
    if road == "usual":
        _not_plain(dump)
    seen: list[ImportProgress] = []
    with Archive.open(tmp_path / "a.sqlite3") as archive:
        result = import_file(archive, dump, progress=seen.append)
        assert len(result.stored) == 40
    assert seen == [
        ImportProgress(50, 200),
        ImportProgress(100, 200),
        ImportProgress(150, 200),
        ImportProgress(200, 200),
        ImportProgress(200, 200, finishing=True),
    ]


def test_a_single_call_file_tells_no_progress(tmp_path: Path) -> None:
    one = tmp_path / "300060;001;1.json"
    one.write_text(json.dumps([{"event": {"line": "x"}, "class": "info", "timestamp": 1}]))
    seen: list[ImportProgress] = []
    with Archive.open(tmp_path / "a.sqlite3") as archive:
        import_file(archive, one, progress=seen.append)
    assert seen == []


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_is_redrawn_in_place_then_taken_off_the_screen() -> None:
    stream = io.StringIO()
    clock = _Clock()
    printer = ImportProgressPrinter(stream, "bar", clock=clock, columns=100)
    printer.start("dump.json")
    printer(ImportProgress(50, 200))
    printer(ImportProgress(100, 200))  # 0.1 s not past: not drawn
    clock.now = 1.0
    printer(ImportProgress(150, 200))
    printer(ImportProgress(200, 200, finishing=True))  # always drawn
    printer.close()
    drawn = stream.getvalue()
    assert "\n" not in drawn
    assert drawn.split("\r")[1:] == [
        "reading dump.json…\x1b[K",  # before its first batch: seconds for a big dump
        "[######..................] 50/200 events  dump.json\x1b[K",
        "[##################......] 150/200 events  dump.json\x1b[K",
        "[########################] 200 events written, indexing…  dump.json\x1b[K",
        "\x1b[K",  # taken off: the summary starts a clean line
    ]


def test_a_narrow_terminal_gets_a_bar_that_does_not_wrap() -> None:
    stream = io.StringIO()
    printer = ImportProgressPrinter(stream, "bar", columns=30)
    printer.start("a-long-name-of-a-dump.json")
    printer(ImportProgress(1, 2))
    assert stream.getvalue().split("\r")[1:] == [
        "reading a-long-name-of-a-dump\x1b[K",
        "[############............] 1/\x1b[K",
    ]


def test_the_cli_draws_the_bar_on_stderr_and_ends_with_its_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer, "_CALLS_PER_TRANSACTION", 10)
    archive = tmp_path / "a.sqlite3"
    dump = _dump(tmp_path, 40)
    command = ["archive", "import", "--archive", str(archive), str(dump)]
    assert main([*command, "--progress", "bar"]) == 0
    out, err = capsys.readouterr()
    assert out.count("imported ") == 40  # stdout as without a bar
    bar, summary = err.rsplit("\r\x1b[K", 1)
    assert "[" in bar and "/200 events" in bar and "indexing" in bar
    assert summary == f"40 calls imported into {archive}\n"
    # Piped (not a terminal), by default: the summary alone, as before.
    assert main(command) == 0
    assert capsys.readouterr().err == f"40 calls imported into {archive}\n"
    assert main([*command, "--progress", "lines"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[-2] == (f"import {dump}: 200 events written, indexing…")
    assert lines[-1] == f"40 calls imported into {archive}"


def test_an_unreadable_file_gets_its_error_on_a_line_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"calls": [')
    good = _dump(tmp_path, 3)
    archive = tmp_path / "a.sqlite3"
    status = main(
        ["archive", "import", "--archive", str(archive), "--progress", "bar", str(bad), str(good)]
    )
    assert status == 1
    err = capsys.readouterr().err
    error = next(line for line in err.split("\n") if "bad.json" in line)
    # On the terminal: "reading bad.json…" drawn, taken off, then the error from column 0.
    drawn, shown = error.rsplit("\r\x1b[K", 1)
    assert drawn.startswith("\rreading /") and drawn.endswith("\x1b[K")  # cut to the width
    assert shown.startswith(f"fuse-tui: error: {bad}: ")
    assert err.endswith(f"3 calls imported into {archive}\n")
