"""Saving credentials or UI preferences changes those keys and leaves the rest of the file alone."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from fuse_tui.core.settings import SettingsError, save_credentials, save_ui_prefs

USER_FILE = """\
# My fuse-tui settings — keep this comment
email = "old@example.com"   # inline comment
timeout = 12.5
retry_codes = [1, 2]

[archive]
path = "~/calls.sqlite3"

[ui]
theme = "nord"  # the one I like
detail_size = 40

[keymap]
"log.next_error" = "x"

[my.own.nested]
answer = 42
"""


def test_saving_keeps_comments_order_types_and_unknown_tables(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE, encoding="utf-8")

    save_ui_prefs(theme="gruvbox", path=path)
    save_credentials("new@example.com", "k3y", path=path)

    text = path.read_text(encoding="utf-8")
    assert "# My fuse-tui settings — keep this comment" in text
    assert "# the one I like" in text
    data = tomllib.loads(text)
    assert data["email"] == "new@example.com"
    assert data["developer_key"] == "k3y"
    assert data["timeout"] == 12.5
    assert data["retry_codes"] == [1, 2]  # a list, not the string "[1, 2]"
    assert data["ui"] == {"theme": "gruvbox", "detail_size": 40}
    assert data["keymap"] == {"log.next_error": "x"}
    assert data["my"]["own"]["nested"] == {"answer": 42}
    assert data["archive"] == {"path": "~/calls.sqlite3"}
    # The user's order is kept: email still comes before [archive].
    assert text.index("email") < text.index("[archive]") < text.index("[ui]")


def test_a_new_file_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    save_ui_prefs(ui={"export_format": "csv"}, path=path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"ui": {"export_format": "csv"}}
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_invalid_toml_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = "email = \n[ui\n"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        save_ui_prefs(theme="nord", path=path)
    assert path.read_text(encoding="utf-8") == broken


def test_a_symlinked_config_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "fuse.toml"
    real.parent.mkdir()
    real.write_text("# tracked in git\n", encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_ui_prefs(theme="nord", path=link)
    assert link.is_symlink()
    assert "# tracked in git" in real.read_text(encoding="utf-8")
    assert tomllib.loads(real.read_text(encoding="utf-8"))["ui"]["theme"] == "nord"


def test_a_scalar_where_a_table_goes_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('ui = "oops"\n', encoding="utf-8")
    save_ui_prefs(theme="nord", path=path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"ui": {"theme": "nord"}}
