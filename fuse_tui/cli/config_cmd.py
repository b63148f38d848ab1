"""``fuse-tui config path|show|set-credentials``: where settings live and what they resolve to."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from typing import Any

from fuse_tui.cli.common import EXIT_OK, fail
from fuse_tui.core.textsafe import escape_control


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "config",
        help="show the config file's path and the settings in effect; store credentials",
        description="Settings come from flags, then FUSE_EMAIL / FUSE_DEVELOPER_KEY / "
        "FUSE_BASE_URL, then the TOML config file (FUSE_TUI_CONFIG=PATH uses another file).",
    )
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    path = actions.add_parser("path", help="print where the config file is (or would be)")
    path.set_defaults(func=run_path)
    show = actions.add_parser("show", help="print the settings in effect (the key is masked)")
    show.set_defaults(func=run_show)
    creds = actions.add_parser(
        "set-credentials",
        help="store the e-mail and developer key in the config file (mode 0600)",
        description="Prompts for the developer key (or reads one line from stdin when it is not "
        "a terminal); the key is never taken as an argument.",
    )
    creds.add_argument("--email", help="Fuse login e-mail (prompted for when missing)")
    creds.set_defaults(func=run_set_credentials)


def run_path(args: argparse.Namespace) -> int:
    from fuse_tui.core.settings import config_path

    sys.stdout.write(f"{config_path()}\n")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    from fuse_tui.core.client import FuseError
    from fuse_tui.core.keymap import check_keymap
    from fuse_tui.core.settings import config_path, load_settings

    try:
        settings = load_settings(resolve_key_command=False)
    except FuseError as exc:
        return fail(str(exc))
    for warning in settings.warnings:
        sys.stderr.write(f"fuse-tui: warning: {warning}\n")
    if settings.developer_key:
        key = f"set (from {settings.key_source})"
    elif settings.developer_key_command:
        key = "from developer_key_command (not run by `config show`)"
    else:
        key = "not set"
    rows = [
        ("config file", str(config_path()) + ("" if settings.config_file else " (absent)")),
        ("email", settings.email or "not set"),
        ("developer key", key),
        ("base url", masked_url(settings.base_url)),
        ("timeout", f"{settings.timeout:g} s"),
        ("insecure http", "yes" if settings.insecure_http else "no"),
        ("ca bundle", settings.ca_bundle or "system default"),
        ("archive", f"{settings.archive_path} ({'on' if settings.archive_enabled else 'off'})"),
        ("theme", settings.theme or "default"),
    ]
    redact_problem = None
    if settings.redact:
        from fuse_tui.core.redact import RedactConfigError, RedactRules

        try:
            rules = RedactRules.from_config(settings.redact)
        except RedactConfigError as exc:
            redact_problem = str(exc)
        else:
            added = [*rules.extra_keys, *(f"re:{p.pattern}" for p in rules.patterns)]
            rows.append(("redact", "defaults + " + ", ".join(added) if added else "defaults"))
    keymap = check_keymap(settings.keymap)
    if settings.keymap:
        rows.append(("keymap", ", ".join(f"{k} = {v}" for k, v in keymap.usable.items()) or "-"))
    for name, value in rows:
        sys.stdout.write(f"{name:<14} {escape_control(value)}\n")
    # Entries the TUI will not apply, one warning line each, like the settings' own warnings.
    for problem in keymap.problems:
        sys.stderr.write(f"fuse-tui: warning: {escape_control(problem)}\n")
    if redact_problem:
        sys.stderr.write(f"fuse-tui: warning: {escape_control(redact_problem)}\n")
    return EXIT_OK


# scheme://userinfo@: the client refuses such a URL, but `config show` must not print a key in it.
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def masked_url(url: str) -> str:
    """``url`` with any user name / key before the host replaced by ``***``."""
    return _USERINFO.sub(r"\1***@", url)


def run_set_credentials(args: argparse.Namespace) -> int:
    from fuse_tui.core.settings import SettingsError, save_credentials

    interactive = sys.stdin.isatty()
    email = args.email
    if not email:
        if not interactive:
            return fail("pass --email when the key comes from stdin")
        email = input("Fuse login e-mail: ").strip()
    key = (
        getpass.getpass("Developer key (not echoed): ")
        if interactive
        else sys.stdin.readline().strip()
    )
    if not email or not key:
        return fail("both an e-mail and a developer key are needed; nothing was saved")
    try:
        path = save_credentials(email, key)
    except OSError as exc:
        return fail(f"cannot write the config file: {exc.strerror or exc}")
    except SettingsError as exc:
        return fail(str(exc))
    sys.stderr.write(f"saved the credentials of {escape_control(email)} to {path} (mode 0600)\n")
    return EXIT_OK
