"""Settings: flags > environment > config file; key command; permissions; 0600 saves."""

from __future__ import annotations

import io
import os
import stat
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import SecretStr

from fuse_tui.cli import main
from fuse_tui.core.client import DEFAULT_BASE_URL, MissingCredentialsError
from fuse_tui.core.settings import (
    SettingsError,
    config_path,
    dump_toml,
    load_settings,
    save_credentials,
    save_ui_prefs,
)

KEY = "file-k3y-0001"


def write_config(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(
        tmp_path / "config.toml",
        f'email = "file@example.com"\ndeveloper_key = "{KEY}"\n'
        'base_url = "https://file.example.com/api"\ntimeout = 12\n'
        '[archive]\nenabled = false\npath = "~/fuse.sqlite3"\n'
        '[ui]\ntheme = "nord"\n[keymap]\nnext_error = "ctrl+e"\n',
    )


def test_defaults_without_config_or_environment(tmp_path: Path) -> None:
    settings = load_settings(config_file=tmp_path / "absent.toml", env={})
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.email is None and settings.developer_key is None
    assert settings.timeout == 30 and settings.archive_enabled
    assert settings.archive_path is not None and settings.archive_path.name.startswith("archive")
    assert settings.config_file is None
    with pytest.raises(MissingCredentialsError, match="e-mail and developer key"):
        settings.credentials()


def test_config_file_values(config: Path) -> None:
    settings = load_settings(config_file=config, env={})
    assert settings.email == "file@example.com"
    assert settings.developer_key == SecretStr(KEY) and settings.key_source == "config"
    assert settings.base_url == "https://file.example.com/api"
    assert settings.timeout == 12
    assert settings.archive_enabled is False
    assert settings.archive_path == Path("~/fuse.sqlite3").expanduser()
    assert settings.theme == "nord" and settings.keymap == {"next_error": "ctrl+e"}
    assert settings.warnings == []
    creds = settings.credentials()
    assert creds.email == "file@example.com" and creds.developer_key.get_secret_value() == KEY


def test_environment_beats_the_file_and_flags_beat_both(config: Path) -> None:
    env = {
        "FUSE_EMAIL": "env@example.com",
        "FUSE_DEVELOPER_KEY": "env-key",
        "FUSE_BASE_URL": "https://env.example.com/api",
    }
    from_env = load_settings(config_file=config, env=env)
    assert (from_env.email, from_env.base_url) == ("env@example.com", "https://env.example.com/api")
    assert from_env.developer_key == SecretStr("env-key") and from_env.key_source == "env"
    flagged = load_settings(
        config_file=config,
        env=env,
        email="flag@example.com",
        base_url="http://127.0.0.1:1/api",
        timeout=3.5,
        insecure_http=True,
        ca_bundle="/tmp/ca.pem",
    )
    assert flagged.email == "flag@example.com" and flagged.base_url == "http://127.0.0.1:1/api"
    assert flagged.timeout == 3.5 and flagged.insecure_http and flagged.ca_bundle == "/tmp/ca.pem"
    # None means "flag not given": the lower layers show through.
    unflagged = load_settings(config_file=config, env=env, email=None, timeout=None)
    assert unflagged.email == "env@example.com" and unflagged.timeout == 12


def key_command(tmp_path: Path, body: str) -> str:
    script = tmp_path / "key_command.py"
    script.write_text(body, encoding="utf-8")
    return f"{sys.executable} {script}"


def test_developer_key_command_supplies_the_key(tmp_path: Path) -> None:
    command = key_command(tmp_path, "print()\nprint('  cmd-key  ')\nprint('more')\n")
    path = write_config(
        tmp_path / "c.toml",
        dump_toml({"email": "a@example.com", "developer_key_command": command}),
    )
    settings = load_settings(config_file=path, env={})
    assert settings.developer_key == SecretStr("cmd-key") and settings.key_source == "command"
    # The environment's key wins without running the command.
    assert load_settings(config_file=path, env={"FUSE_DEVELOPER_KEY": "e"}).key_source == "env"
    lazy = load_settings(config_file=path, env={}, resolve_key_command=False)
    assert lazy.developer_key is None and lazy.developer_key_command == command


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("import sys\nprint('half-a-secret')\nsys.exit(3)\n", "exit status 3"),
        ("pass\n", "printed nothing"),
        (None, "was not found"),
    ],
)
def test_a_failing_key_command_is_reported_without_its_output(
    tmp_path: Path, body: str | None, message: str
) -> None:
    command = key_command(tmp_path, body) if body else "/nonexistent/pass show fuse"
    path = write_config(tmp_path / "c.toml", dump_toml({"developer_key_command": command}))
    with pytest.raises(SettingsError, match=message) as caught:
        load_settings(config_file=path, env={})
    assert "half-a-secret" not in str(caught.value)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_readable_config_holding_a_key_is_warned_about(
    config: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config.chmod(0o644)
    settings = load_settings(config_file=config, env={})
    assert len(settings.warnings) == 1 and "chmod 600" in settings.warnings[0]
    assert KEY not in settings.warnings[0] and KEY not in caplog.text
    config.chmod(0o600)
    assert load_settings(config_file=config, env={}).warnings == []
    keyless = write_config(config.parent / "k.toml", 'email = "x@example.com"\n', 0o644)
    assert load_settings(config_file=keyless, env={}).warnings == []


def test_broken_config_files_are_reported(tmp_path: Path) -> None:
    broken = write_config(tmp_path / "b.toml", "email = \n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(config_file=broken, env={})
    wrong = write_config(tmp_path / "w.toml", 'timeout = "soon"\n')
    with pytest.raises(SettingsError, match="timeout"):
        load_settings(config_file=wrong, env={})
    with pytest.raises(SettingsError, match="positive"):
        load_settings(config_file=tmp_path / "none.toml", env={}, timeout=0)


def test_the_key_never_shows_in_a_repr(config: Path) -> None:
    settings = load_settings(config_file=config, env={})
    assert KEY not in repr(settings) and KEY not in str(settings)
    assert KEY not in repr(settings.credentials())


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_save_credentials_writes_0600_atomically_and_keeps_other_settings(config: Path) -> None:
    config.chmod(0o644)
    saved = save_credentials("new@example.com", "n3w-k3y", path=config)
    assert saved == config
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    data = tomllib.loads(config.read_text())
    assert data["email"] == "new@example.com" and data["developer_key"] == "n3w-k3y"
    assert data["ui"]["theme"] == "nord" and data["archive"]["enabled"] is False
    assert [p.name for p in config.parent.iterdir()] == [config.name]  # no temp file left


def test_save_credentials_creates_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "fuse-tui" / "config.toml"
    save_credentials("a@example.com", SecretStr("k"), path=target)
    settings = load_settings(config_file=target, env={})
    assert settings.email == "a@example.com" and settings.developer_key == SecretStr("k")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_save_ui_prefs(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    save_ui_prefs(theme="gruvbox", keymap={"quit": "ctrl+q"}, path=target)
    save_ui_prefs(theme="nord", path=target)
    settings = load_settings(config_file=target, env={})
    assert settings.theme == "nord" and settings.keymap == {"quit": "ctrl+q"}


def test_config_path_follows_the_platform_and_the_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FUSE_TUI_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert config_path() == tmp_path / "xdg" / "fuse-tui" / "config.toml"
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "mine.toml"))
    assert config_path() == tmp_path / "mine.toml"
    write_config(tmp_path / "mine.toml", 'email = "o@example.com"\n')
    assert load_settings(env={}).email == "o@example.com"


def test_dump_toml_round_trips_awkward_strings() -> None:
    data = {
        "developer_key": 'quo"te\\back\nline \u00e9 \U0001f600',
        "timeout": 2.5,
        "insecure_http": False,
        "keymap": {"a b": "ctrl+x", "next": "n"},
    }
    assert tomllib.loads(dump_toml(data)) == data


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("timeout = inf", "timeout"),
        ("timeout = 1e308", "timeout"),
        ("retries = -1", "retries"),
        ("retries = 1000", "retries"),
    ],
)
def test_absurd_timeouts_and_retries_in_the_config_are_refused(
    tmp_path: Path, line: str, words: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=words):
        load_settings(config_file=path, env={})


# Credentials that cannot be stored or sent: refused with a sentence, the old file untouched.


GOOD = 'email = "old@example.com"\ndeveloper_key = "old-k3y"\n'


@pytest.mark.parametrize(
    ("email", "key", "what"),
    [
        ("a@example.com", "SEKRIT\udcff-KEY", "developer key"),  # undecodable byte on stdin
        ("a@example.com", "SEKRIT\x1b[2J-KEY", "developer key"),
        ("a\nb@example.com", "SEKRIT-KEY", "e-mail"),
        ("a\u202e@example.com", "SEKRIT-KEY", "e-mail"),
    ],
)
def test_unstorable_credentials_are_refused(
    tmp_path: Path, email: str, key: str, what: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(GOOD)
    with pytest.raises(SettingsError) as caught:
        save_credentials(email, key, path=config)
    assert what in str(caught.value)
    assert "SEKRIT" not in str(caught.value)
    assert config.read_text() == GOOD
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_cli_set_credentials_with_an_undecodable_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))
    monkeypatch.setattr("sys.stdin", io.StringIO("SEKRIT\udcff-KEY\n"))
    assert main(["config", "set-credentials", "--email", "a@example.com"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: ") and err.count("\n") == 1
    assert "SEKRIT" not in err
    assert not config.exists()


def test_reading_the_settings_imports_neither_the_client_nor_the_config_writer() -> None:
    """The TUI reads its settings before its first screen: httpx and tomlkit are not needed."""
    import subprocess
    import sys

    code = (
        "import sys; from fuse_tui.core.settings import load_settings; load_settings(); "
        "print(sorted({'httpx', 'tomlkit', 'fuse_tui.core.client'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
