# ruff: noqa: RUF001, RUF003  (the tokens' own brackets, ‹ ›, are meant)
"""``show --redact``, ``archive export --redact`` and ``config show`` with a ``[redact]`` table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.archive import Archive, StoredAnswer
from fuse_tui.core.formats import LogsDocument, load, load_call_log
from fuse_tui.emulator.scenarios import billing_ivr_call, email_test_call

SID = "300060;001;1529552581"
START = 1529552691
ACCOUNT = "4155550123"
SECRETS = (ACCOUNT, "8005550199", "tests@plumgroup.com")


@pytest.fixture(autouse=True)
def _utc(utc: None) -> None:
    """Times print in UTC (the conftest fixture)."""


def _billing_entries() -> list[dict[str, object]]:
    call = billing_ivr_call(SID, START, "2125551234", "8009957586", account_number=ACCOUNT)
    mail = email_test_call(SID, START + 100, "2125551234", "8009957586")
    return [*call.entries, *mail.entries]


@pytest.fixture
def billing_file(tmp_path: Path) -> Path:
    path = tmp_path / "billing.json"
    path.write_text(json.dumps(_billing_entries()), encoding="utf-8")
    return path


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))


@pytest.mark.parametrize("fmt", ["text", "json", "xml", "ndjson"])
def test_show_redact_masks_every_format(
    fmt: str, billing_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(billing_file), "-f", fmt, "-d"]) == 0
    plain = capsys.readouterr().out
    assert all(secret in plain for secret in SECRETS)  # the test data holds them

    assert main(["show", str(billing_file), "-f", fmt, "-d", "--redact"]) == 0
    redacted = capsys.readouterr().out
    assert not [secret for secret in SECRETS if secret in redacted]
    assert "‹digits-1›" in redacted and "‹email-1›" in redacted and "‹phone-1›" in redacted
    if fmt == "text":  # the same rows, only values changed
        assert len(redacted.splitlines()) == len(plain.splitlines())
        assert "User input: 1 (dtmf)" in redacted  # a menu choice stays
    if fmt in ("json", "xml"):
        document = load(redacted.encode(), source=fmt)
        assert isinstance(document, LogsDocument)
        assert len(document.logs[0].entries) == len(_billing_entries())


def test_show_redact_on_a_call_list_masks_src_and_dest(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(data_dir / "calls.json"), "-f", "json", "--redact"]) == 0
    out = json.loads(capsys.readouterr().out)
    call = out["calls"][0]
    assert call["src"] == "‹phone-1›" and call["dest"] == "‹phone-2›"
    assert call["session_id"] == SID and call["start"] == START


def test_grep_chooses_on_the_real_values_and_prints_them_redacted(
    billing_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(billing_file), "--grep", ACCOUNT, "--redact"]) == 0
    out = capsys.readouterr().out
    assert ACCOUNT not in out
    rows = out.splitlines()
    # The input line and the two REST entries whose URL holds the account, all one token.
    assert len(rows) == 3 and all("‹digits-1›" in row or "REST" in row for row in rows)


def test_configured_keys_and_patterns_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path, monkeypatch, "[redact]\nkeys = [\"member_id\"]\npatterns = ['MRN-\\d+']\n")
    dump = tmp_path / "c.json"
    entry = {"line": "chart MRN-77", "data": {"member_id": "A1", "module_type": "m"}}
    dump.write_text(json.dumps([{"event": entry, "class": "info", "timestamp": START}]))
    assert main(["show", str(dump), "-f", "ndjson", "--redact"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["event"]["line"] == "chart ‹match-1›"
    assert line["event"]["data"]["member_id"] == "‹member_id-1›"


def test_a_bad_pattern_in_the_config_is_one_line_and_nothing_is_printed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    billing_file: Path,
) -> None:
    _config(tmp_path, monkeypatch, "[redact]\npatterns = ['(unclosed']\n")
    assert main(["show", str(billing_file), "--redact"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # never the unredacted log instead
    assert captured.err.count("\n") == 1 and captured.err.startswith("fuse-tui: error: ")
    assert "'(unclosed' is not a valid regular expression" in captured.err
    # Without --redact the same config is no obstacle.
    assert main(["show", str(billing_file)]) == 0


def test_config_show_lists_the_redact_table_and_warns_about_a_bad_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path, monkeypatch, "[redact]\nkeys = [\"member_id\"]\npatterns = ['MRN-\\d+']\n")
    assert main(["config", "show"]) == 0
    assert "redact         defaults + member_id, re:MRN-\\d+\n" in capsys.readouterr().out
    _config(tmp_path, monkeypatch, "[redact]\npatterns = ['a*']\n")
    assert main(["config", "show"]) == 0
    captured = capsys.readouterr()
    assert "redact " not in captured.out
    assert captured.err.startswith("fuse-tui: warning: The config's [redact] pattern 'a*'")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_archive_export_redact_writes_redacted_files_where_export_would(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = json.dumps(_billing_entries()).encode()
    archive = tmp_path / "a.sqlite3"
    with Archive.open(archive) as opened:
        log = load_call_log(raw, source="test")
        opened.store(StoredAnswer(raw, "json", log, "application/json"), SID)
    plain_dir, redacted_dir = tmp_path / "plain", tmp_path / "redacted"
    base = ["archive", "export", "--all", "--archive", str(archive), "--format", fmt]
    assert main([*base, "--to", str(plain_dir)]) == 0
    assert main([*base, "--to", str(redacted_dir), "--redact"]) == 0
    out = capsys.readouterr().out.splitlines()
    plain_file, redacted_file = (Path(line) for line in out)
    assert plain_file.name == redacted_file.name and redacted_file.parent == redacted_dir
    assert ACCOUNT in plain_file.read_text(encoding="utf-8")
    text = redacted_file.read_text(encoding="utf-8")
    assert not [secret for secret in SECRETS if secret in text]
    again = load_call_log(text.encode(), source="export")
    assert len(again.entries) == len(log.entries)


def test_archive_export_redact_with_a_bad_config_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path, monkeypatch, '[redact]\nkeys = "pin"\n')
    archive = tmp_path / "a.sqlite3"
    raw = json.dumps(_billing_entries()).encode()
    with Archive.open(archive) as opened:
        opened.store(StoredAnswer(raw, "json", load_call_log(raw, source="t")), SID)
    target = tmp_path / "out"
    argv = ["archive", "export", "--all", "--archive", str(archive), "--to", str(target)]
    assert main([*argv, "--redact"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[redact] keys must be a list of strings" in err
    assert not target.exists() or not any(target.iterdir())
