"""``fuse-tui diff A B``: exit 0 same path / 1 differ / 2 trouble, text and JSON, FILE#N, session
IDs through the emulator, escaped log content, and an output that could not be written whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.cli import main
from fuse_tui.emulator import EmulatorServer
from fuse_tui.emulator.builder import LogBuilder
from fuse_tui.emulator.scenarios import billing_ivr_call
from tests.cli.test_whole_output import (
    BUFFERING,
    FILE_LIMIT,
    HAS_DEV_FULL,
    ROOM,
    _limit_file_size,
    run_cli,
)

EMAIL, KEY = "diff@example.com", "diff-s3cr3t-key"
START = 1_764_190_000
RAW_CONTROLS = ("\x1b", "\x07", "\r", "\u202e")


def _write(path: Path, entries: Any) -> str:
    path.write_text(json.dumps(entries), encoding="utf-8")
    return str(path)


def _billing(lookup_fails: bool, *, unsafe: bool = False) -> list[dict[str, Any]]:
    return billing_ivr_call(
        "300060;007;1", START, "1", "2", lookup_fails=lookup_fails, unsafe_text=unsafe
    ).entries


@pytest.fixture
def worked(tmp_path: Path) -> str:
    return _write(tmp_path / "worked.json", _billing(False))


@pytest.fixture
def failed(tmp_path: Path) -> str:
    return _write(tmp_path / "failed.json", _billing(True))


@pytest.fixture
def many(tmp_path: Path) -> str:
    """An all_logs answer of two calls: 1 worked, 2 failed."""
    calls = [
        {
            "dest": "1",
            "src": "2",
            "start": str(START),
            "end": str(START + 60),
            "session_id": sid,
            "detail": detail,
        }
        for sid, detail in (("300060;001;1", _billing(False)), ("300060;002;1", _billing(True)))
    ]
    return _write(tmp_path / "all.json", {"calls": calls})


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["diff", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_same_call_twice_exits_0(capsys: pytest.CaptureFixture[str], worked: str) -> None:
    status, out, err = _run(capsys, worked, worked)
    assert status == 0, err
    assert "Same path" in out and err == ""


def test_a_failed_call_against_a_working_one_exits_1_with_the_headline(
    capsys: pytest.CaptureFixture[str], worked: str, failed: str
) -> None:
    status, out, err = _run(capsys, worked, failed)
    assert status == 1 and err == ""
    headline = out.splitlines()[3]
    assert headline.startswith("The calls differ. At step 5, rest (balance_lookup)")
    assert "error in B only: REST request failed: HTTP 503" in headline
    assert "< " in out and "> " in out and "~ " in out  # only-A, only-B and changed rows
    assert "B: step 5, rest (balance_lookup): REST request failed" in out  # Errors section
    assert "A: step 7, exit (hangup): Disconnecting call" in out  # Ended section
    assert "+9s !" in out  # the REST step took 9 s longer in B


def test_json_is_the_documented_interface(
    capsys: pytest.CaptureFixture[str], worked: str, failed: str
) -> None:
    status, out, _err = _run(capsys, worked, failed, "--format", "json")
    assert status == 1
    doc = json.loads(out)
    assert doc["version"] == 1 and doc["same_path"] is False
    assert set(doc) == {"version", "same_path", "aligned", "a", "b", "divergence", "steps"}
    assert doc["aligned"] is True
    assert set(doc["a"]) == {"source", "session_id", "entries", "steps", "errors", "ended"}
    divergence = doc["divergence"]
    assert divergence["b"]["errors"] == ["REST request failed: HTTP 503 Service Unavailable"]
    assert divergence["after"]["variable"] == "account_number"
    statuses = [row["status"] for row in doc["steps"]]
    assert set(statuses) == {"same", "changed", "only_a", "only_b"}
    row = doc["steps"][divergence["row"]]
    assert row["status"] == "changed" and row["timing_differs"] is True
    assert row["duration_delta"] == 9
    assert doc["b"]["ended"]["module"] == "exit"


def test_json_of_the_same_path(capsys: pytest.CaptureFixture[str], worked: str) -> None:
    status, out, _err = _run(capsys, worked, worked, "-f", "json")
    doc = json.loads(out)
    assert status == 0 and doc["same_path"] is True and doc["divergence"] is None


def test_a_dump_of_several_calls_is_refused_naming_them(
    capsys: pytest.CaptureFixture[str], many: str, worked: str
) -> None:
    status, out, err = _run(capsys, many, worked)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("fuse-tui: error: ")
    assert "holds 2 calls" in err and "300060;001;1" in err and "300060;002;1" in err
    assert "#N" in err


def test_file_hash_n_and_file_hash_session_choose_a_call(
    capsys: pytest.CaptureFixture[str], many: str, worked: str
) -> None:
    assert _run(capsys, f"{many}#1", worked)[0] == 0
    assert _run(capsys, f"{many}#2", worked)[0] == 1
    assert _run(capsys, f"{many}#300060;001;1", f"{many}#1")[0] == 0
    status, _out, err = _run(capsys, f"{many}#3", worked)
    assert status == 2 and "there are 2 calls" in err
    status, _out, err = _run(capsys, f"{many}#nope", worked)
    assert status == 2 and "no call with that session ID" in err


def test_a_file_whose_name_holds_a_hash_is_that_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    odd = _write(tmp_path / "call#1.json", _billing(False))
    assert _run(capsys, odd, odd)[0] == 0


def test_one_side_from_stdin(worked: str, failed: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fuse_tui", "diff", worked, "-"],
        input=Path(failed).read_bytes(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert b"B: stdin" in done.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["-", "-"],
        ["nothing", "{worked}"],
        ["{missing}", "{worked}"],
        ["{worked}", "{calls}"],
        ["{worked}"],  # a usage error: B is missing
        ["{worked}", "{worked}", "--format", "xml"],
    ],
    ids=["stdin-twice", "unknown-word", "missing-file", "call-list", "one-source", "bad-format"],
)
def test_trouble_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, worked: str, argv: list[str]
) -> None:
    calls = _write(tmp_path / "calls.json", {"calls": [], "total_calls": 0})
    words = {"worked": worked, "missing": str(tmp_path / "missing.json"), "calls": calls}
    try:
        status, out, err = _run(capsys, *(word.format(**words) for word in argv))
    except SystemExit as exc:  # argparse's usage errors
        status, out, err = int(str(exc.code)), *capsys.readouterr()
    assert status == 2, err
    assert out == ""
    assert err.rstrip("\n").splitlines()[-1].startswith("fuse-tui: error: ")


def test_log_content_is_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hostile = LogBuilder(START)
    hostile.start("x", "1")
    hostile.add("error", "\x1b[31mred\x1b[0m \x07 cr\rX \u202eevil", "rest\x1b[2J", "v\u202e")
    clean = LogBuilder(START)
    clean.start("x", "1")
    a = _write(tmp_path / "a.json", clean.entries)
    b = _write(tmp_path / "b.json", hostile.entries)
    status, out, _err = _run(capsys, a, b)
    assert status == 1
    assert "red" in out and "evil" in out
    assert not any(control in out for control in RAW_CONTROLS)


def test_json_output_escapes_c1_controls_and_bidi_overrides(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hostile = LogBuilder(START)
    hostile.start("x", "1")
    hostile.add("error", "C1 \x9b31m csi \u202eevil\u202c \x85 nel", "rest", "v")
    clean = LogBuilder(START)
    clean.start("x", "1")
    a = _write(tmp_path / "a.json", clean.entries)
    b = _write(tmp_path / "b.json", hostile.entries)
    status, out, _err = _run(capsys, a, b, "-f", "json")
    assert status == 1
    assert not any(char in out for char in "\x9b\x85\u202e\u202c")
    assert "\\u009b" in out and "\\u202e" in out  # the same JSON value, escaped
    json.loads(out)


def test_help_documents_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    out = capsys.readouterr().out
    assert "exit status: 0" in out and "1 they differ" in out and "2 trouble" in out
    assert "FILE#N" in out


# --- session IDs, through the emulator ---------------------------------------------------------


@pytest.mark.usefixtures("cli_environment")
def test_two_session_ids_from_fuse(
    capsys: pytest.CaptureFixture[str], server: EmulatorServer
) -> None:
    sessions = {call.session_id.split(";")[1]: call.session_id for call in server.calls_for(EMAIL)}
    failing, working = sessions["007"], sessions["005"]  # the samples' billing calls
    status, out, err = _run(capsys, working, failing, "--no-archive")
    assert status == 1, err
    assert f"A: {working}" in out and f"B: {failing}" in out
    assert "REST request failed" in out
    status, _out, err = _run(capsys, working, working, "--no-archive")
    assert status == 0, err


@pytest.mark.usefixtures("cli_environment")
def test_an_unknown_session_is_trouble(capsys: pytest.CaptureFixture[str], worked: str) -> None:
    status, out, err = _run(capsys, worked, "300060;999;1", "--no-archive")
    assert status == 2 and out == ""
    assert err.startswith("fuse-tui: error: ")


# --- an output cut short is trouble (2), never "they differ" (1) --------------------------------


@pytest.fixture(scope="module")
def long_calls(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """Two calls whose comparison prints far more than a pipe buffer or the file-size room."""

    def call(extra: int) -> list[dict[str, Any]]:
        log = LogBuilder(START)
        log.start("x", "1")
        for n in range(1500 + extra):
            log.add("info", f"step {n}", "set", f"var_{n}", after=1)
        return log.entries

    folder = tmp_path_factory.mktemp("long")
    return _write(folder / "a.json", call(0)), _write(folder / "b.json", call(5))


def _assert_one_trouble_line(done: subprocess.CompletedProcess[str], reason: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("fuse-tui: error: cannot write the output"), done.stderr
    assert done.stderr.count("\n") == 1 and reason in done.stderr


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
@BUFFERING
def test_a_full_disk_is_trouble(long_calls: tuple[str, str], unbuffered: bool) -> None:
    with open("/dev/full", "w") as full:
        done = run_cli(["diff", *long_calls], stdout=full, unbuffered=unbuffered, env={})
    _assert_one_trouble_line(done, "No space left on device")


@BUFFERING
def test_a_closed_pipe_keeps_the_answer(long_calls: tuple[str, str], unbuffered: bool) -> None:
    """``| head``: the reader went away; the comparison's status (1: they differ) stands."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "fuse_tui", "diff", *long_calls],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1, err
    assert err == b""


@BUFFERING
def test_past_the_file_size_limit_is_trouble(
    long_calls: tuple[str, str], tmp_path: Path, unbuffered: bool
) -> None:
    out = tmp_path / "out"
    with open(out, "wb") as sparse:
        sparse.truncate(FILE_LIMIT - ROOM)
    with open(out, "ab") as target:
        done = run_cli(
            ["diff", *long_calls],
            stdout=target,
            unbuffered=unbuffered,
            env={},
            preexec_fn=_limit_file_size,
        )
    _assert_one_trouble_line(done, "File too large")


def test_different_input_at_a_menu_is_said_at_that_step(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def call(choice: str) -> list[dict[str, Any]]:
        log = LogBuilder(START)
        log.start("Acme", "1")
        log.prompt("Press 1 or 2", 1, module_type="menu", result_variable="main_menu", after=1)
        log.user_input(choice, "dtmf", "menu", "main_menu", after=2)
        branch = "balance" if choice == "1" else "agent"
        log.add("info", f"Going to {branch}", "rest" if choice == "1" else "transfer", branch)
        log.exit()
        return log.entries

    a = _write(tmp_path / "one.json", call("1"))
    b = _write(tmp_path / "two.json", call("2"))
    status, out, _err = _run(capsys, a, b)
    assert status == 1
    assert "At step 2, menu (main_menu) the calls differ: the caller entered 1 (dtmf) in A, " in out
    assert "       entered: 1 (dtmf)" in out and "       entered: 2 (dtmf)" in out
    assert "      ↳ the caller entered 1 (dtmf) in A, 2 (dtmf) in B" in out
