"""Every numeric and duration option refuses values no command can use while the command line is
read: exit 2, one ``fuse-tui: error: --OPTION: …`` line, nothing run, no traceback.

Before, ``--since 1e308d`` ended in an ``OverflowError`` traceback, ``--limit
99999999999999999999`` in one from SQLite, ``--concurrency 99999999999999999999`` reached a sync
that makes one task per unit, and ``--timeout inf``/``1e308`` were passed to the client.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.cli import argtypes, build_command_parser, main, subcommands
from fuse_tui.cli.emulator_cmd import _account

# (command words, option, a value it accepts). Every option with a ``type=`` but a path, an
# account or a phone number (tests/cli/test_number_option.py) must be listed:
# test_every_typed_option_is_listed_here fails for a new one.
OPTIONS: list[tuple[tuple[str, ...], str, str]] = [
    *[
        (command, "--timeout", "2.5")
        for command in [
            ("show",),
            ("diff",),
            ("summary",),
            ("get",),
            ("calls",),
            ("archive", "sync"),
        ]
    ],
    (("summary",), "--gap", "5"),
    (("calls",), "--since", "12h"),
    (("calls",), "--start", "1529552581"),
    (("calls",), "--end", "1529552581"),
    (("archive", "list"), "--since", "30d"),
    (("archive", "list"), "--limit", "10"),
    (("archive", "search"), "--since", "2w"),
    (("archive", "search"), "--limit", "10"),
    (("archive", "sync"), "--since", "5d"),
    (("archive", "sync"), "--start", "1529552581"),
    (("archive", "sync"), "--end", "1529552581"),
    (("archive", "sync"), "--concurrency", "8"),
    (("archive", "stats"), "--since", "7d"),
    (("archive", "stats"), "--until", "1d"),
    (("emulator",), "--port", "8080"),
    (("emulator",), "--now", "1529552581.5"),
    (("emulator",), "--seed", "42"),
    (("emulator",), "--generate", "100"),
    (("emulator",), "--latency-ms", "250"),
    (("emulator",), "--fail-rate", "0.5"),
    (("emulator",), "--drop-rate", "0.5"),
    (("emulator",), "--truncate-rate", "0.5"),
    (("emulator",), "--rate-limit", "5/s"),
]
# What a typo, a script's unset variable or a hostile caller passes.
ABSURD = [
    "",
    "x",
    "-1",
    "1e308",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "99999999999999999999",
    "-99999999999999999999",
    "9" * 5000,  # past Python's int-from-text digit limit
]
# Values that are absurd for some options but fine for others.
ACCEPTED_BY = {
    "--seed": {"-1"},  # any 64-bit seed
    "--now": {"-1"},  # a clock before 1970 is a test scenario
}
# Refused too, as a count or an amount of time.
ALSO_ZERO = {"--timeout", "--concurrency", "--limit", "--rate-limit"}


def _ids(option: tuple[tuple[str, ...], str, str]) -> str:
    return f"{' '.join(option[0])} {option[1]}"


def _refused_values(option: str) -> list[str]:
    values = [v for v in ABSURD if v not in ACCEPTED_BY.get(option, set())]
    if option in ALSO_ZERO:
        values.append("0")
    if option in ("--since", "--until"):
        values += ["1e308d", "36501d", "5y", "99999999999999999999w"]
    if option == "--rate-limit":
        values = [f"{v}/s" for v in values]
    return values


def _parse(argv: list[str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of main(argv), a usage error's SystemExit included."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as stop:
            status = int(stop.code or 0)
    return status, out.getvalue(), err.getvalue()


def _argv(command: tuple[str, ...], option: str, value: str) -> list[str]:
    positional = {
        "show": ["x.json"],
        "diff": ["a.json", "b.json"],
        "summary": ["x.json"],
        "get": ["300060;001;1"],
    }.get(command[0], [])
    return [*command, *positional, f"{option}={value}"]


CASES = [
    pytest.param(command, option, value, id=f"{_ids((command, option, ''))} {value[:20]!r}")
    for command, option, _ in OPTIONS
    for value in _refused_values(option)
]


@pytest.mark.parametrize(("command", "option", "value"), CASES)
def test_an_absurd_value_is_a_one_line_usage_error(
    command: tuple[str, ...], option: str, value: str
) -> None:
    started = time.monotonic()
    status, out, err = _parse(_argv(command, option, value))
    assert status == 2, err
    assert err.startswith(f"fuse-tui: error: {option}: "), err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err and len(err) < 300
    assert out == ""
    assert time.monotonic() - started < 5  # refused before any work


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, sub in subcommands(parser).items():
        yield (name,), sub
        for words, deeper in _subparsers(sub):
            yield (name, *words), deeper


def _typed_options() -> set[tuple[tuple[str, ...], str]]:
    found = set()
    for words, sub in _subparsers(build_command_parser()):
        for action in sub._actions:
            untyped = (Path, _account, argtypes.phone_number)
            if action.type is not None and action.type not in untyped:
                assert action.type not in (int, float), (words, action.option_strings)
                found.add((words, action.option_strings[-1]))
    return found


def test_every_typed_option_is_listed_here() -> None:
    """No bare type=int/float anywhere, and every bounded option is tested above."""
    leaves = {words for words, _ in _subparsers(build_command_parser())}
    listed = {(command, option) for command, option, _ in OPTIONS if command in leaves}
    assert _typed_options() == listed


@pytest.mark.parametrize(("command", "option", "value"), OPTIONS, ids=[_ids(o) for o in OPTIONS])
def test_a_sensible_value_is_accepted(command: tuple[str, ...], option: str, value: str) -> None:
    parser = build_command_parser()
    positional = {
        "show": ["x.json"],
        "diff": ["a.json", "b.json"],
        "summary": ["x.json"],
        "get": ["300060;001;1"],
    }.get(command[0], [])
    namespace = parser.parse_args([*command, *positional, option, value])
    parsed = getattr(namespace, option.lstrip("-").replace("-", "_"))
    assert isinstance(parsed, int | float) and parsed >= 0


def test_since_is_read_as_seconds() -> None:
    namespace = build_command_parser().parse_args(["archive", "list", "--since", "2w"])
    assert namespace.since == 14 * 86400


def test_a_huge_window_fails_before_a_sync_starts(tmp_path: Path) -> None:
    # No server at all: had the sync started, this would say "cannot connect".
    status, out, err = _parse(
        ["archive", "sync", "--archive", str(tmp_path / "a.sqlite3"), "--since", "1e308d"]
    )
    assert status == 2 and out == ""
    assert err == (
        "fuse-tui: error: --since: '1e308d' is longer than the longest duration, "
        "100 years (36500d)\n"
    )
    assert not (tmp_path / "a.sqlite3").exists()


# --- the type functions themselves --------------------------------------------------------------


@given(st.integers(), st.integers(-(10**6), 10**6), st.integers(0, 10**6))
def test_integer_accepts_exactly_its_range(value: int, low: int, width: int) -> None:
    parse = argtypes.integer(low, low + width)
    if low <= value <= low + width:
        assert parse(str(value)) == value
    else:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(str(value))


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_timeout_is_finite_positive_and_bounded(value: float) -> None:
    text = repr(value)
    if 0 < value <= argtypes.MAX_TIMEOUT_SECONDS:
        assert argtypes.timeout_seconds(text) == value
    else:
        with pytest.raises(argparse.ArgumentTypeError):
            argtypes.timeout_seconds(text)


@given(st.text(max_size=30))
def test_no_text_makes_a_type_function_raise_anything_else(text: str) -> None:
    for parse in (
        argtypes.epoch,
        argtypes.row_limit,
        argtypes.concurrency,
        argtypes.timeout_seconds,
        argtypes.duration,
    ):
        try:
            value = parse(text)
        except argparse.ArgumentTypeError as exc:
            assert "\n" not in str(exc)
        else:
            assert isinstance(value, int | float) and value >= 0


def test_an_epoch_fits_a_date() -> None:
    from datetime import UTC, datetime

    assert datetime.fromtimestamp(argtypes.epoch(str(argtypes.MAX_EPOCH)), UTC).year == 9999
    with pytest.raises(argparse.ArgumentTypeError):
        argtypes.epoch(str(argtypes.MAX_EPOCH + 1))


def test_a_long_value_is_not_echoed_whole() -> None:
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        argtypes.row_limit("9" * 5000)
    assert len(str(caught.value)) < 120
