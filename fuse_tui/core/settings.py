"""Settings and credentials: command-line flags > environment > the TOML config file.

Environment: ``FUSE_EMAIL``, ``FUSE_DEVELOPER_KEY``, ``FUSE_BASE_URL`` (and ``FUSE_TUI_CONFIG`` to
use another config file). The config file lives in the platform config directory
(``fuse-tui config path`` prints it)::

    email = "me@example.com"
    developer_key_command = "pass show fuse"   # or developer_key = "…" (keep the file 0600)
    base_url = "https://fuse.plumvoice.com/api"
    timeout = 30
    insecure_http = false
    ca_bundle = "/etc/ssl/corp-ca.pem"

    [archive]
    enabled = true
    path = "/home/me/.local/share/fuse-tui/archive.sqlite3"

    [ui]
    theme = "textual-dark"

    [keymap]
    next_error = "e"

    [redact]                        # added to the defaults of `--redact` (core.redact)
    keys = ["member_id"]
    patterns = ['\\bMRN-\\d+\\b']

No command-line flag takes the key itself: it would show in ``ps`` and in shell history.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shlex
import signal
import stat
import subprocess
import time
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from fuse_tui.core.client_errors import DEFAULT_RETRIES, FuseError, MissingCredentialsError
from fuse_tui.core.crash import remember_secret
from fuse_tui.core.limits import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT_SECONDS,
    MAX_RETRIES,
    MAX_TIMEOUT_SECONDS,
)
from fuse_tui.core.paths import APP_NAME, default_archive_path
from fuse_tui.core.textsafe import is_printable

if TYPE_CHECKING:
    from fuse_tui.core.client import Credentials

# The client (httpx) and the config writer (tomlkit) load when used: the TUI reads its settings
# before its first screen, and needs neither for it.
ENV_EMAIL = "FUSE_EMAIL"
ENV_KEY = "FUSE_DEVELOPER_KEY"
ENV_BASE_URL = "FUSE_BASE_URL"
ENV_CONFIG = "FUSE_TUI_CONFIG"
KEY_COMMAND_TIMEOUT = 60.0

log = logging.getLogger("fuse_tui.settings")


class SettingsError(FuseError):
    """The configuration cannot be used; the message says what to fix."""


class Settings(BaseModel):
    """Everything fuse-tui is configured with. ``developer_key`` is hidden in reprs."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    email: str | None = None
    developer_key: SecretStr | None = None
    developer_key_command: str | None = None
    base_url: str = DEFAULT_BASE_URL
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    # The client's one retry budget: a request costs at most 1 + retries HTTP requests.
    retries: int = DEFAULT_RETRIES
    archive_path: Path | None = None
    archive_enabled: bool = True
    keymap: dict[str, str] = Field(default_factory=dict)
    theme: str | None = None
    # Every key of the config's [ui] table (theme included): remembered UI preferences such as
    # the last export format or the detail pane's size. Each screen reads what it knows.
    ui_prefs: dict[str, Any] = Field(default_factory=dict)
    insecure_http: bool = False
    ca_bundle: str | None = None
    # The config's [redact] table as written; core.redact.RedactRules.from_config checks it
    # when something is redacted, so a bad pattern stops only that, in one sentence.
    redact: dict[str, Any] = Field(default_factory=dict)
    # Where each value came from is not kept, except the key's: "flag", "env", "config", "command".
    key_source: str | None = None
    config_file: Path | None = None
    warnings: list[str] = Field(default_factory=list)

    def credentials(self) -> Credentials:
        """The credentials, or :class:`MissingCredentialsError` saying what is missing."""
        missing = [
            name
            for name, value in (("e-mail", self.email), ("developer key", self.developer_key))
            if not value
        ]
        if missing:
            raise MissingCredentialsError(" and ".join(missing))
        assert self.email is not None and self.developer_key is not None
        from fuse_tui.core.client import Credentials

        return Credentials(email=self.email, developer_key=self.developer_key)


def config_path() -> Path:
    """Where the config file is (it may not exist yet)."""
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def _read_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(f"Cannot read the config file {path}: {exc.strerror}.") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"The config file {path} is not valid TOML: {exc}.") from None


def _permission_warning(path: Path, data: Mapping[str, Any]) -> str | None:
    if os.name != "posix" or not data.get("developer_key"):
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return (
            f"The config file {path} holds a developer key and is readable by group or others; "
            f"run: chmod 600 {shlex.quote(str(path))}"
        )
    return None


def _flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    """Config-file keys as Settings field names."""
    flat: dict[str, Any] = {}
    for key in (
        "email",
        "developer_key",
        "developer_key_command",
        "base_url",
        "timeout",
        "retries",
        "insecure_http",
        "ca_bundle",
        "theme",
        "archive_path",
        "archive_enabled",
    ):
        if key in data:
            flat[key] = data[key]
    archive = data.get("archive")
    if isinstance(archive, Mapping):
        if "path" in archive:
            flat["archive_path"] = archive["path"]
        if "enabled" in archive:
            flat["archive_enabled"] = archive["enabled"]
    ui = data.get("ui")
    if isinstance(ui, Mapping):
        flat["ui_prefs"] = {str(k): v for k, v in ui.items()}
        if "theme" in ui:
            flat["theme"] = ui["theme"]
    redact = data.get("redact")
    if isinstance(redact, Mapping):
        flat["redact"] = {str(k): v for k, v in redact.items()}
    keymap = data.get("keymap")
    if isinstance(keymap, Mapping):
        flat["keymap"] = {str(k): str(v) for k, v in keymap.items()}
    return flat


def _end_process_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the command and everything it started (its own session: one process group)."""
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - no process groups; end the command itself
            process.kill()
    # Reap it and drain the pipes; every writer is dead, so this cannot wait long.
    with contextlib.suppress(subprocess.TimeoutExpired, OSError, ValueError):
        process.communicate(timeout=5)


def run_key_command(command: str, *, timeout: float = KEY_COMMAND_TIMEOUT) -> SecretStr:
    """Run ``developer_key_command`` and take the first line of its output as the key.

    Every failure is one :class:`SettingsError` sentence that never quotes the output (it may
    hold part of the key). The command runs in its own session so that, on timeout, the whole
    process group is ended: ``sh -c 'pass show fuse'`` must not leave a ``gpg`` behind.
    """
    try:
        argv = shlex.split(command)
    except ValueError:
        raise SettingsError("developer_key_command is not a valid command line.") from None
    if not argv:
        raise SettingsError("developer_key_command is empty.")
    program = argv[0]
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise SettingsError(
            f"developer_key_command: {program} was not found; check the command in the config."
        ) from None
    except OSError as exc:  # a directory, a file without execute permission, a bad binary…
        reason = (exc.strerror or type(exc).__name__).lower()
        raise SettingsError(
            f"developer_key_command: {program} cannot be run ({reason}); check the command "
            "in the config."
        ) from None
    try:
        stdout, _stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end_process_group(process)
        raise SettingsError(
            f"developer_key_command did not finish within {timeout:g} seconds; it was stopped. "
            "Run it by hand to see why."
        ) from None
    except BaseException:  # Ctrl-C while it runs: leave nothing of it behind
        _end_process_group(process)
        raise
    # Its output is never shown: on failure it might hold part of the secret.
    if process.returncode != 0:
        status = (
            f"was killed by signal {-process.returncode}"
            if process.returncode < 0
            else f"failed with exit status {process.returncode}"
        )
        raise SettingsError(f"developer_key_command {status}; run it by hand to see why.")
    try:
        text = stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsError(
            "developer_key_command printed bytes that are not UTF-8 text; it must print the key "
            "as text."
        ) from None
    for line in text.splitlines():
        if line.strip():
            key = line.strip()
            remember_secret(key)
            return SecretStr(key)
    raise SettingsError("developer_key_command printed nothing; it must print the key.")


def load_settings(
    *,
    config_file: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    resolve_key_command: bool = True,
    **overrides: Any,
) -> Settings:
    """Settings from flags (``overrides``; None means "not given") > env > config file."""
    environ = os.environ if env is None else env
    path = Path(config_file).expanduser() if config_file is not None else config_path()
    data = _read_config(path)
    values = _flatten(data)
    if log.isEnabledFor(logging.INFO):
        _log_origins(path, values, environ, overrides)
    warnings: list[str] = []
    warning = _permission_warning(path, data)
    if warning:  # the front ends print settings.warnings (logging it too printed it twice)
        warnings.append(warning)
    key_source = "config" if values.get("developer_key") else None
    for env_name, field_name in (
        (ENV_EMAIL, "email"),
        (ENV_KEY, "developer_key"),
        (ENV_BASE_URL, "base_url"),
    ):
        if environ.get(env_name):
            values[field_name] = environ[env_name].strip()
            if field_name == "developer_key":
                key_source = "env"
    for name, value in overrides.items():
        if name not in Settings.model_fields:
            raise TypeError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = value
            if name == "developer_key":
                key_source = "flag"
    if (
        resolve_key_command
        and not values.get("developer_key")
        and values.get("developer_key_command")
    ):
        started = time.monotonic()
        values["developer_key"] = run_key_command(str(values["developer_key_command"]))
        key_source = "command"
        log.info(
            "developer key: from developer_key_command (%s, %.2fs)",
            shlex.split(str(values["developer_key_command"]))[0],
            time.monotonic() - started,
        )
    if values.get("archive_path") is not None:
        values["archive_path"] = Path(str(values["archive_path"])).expanduser()
    else:
        values["archive_path"] = default_archive_path()
    try:
        settings = Settings(
            **values,
            key_source=key_source,
            config_file=path if path.exists() else None,
            warnings=warnings,
        )
    except ValueError as exc:
        first = str(exc).splitlines()
        where = first[1] if len(first) > 1 else "a value"
        raise SettingsError(f"The configuration has a wrong value ({where}); see {path}.") from None
    # Bounded like the command-line flags: the config and environment are no way around them.
    if not 0 < settings.timeout <= MAX_TIMEOUT_SECONDS:  # also NaN, false with everything
        raise SettingsError(
            f"The timeout must be a positive number of seconds, at most {MAX_TIMEOUT_SECONDS:g}."
        )
    if not 0 <= settings.retries <= MAX_RETRIES:
        raise SettingsError(f"retries must be a whole number from 0 to {MAX_RETRIES}.")
    return settings


def _log_origins(
    path: Path, config: Mapping[str, Any], environ: Mapping[str, str], flags: Mapping[str, Any]
) -> None:
    """Say where each setting comes from (flag > env > config > default); never a key's value."""
    log.info("config file: %s (%s)", path, "read" if path.exists() else "not found")
    env_names = {"email": ENV_EMAIL, "developer_key": ENV_KEY, "base_url": ENV_BASE_URL}
    for name in ("base_url", "email", "developer_key", "timeout", "archive_path", "insecure_http"):
        env_name = env_names.get(name)
        if flags.get(name) is not None:
            origin = "command line"
        elif env_name and environ.get(env_name):
            origin = f"environment ({env_name})"
        elif config.get(name) not in (None, ""):
            origin = "config file"
        elif name == "developer_key" and config.get("developer_key_command"):
            origin = "developer_key_command"
        else:
            origin = "default" if name != "developer_key" else "not set"
        log.info("%s: from %s", name, origin)


# -- writing the config file ----------------------------------------------------------------------
def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    # A JSON string is a valid TOML basic string as long as non-ASCII stays literal.
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)


def dump_toml(data: Mapping[str, Any]) -> str:
    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            tables.append((key, value))
        elif value is not None:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for name, table in tables:
        lines.append("")
        lines.append(f"[{_toml_key(name)}]")
        for key, value in table.items():
            if value is not None and not isinstance(value, Mapping):
                lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def _update_config(path: Path | None, update: Mapping[str, Any]) -> Path:
    from fuse_tui.core.config_file import ConfigWriteError, update_config_file

    target = path or config_path()
    try:
        update_config_file(target, update)
    except ConfigWriteError as exc:
        raise SettingsError(str(exc)) from None
    return target


def save_credentials(
    email: str, developer_key: str | SecretStr, *, path: Path | None = None
) -> Path:
    """Store the e-mail and key in the config file (mode 0600, atomic replace)."""
    key = (
        developer_key.get_secret_value() if isinstance(developer_key, SecretStr) else developer_key
    )
    for name, value in (("e-mail", email), ("developer key", key)):
        # Undecodable bytes (lone surrogates) cannot be written as UTF-8; control and bidi
        # characters would make a credential that can never be typed or shown again.
        if not is_printable(value):
            raise SettingsError(
                f"The {name} holds control characters or bytes that are not valid text; "
                "nothing was saved."
            )
    return _update_config(path, {"email": email, "developer_key": key})


def save_ui_prefs(
    *,
    theme: str | None = None,
    keymap: Mapping[str, str] | None = None,
    ui: Mapping[str, Any] | None = None,
    path: Path | None = None,
) -> Path:
    """Remember UI preferences (the theme, other ``[ui]`` keys, key bindings) in the config."""
    update: dict[str, Any] = {}
    ui_update = dict(ui or {})
    if theme is not None:
        ui_update["theme"] = theme
    if ui_update:
        update["ui"] = ui_update
    if keymap:
        update["keymap"] = dict(keymap)
    return _update_config(path, update)
