"""Output is whole or the command fails: the real entry point, its stdout on a full disk (ENOSPC,
/dev/full), past the file size limit (EFBIG, ``ulimit -f``) and into a closed pipe (EPIPE).

With ``PYTHONUNBUFFERED=1`` Python's stdout is a raw FileIO whose short writes nobody checked:
``show -f json > file`` past ``ulimit -f`` left half a file and exited 0. Every case runs with
the variable set and unset.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.emulator import EmulatorConfig, EmulatorServer

EMAIL, KEY = "out@example.com", "out-s3cr3t-key"
# Under RLIMIT_FSIZE no file may grow past FILE_LIMIT. The limit is high so that the archive
# (SQLite) keeps working; stdout is a sparse file already this close to it.
FILE_LIMIT = 256 * 1024 * 1024
ROOM = 16 * 1024
BUFFERING = pytest.mark.parametrize("unbuffered", [True, False], ids=["unbuffered", "buffered"])
HAS_DEV_FULL = os.path.exists("/dev/full")


def _limit_file_size(limit: int = FILE_LIMIT) -> None:
    # Past the limit write(2) fails with EFBIG instead of the process dying of SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def _limit_file_size_to_room() -> None:
    _limit_file_size(ROOM)


def _env(unbuffered: bool, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env.update(PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1", NO_PROXY="*", **extra)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    return env


def run_cli(
    args: list[str],
    *,
    stdout: int | object,
    unbuffered: bool,
    env: dict[str, str],
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fuse_tui", *args],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        env=_env(unbuffered, env),
        preexec_fn=preexec_fn,
        timeout=120,
        check=False,
    )


def assert_one_error_line(done: subprocess.CompletedProcess[str], reason: str) -> None:
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("fuse-tui: error: cannot write the output"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert reason in done.stderr


def to_dev_full(args: list[str], unbuffered: bool, env: dict[str, str]) -> None:
    with open("/dev/full", "w") as full:
        done = run_cli(args, stdout=full, unbuffered=unbuffered, env=env)
    assert_one_error_line(done, "No space left on device")


def past_file_limit(args: list[str], unbuffered: bool, env: dict[str, str], out: Path) -> None:
    """``>> out`` where ``out`` has ROOM bytes left before the file size limit."""
    with open(out, "wb") as sparse:
        sparse.truncate(FILE_LIMIT - ROOM)
    with open(out, "ab") as target:
        done = run_cli(
            args, stdout=target, unbuffered=unbuffered, env=env, preexec_fn=_limit_file_size
        )
    assert_one_error_line(done, "File too large")
    assert out.stat().st_size == FILE_LIMIT  # the output was big enough to be cut


def into_closed_pipe(args: list[str], unbuffered: bool, env: dict[str, str]) -> None:
    """``| head -c 1``: the reader goes away; a quiet exit 0, as a shell tool does."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "fuse_tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(unbuffered, env),
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0, err
    assert err == b""


# --- show: every format -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log whose every rendering is far bigger than the file limit and a pipe's buffer."""
    entries = [
        {
            "event": {"line": f"step {i} " + "x" * 60, "data": {"module_type": "rest"}},
            "class": "info",
            "timestamp": 1529552581 + i,
        }
        for i in range(3000)
    ]
    path = tmp_path_factory.mktemp("dump") / "big.json"
    path.write_text(json.dumps(entries))
    return path


@pytest.fixture
def no_config(tmp_path: Path) -> dict[str, str]:
    return {"FUSE_TUI_CONFIG": str(tmp_path / "none.toml")}


SHOW_FORMATS = pytest.mark.parametrize("fmt", ["json", "xml", "ndjson", "text"])


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
@BUFFERING
@SHOW_FORMATS
def test_show_on_a_full_disk_fails(
    big_dump: Path, no_config: dict[str, str], fmt: str, unbuffered: bool
) -> None:
    to_dev_full(["show", "-f", fmt, str(big_dump)], unbuffered, no_config)


@BUFFERING
@SHOW_FORMATS
def test_show_past_the_file_size_limit_fails(
    big_dump: Path, no_config: dict[str, str], tmp_path: Path, fmt: str, unbuffered: bool
) -> None:
    past_file_limit(["show", "-f", fmt, str(big_dump)], unbuffered, no_config, tmp_path / "out")


@BUFFERING
@SHOW_FORMATS
def test_show_into_a_closed_pipe_is_quiet(
    big_dump: Path, no_config: dict[str, str], fmt: str, unbuffered: bool
) -> None:
    into_closed_pipe(["show", "-f", fmt, str(big_dump)], unbuffered, no_config)


@BUFFERING
def test_show_output_is_unchanged_when_it_fits(
    big_dump: Path, no_config: dict[str, str], tmp_path: Path, unbuffered: bool
) -> None:
    out = tmp_path / "out.json"
    with open(out, "w") as target:
        done = run_cli(
            ["show", "-f", "json", str(big_dump)],
            stdout=target,
            unbuffered=unbuffered,
            env=no_config,
        )
    assert done.returncode == 0 and done.stderr == ""
    assert len(json.loads(out.read_text())) == 3000


# --- get, calls: the API through the emulator ---------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY}, generated_calls=300)) as emulator:
        yield emulator


@pytest.fixture
def api_env(server: EmulatorServer, tmp_path: Path) -> dict[str, str]:
    return {
        "FUSE_TUI_CONFIG": str(tmp_path / "none.toml"),
        "FUSE_BASE_URL": server.base_url,
        "FUSE_EMAIL": EMAIL,
        "FUSE_DEVELOPER_KEY": KEY,
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


@pytest.fixture(scope="module")
def biggest_call(server: EmulatorServer) -> str:
    live = [c.session_id for c in server.calls_for(EMAIL) if c.log]
    sid = max(live, key=lambda s: len(server.raw_call(EMAIL, s)))
    assert len(server.raw_call(EMAIL, sid)) > 2 * ROOM
    return sid


@BUFFERING
def test_get_past_the_file_size_limit_fails(
    biggest_call: str, api_env: dict[str, str], tmp_path: Path, unbuffered: bool
) -> None:
    args = ["get", biggest_call, "--no-archive"]
    past_file_limit(args, unbuffered, api_env, tmp_path / "out")


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
@BUFFERING
def test_get_on_a_full_disk_fails(
    biggest_call: str, api_env: dict[str, str], unbuffered: bool
) -> None:
    to_dev_full(["get", biggest_call, "--no-archive"], unbuffered, api_env)


@BUFFERING
def test_get_into_a_closed_pipe_is_quiet(
    biggest_call: str, api_env: dict[str, str], unbuffered: bool
) -> None:
    into_closed_pipe(["get", biggest_call, "--no-archive"], unbuffered, api_env)


CALLS = ["calls", "--format", "json", "--since", "30d"]


@BUFFERING
def test_calls_json_past_the_file_size_limit_fails(
    api_env: dict[str, str], tmp_path: Path, unbuffered: bool
) -> None:
    past_file_limit(CALLS, unbuffered, api_env, tmp_path / "out")


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
@BUFFERING
def test_calls_json_on_a_full_disk_fails(api_env: dict[str, str], unbuffered: bool) -> None:
    to_dev_full(CALLS, unbuffered, api_env)


# --- archive search -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(big_dump: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "a.sqlite3"
    assert main(["archive", "import", str(big_dump), "--archive", str(path)]) == 0
    return path


def _search(archive: Path) -> list[str]:
    return ["archive", "search", "step", "--format", "json", "--limit", "3000", "--archive",
            str(archive)]  # fmt: skip


@BUFFERING
def test_archive_search_json_past_the_file_size_limit_fails(
    archive: Path, no_config: dict[str, str], tmp_path: Path, unbuffered: bool
) -> None:
    past_file_limit(_search(archive), unbuffered, no_config, tmp_path / "out")


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
@BUFFERING
def test_archive_search_json_on_a_full_disk_fails(
    archive: Path, no_config: dict[str, str], unbuffered: bool
) -> None:
    to_dev_full(_search(archive), unbuffered, no_config)


# --- files written with -o / --to: atomically, never a partial target ---------------------------


@BUFFERING
def test_get_to_a_file_past_the_limit_leaves_the_old_file(
    biggest_call: str, api_env: dict[str, str], tmp_path: Path, unbuffered: bool
) -> None:
    target = tmp_path / "call.json"
    target.write_bytes(b"the previous download\n")
    done = run_cli(
        ["get", biggest_call, "--no-archive", "-o", str(target)],
        stdout=subprocess.DEVNULL,
        unbuffered=unbuffered,
        env=api_env,
        preexec_fn=_limit_file_size_to_room,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("fuse-tui: error: cannot write ") and "File too large" in (
        done.stderr
    )
    assert done.stderr.count("\n") == 1
    assert target.read_bytes() == b"the previous download\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".call")] == []


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
def test_get_to_dev_full_fails(biggest_call: str, api_env: dict[str, str]) -> None:
    done = run_cli(
        ["get", biggest_call, "--no-archive", "-o", "/dev/full"],
        stdout=subprocess.DEVNULL,
        unbuffered=True,
        env=api_env,
    )
    assert done.returncode == 1, done.stderr
    assert "No space left on device" in done.stderr and done.stderr.count("\n") == 1


# --- the writer itself --------------------------------------------------------------------------


def test_short_writes_and_a_full_non_blocking_pipe_are_retried_until_all_is_written() -> None:
    """A non-blocking pipe takes one pipe-buffer's worth per write(2), then says EAGAIN."""
    import threading

    from fuse_tui.cli.stdout_guard import WholeWriter

    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    data = bytes(range(256)) * 4096  # 1 MiB, far more than a pipe holds
    received = bytearray()

    def drain() -> None:
        while chunk := os.read(read_end, 7919):  # a prime, so reads never line up with writes
            received.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        assert WholeWriter(write_end).write(data) == len(data)
    finally:
        os.close(write_end)
        reader.join(timeout=30)
        os.close(read_end)
    assert bytes(received) == data


def test_a_failed_writer_keeps_failing_until_told_to_discard() -> None:
    from fuse_tui.cli.stdout_guard import WholeWriter

    if not HAS_DEV_FULL:
        pytest.skip("needs /dev/full")
    fd = os.open("/dev/full", os.O_WRONLY)
    try:
        writer = WholeWriter(fd)
        with pytest.raises(OSError) as first:
            writer.write(b"lost")
        with pytest.raises(OSError) as again:  # no tail printed after a hole
            writer.write(b"tail")
        assert again.value is first.value is writer.failure
        writer.discard()
        assert writer.write(b"dropped") == len(b"dropped")
    finally:
        os.close(fd)


# Output that cannot be written (a full disk behind a redirect): one line on stderr, exit 1.


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_full_disk_is_one_line(data_dir: Path, tmp_path: Path, fmt: str) -> None:
    env = {**os.environ, "FUSE_TUI_CONFIG": str(tmp_path / "none.toml")}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "fuse_tui", "show", "-f", fmt, str(data_dir / "seed_call.json")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.startswith("fuse-tui: error: "), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "No space left on device" in done.stderr
