"""Every CLI fetch lands in the archive, and the archive answers when Fuse no longer can."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.archive import Archive
from fuse_tui.emulator import EmulatorConfig, EmulatorServer

EMAIL, KEY = "cli@example.com", "cli-s3cr3t-key"
NOW = 1_764_200_000


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUSE_EMAIL", EMAIL)
    monkeypatch.setenv("FUSE_DEVELOPER_KEY", KEY)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("NO_COLOR", "1")


def _no_retries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A dead server fails at once instead of after the default retries' real backoff."""
    config = tmp_path / "config.toml"
    config.write_text("retries = 0\n", encoding="utf-8")
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))


def _live_call(server: EmulatorServer) -> str:
    return next(c.session_id for c in server.calls_for(EMAIL) if c.log and ";001;" in c.session_id)


def test_show_archives_the_answer_byte_for_byte(tmp_path: Path) -> None:
    archive_path = tmp_path / "a.sqlite3"
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY}, now=NOW)) as server:
        sid = _live_call(server)
        assert (
            main(["show", sid, "--base-url", server.base_url, "--archive", str(archive_path)]) == 0
        )
        served = server.raw_call(EMAIL, sid)
    with Archive.open(archive_path) as archive:
        archived = archive.get(sid)
    assert archived is not None and archived.raw == served


def test_no_archive_keeps_nothing(tmp_path: Path) -> None:
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY}, now=NOW)) as server:
        sid = _live_call(server)
        assert (
            main(
                [
                    "get",
                    sid,
                    "--base-url",
                    server.base_url,
                    "--no-archive",
                    "-o",
                    str(tmp_path / "c.json"),
                ]
            )
            == 0
        )
    from fuse_tui.core.archive.paths import default_archive_path

    # XDG_DATA_HOME is a temp dir here (tests/conftest.py): nothing was created there either.
    assert not list(tmp_path.glob("*.sqlite3"))
    assert not default_archive_path().exists()


def test_the_default_fetch_is_archived_at_the_default_path() -> None:
    from fuse_tui.core.archive.paths import default_archive_path

    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY}, now=NOW)) as server:
        sid = _live_call(server)
        assert main(["get", sid, "--base-url", server.base_url]) == 0
    with Archive.open(default_archive_path()) as archive:
        assert archive.archived_ids([sid]) == {sid}


def test_when_fuse_cannot_answer_the_archived_copy_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_retries(monkeypatch, tmp_path)
    archive_path = tmp_path / "a.sqlite3"
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY}, now=NOW)) as server:
        sid = _live_call(server)
        base_url = server.base_url
        assert main(["get", sid, "--base-url", base_url, "--archive", str(archive_path)]) == 0
        served = server.raw_call(EMAIL, sid, "xml")
    capsys.readouterr()
    # The emulator is gone: the network fails, the archive answers, and says so.
    out = tmp_path / "call.xml"
    argv = ["get", sid, "--base-url", base_url, "--archive", str(archive_path)]
    assert main([*argv, "--format", "xml", "-o", str(out)]) == 0
    assert "local archive" in capsys.readouterr().err
    assert out.read_bytes() == served  # converted from the archived JSON, identical to Fuse's XML
    assert main(["show", sid, "--base-url", base_url, "--archive", str(archive_path)]) == 0
    captured = capsys.readouterr()
    assert "Executing application" in captured.out and "local archive" in captured.err


def test_without_an_archived_copy_the_error_stands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_retries(monkeypatch, tmp_path)
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY}, now=NOW)) as server:
        base_url = server.base_url
    assert (
        main(["show", "300060;001;1", "--base-url", base_url, "--archive", str(tmp_path / "a.db")])
        == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: ") and err.count("\n") == 1
