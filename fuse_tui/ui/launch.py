"""``fuse-tui [SOURCE …]``: parse the TUI's arguments, build its config, run it.

Each SOURCE that is an existing file (or ``-`` for stdin) opens as a dump; anything else is
fetched as a session ID. ``--demo`` runs the bundled emulator in-process on a free loopback
port with the demo account and opens the calls browser; it is stopped on exit. Its archive is
a throwaway one in a temporary folder (unless --archive PATH or --no-archive), removed on exit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fuse_tui import __version__
from fuse_tui.ui.config import UiConfig
from fuse_tui.ui.screens.main import Source

DEMO_EMAIL = "demo@example.com"
DEMO_KEY = "demo-key"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"fuse-tui: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fuse-tui",
        description="Explore Plum Voice Fuse call logs in the terminal.",
        epilog="Commands: fuse-tui show|get|calls|archive|emulator|config --help",
    )
    parser.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="a dump file (JSON/XML), - for stdin, or a session ID to fetch; several open as tabs",
    )
    parser.add_argument("--version", action="version", version=f"fuse-tui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run the bundled emulator with the demo account and open the calls browser",
    )
    parser.add_argument("--base-url", help="Fuse API base URL (default: the settings)")
    parser.add_argument("--email", help="Fuse login e-mail (the key comes from env/config)")
    archive = parser.add_mutually_exclusive_group()
    archive.add_argument("--archive", metavar="PATH", type=Path, help="archive file to use")
    archive.add_argument("--no-archive", action="store_true", help="do not archive fetched logs")
    return parser


def classify(values: Sequence[str]) -> list[Source]:
    """Files (and ``-``) become dumps, everything else a session ID.

    A missing path that was clearly meant as a file (a directory part, a dump suffix) stays a
    file, so the user reads "cannot read the file" rather than a puzzling 404.
    """
    from fuse_tui.cli.remote import looks_like_session_id

    sources: list[Source] = []
    for value in values:
        path = Path(value).expanduser()
        if value == "-":
            sources.append(Source("stdin", "stdin"))
        elif path.is_file() or not looks_like_session_id(value):
            sources.append(Source("file", str(path)))
        else:
            sources.append(Source("session", value))
    return sources


def _read_stdin(sources: list[Source]) -> list[Source]:
    """Read piped stdin now, then give the terminal back to Textual as fd 0."""
    if not any(s.kind == "stdin" for s in sources):
        return sources
    data = sys.stdin.buffer.read()
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
        os.dup2(tty, 0)
        os.close(tty)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 - fd 0 lives as long as the process
    except OSError:
        pass
    return [Source("stdin", "stdin", data) if s.kind == "stdin" else s for s in sources]


def load_config(args: argparse.Namespace) -> UiConfig:
    overrides: dict[str, Any] = {}
    if args.base_url:
        overrides["base_url"] = args.base_url
    if args.email:
        overrides["email"] = args.email
    from fuse_tui.core.settings import load_settings

    settings = load_settings(**overrides)
    for warning in settings.warnings:  # before the TUI takes the screen, like the CLI does
        sys.stderr.write(f"fuse-tui: warning: {warning}\n")
    config = UiConfig(persist=True)
    config.base_url = settings.base_url
    config.email = settings.email
    config.developer_key = settings.developer_key
    config.timeout = settings.timeout
    config.insecure_http = settings.insecure_http
    config.ca_bundle = settings.ca_bundle
    config.keymap = dict(settings.keymap or {})
    config.theme = settings.theme
    config.ui_prefs = dict(settings.ui_prefs)
    archive_enabled = settings.archive_enabled
    archive_path = settings.archive_path
    if args.no_archive:
        archive_enabled = False
    if args.archive:
        archive_enabled, archive_path = True, args.archive
    if archive_enabled:
        if archive_path is None:
            from fuse_tui.core.archive import default_archive_path

            archive_path = default_archive_path()
        config.archive_path = Path(archive_path).expanduser()
    from fuse_tui.core.paths import data_dir

    config.data_dir = data_dir()
    return config


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    from fuse_tui.core.client import FuseError

    try:
        config = load_config(args)
    except FuseError as exc:  # SettingsError: a wrong config value, said in one sentence
        sys.stderr.write(f"fuse-tui: error: {exc}\n")
        return 1
    sources = _read_stdin(classify(args.sources))
    server = None
    demo_dir: str | None = None
    if args.demo:
        from pydantic import SecretStr

        from fuse_tui.emulator import EmulatorConfig, EmulatorServer

        server = EmulatorServer(EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY}))
        server.start()
        config.base_url = server.base_url
        config.email = DEMO_EMAIL
        config.developer_key = SecretStr(DEMO_KEY)
        config.open_browser = not sources
        config.demo = True
        if not args.archive and config.archive_path is not None:
            # Demo calls do not belong in the user's real archive: a throwaway one, removed on
            # exit, so the archive marks and sync can be tried (--no-archive still turns it off).
            demo_dir = tempfile.mkdtemp(prefix="fuse-tui-demo-")
            config.archive_path = Path(demo_dir) / "archive.sqlite"
    from fuse_tui.ui.app import FuseApp

    app = FuseApp(config, sources)
    try:
        app.run()
    finally:
        if server is not None:
            server.stop()
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)
    if app.crashed is not None:
        # Said after Textual has given the terminal back, so the line stays on screen.
        from fuse_tui.core.crash import basic_credentials, report_crash

        key = config.developer_key
        secrets = [key, basic_credentials(config.email, key)]
        sys.stderr.write(report_crash(app.crashed, secrets=secrets) + "\n")
        return 1
    return app.return_code or 0
