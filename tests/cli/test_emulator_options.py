"""``fuse-tui emulator`` options out of range: a usage error (exit 2), never a traceback and
never a server started with a nonsense setting."""

from __future__ import annotations

import pytest

from fuse_tui.cli import main


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", "99999"],
        ["--port", "-1"],
        ["--now", "nan"],
        ["--now", "1e400"],
        ["--now", "inf"],
        ["--rate-limit", "nan/s"],
        ["--rate-limit", "inf/s"],
    ],
)
def test_out_of_range_options_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["emulator", *argv])
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.startswith(f"fuse-tui: error: {argv[0]}: ")
    assert captured.out == ""  # nothing was served


def test_generating_more_calls_than_memory_allows_is_refused_before_any_work(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import time

    started = time.monotonic()
    with pytest.raises(SystemExit) as caught:  # refused while the command line is read
        main(["emulator", "--generate", "10000000"])
    assert caught.value.code == 2
    assert time.monotonic() - started < 5  # refused, not ten million calls built first
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "fuse-tui: error: --generate: expected a whole number from 0 to 50,000, got '10000000'\n"
    )
