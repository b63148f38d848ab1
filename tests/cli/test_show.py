"""``fuse-tui show``: formats, colours, exit codes, one-line errors, escaped content."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fuse_tui.cli import main
from fuse_tui.cli.show import render_document, wants_color
from fuse_tui.core.formats import LogsDocument, load, load_file
from tests.core.log_strategies import json_entries

HOSTILE_LOG = json.dumps(
    [
        {
            "event": {
                "line": "[red]markup[/red] \x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07 cr\rX \u202eevil",
                "data": {
                    "module_type": "mod\x1b[2J",
                    "result_variable": "var\u202e",
                    "body": "\x1b]8;;http://x\x1b\\link",
                },
            },
            "class": "error\x1b[5m",
            "timestamp": 1529552692,
        }
    ]
).encode()
RAW_CONTROLS = ("\x1b", "\x07", "\r", "\u202e", "\x9b")


@pytest.fixture(autouse=True)
def colour_allowed(monkeypatch: pytest.MonkeyPatch, utc: None) -> None:
    """UTC times, and NO_COLOR unset: these tests decide colour by the terminal and the flags."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["show", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _cli(
    *argv: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "fuse_tui", "show", *argv],
        input=stdin,
        capture_output=True,
        timeout=60,
        env={**os.environ, "TZ": "UTC", **(env or {})},
        check=False,
    )


def test_text_table_is_aligned_and_plain_when_piped(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    status, out, err = _run(capsys, str(data_dir / "seed_call.json"))
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 7
    assert lines[0] == (
        '2018-06-21 03:44:52  info    start   Executing application "email test" version "0.2"'
    )
    assert lines[6] == "2018-06-21 03:44:57  event   exit    Disconnecting call"
    assert "\x1b" not in out
    # Columns line up: the line text starts at the same offset in every row.
    assert len({line.index(" Sending") for line in lines if " Sending" in line}) == 1


def test_json_xml_and_ndjson_formats(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    seed = data_dir / "seed_call.xml"
    status, out, _ = _run(capsys, str(seed), "--format", "json")
    assert status == 0 and len(json.loads(out)) == 7
    status, out, _ = _run(capsys, str(seed), "--format", "xml")
    assert status == 0 and out.encode() == seed.read_bytes()
    status, out, _ = _run(capsys, str(seed), "-f", "ndjson")
    assert status == 0
    assert [json.loads(line)["class"] for line in out.splitlines()][-1] == "event"


def test_all_logs_text_has_a_header_per_call(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    status, out, _ = _run(capsys, str(data_dir / "all_logs.json"))
    assert status == 0
    headers = [line for line in out.splitlines() if line.startswith("== ")]
    assert headers == [
        "== call 300060;001;1529552581 · 2125551234 → 8009957586 · 2018-06-21 03:44:51 · "
        "2 entries ==",
        "== call 300060;004;1529559990 · 6175550123 → 8009957586 · 2018-06-21 05:46:40 · "
        "3 entries ==",
    ]
    assert len(out.splitlines()) == 7


def test_all_logs_ndjson_and_json_keep_session_ids(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    _, out, _ = _run(capsys, str(data_dir / "all_logs.xml"), "-f", "ndjson")
    assert json.loads(out.splitlines()[0])["session_id"] == "300060;001;1529552581"
    _, out, _ = _run(capsys, str(data_dir / "all_logs.json"), "-f", "json")
    assert [c["session_id"] for c in json.loads(out)["calls"]] == [
        "300060;001;1529552581",
        "300060;004;1529559990",
    ]


def test_call_list_prints_as_a_list(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    status, out, _ = _run(capsys, str(data_dir / "calls.json"))
    assert status == 0
    lines = out.splitlines()
    # The same table as `fuse-tui calls`, so a listing reads the same fetched or saved.
    assert lines[0].split() == ["START", "DURATION", "FROM", "TO", "TYPE", "LOG", "SESSION", "ID"]
    assert lines[1].split() == [
        "2018-06-21", "03:44:51", "0:06", "2125551234", "8009957586", "inbound", "yes",
        "300060;001;1529552581",
    ]  # fmt: skip
    assert lines[-1] == "2 calls"
    _, out, _ = _run(capsys, str(data_dir / "calls.xml"), "-f", "json")
    assert json.loads(out)["total_calls"] == 1


def test_stdin_source_json_and_xml(data_dir: Path) -> None:
    for name in ("seed_call.json", "seed_call.xml"):
        result = _cli("-", stdin=(data_dir / name).read_bytes())
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) == 7


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("seed_404.json", "Fuse answered with an error: No call log was found."),
        ("expired.xml", "expired (Fuse keeps detailed logs for 5 days)"),
        ("truncated.json", "truncated"),
        ("billion_laughs.xml", "refused"),
        ("proxy_error.html", "HTML page"),
        ("no_such_file.json", "no such file"),
    ],
)
def test_errors_are_one_line_with_exit_1(
    capsys: pytest.CaptureFixture[str], data_dir: Path, name: str, expected: str
) -> None:
    status, out, err = _run(capsys, str(data_dir / name))
    assert status == 1 and out == ""
    assert err.startswith("fuse-tui: error: ") and err.endswith("\n")
    assert err.count("\n") == 1 and expected in err
    assert "Traceback" not in err


def test_empty_stdin_is_an_error() -> None:
    result = _cli("-", stdin=b"")
    assert result.returncode == 1
    assert result.stderr == b"fuse-tui: error: stdin: the file is empty\n"


@pytest.mark.parametrize("argv", [[], ["a", "b"], ["x.json", "--format", "yaml"]])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["show", *argv])
    assert caught.value.code == 2
    assert "fuse-tui: error:" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["text", "json", "xml", "ndjson"])
def test_hostile_content_never_reaches_the_terminal_raw(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "hostile.json"
    source.write_bytes(HOSTILE_LOG)
    result = _cli(str(source), "--format", fmt, "--data", "--color", "never")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    for char in RAW_CONTROLS:
        assert char not in out, (fmt, char)
    # ...and what was escaped is still there, visibly.
    assert "[red]markup[/red]" in out
    if fmt == "text":
        assert "\\x1b[31mred" in out and "\\x1b]52;c;aGk=\\x07" in out
        assert "cr\\rX" in out and "\\u202eevil" in out
        assert "mod\\x1b[2J" in out and "error\\x1b[5m" in out and "var\\u202e" in out
    else:
        document = load(result.stdout, source=fmt)  # and it reads back to the same log
        original = load(HOSTILE_LOG, source="h")
        assert isinstance(document, LogsDocument) and isinstance(original, LogsDocument)
        assert document.logs[0].entries == original.logs[0].entries


def test_hostile_file_name_in_an_error_is_escaped(tmp_path: Path) -> None:
    name = tmp_path / "evil\x1b[31m.json"
    name.write_bytes(b"not json")
    result = _cli(str(name))
    assert result.returncode == 1
    assert b"\x1b" not in result.stderr and b"evil\\x1b[31m.json" in result.stderr


def _run_in_pty(argv: list[str], env: dict[str, str]) -> bytes:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "fuse_tui", "show", *argv],
        stdout=follower,
        stderr=follower,
        env={**os.environ, "TZ": "UTC", "TERM": "xterm", **env},
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_colours_on_a_terminal_and_not_with_no_color(data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "error.json"
    source.write_bytes(
        b'[{"event": {"line": "boom", "data": {"module_type": "rest"}}, "class": "error",'
        b' "timestamp": 1}, {"event": {"line": "ok"}, "class": "info", "timestamp": 2}]'
    )
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = _run_in_pty([str(source)], {**env})
    assert b"\x1b[1;31m1970-01-01 00:00:01  error  rest  boom\x1b[0m" in coloured
    assert b"\x1b[32minfo\x1b[0m" in coloured
    plain = _run_in_pty([str(source)], {"NO_COLOR": "1"})
    assert b"\x1b[" not in plain and b"error  rest  boom" in plain


def test_wants_color_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("TERM", "xterm")
    assert wants_color(Tty())
    assert not wants_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color(Tty())
    monkeypatch.setenv("NO_COLOR", "")  # empty means unset (no-color.org)
    assert wants_color(Tty())
    monkeypatch.setenv("TERM", "dumb")
    assert not wants_color(Tty())


def test_render_document_filter_hook(data_dir: Path) -> None:
    document = load_file(data_dir / "all_logs.json")
    out = io.StringIO()
    render_document(document, "ndjson", out, filter=lambda entry: entry.is_error)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["event"]["line"] for r in records] == ["REST request failed: HTTP 503"]
    out = io.StringIO()
    render_document(document, "text", out, filter=lambda entry: entry.is_error)
    assert "(no entries)" in out.getvalue() and "REST request failed" in out.getvalue()


def test_render_document_rejects_unknown_format(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render_document(load_file(data_dir / "seed_call.json"), "yaml", io.StringIO())


_UNSAFE_OUTPUT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_entries)
def test_no_generated_log_puts_a_control_character_on_the_terminal(
    raw: list[dict[str, object]],
) -> None:
    document = load(json.dumps(raw).encode(), source="generated")
    for fmt in ("text", "json", "xml", "ndjson"):
        out = io.StringIO()
        render_document(document, fmt, out, color=False, show_data=True)
        assert not _UNSAFE_OUTPUT.search(out.getvalue()), fmt
