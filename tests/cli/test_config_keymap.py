"""``config show`` lists the keymap entries in effect and warns about the ones the TUI will not
apply (an unknown binding id, a key another action of the same screen has)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.cli import main


def test_config_show_reports_unknown_ids_and_clashes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[keymap]\n"log.next_error" = "w"\n"log.nxt_match" = "z"\n"main.copy_event" = "/"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))
    assert main(["config", "show"]) == 0
    out, err = capsys.readouterr()
    line = next(line for line in out.splitlines() if line.startswith("keymap"))
    assert "log.next_error = w" in line
    assert "main.copy_event" not in line and "nxt" not in line
    warnings = [w for w in err.splitlines() if w.startswith("fuse-tui: warning: [keymap]")]
    assert len(warnings) == 2
    assert any("log.nxt_match" in w and "did you mean log.next_match" in w for w in warnings)
    assert any("main.copy_event" in w and "log.filter" in w for w in warnings)


def test_config_show_without_a_keymap_says_nothing_of_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "config.toml"))
    assert main(["config", "show"]) == 0
    out, err = capsys.readouterr()
    assert "keymap" not in out + err
