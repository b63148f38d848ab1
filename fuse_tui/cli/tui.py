"""``fuse-tui [SOURCE …]``: parse the TUI's arguments, build its service and config, run it.

What each SOURCE names is decided by ``core.sources.classify_source`` (the rule ``show`` uses):
``-`` is stdin, a file opens as a dump, a session ID is fetched. ``--demo`` runs the bundled
emulator in-process on a free loopback port with the demo account and opens the calls browser;
it is stopped on exit. Its archive is a throwaway one in a temporary folder (unless --archive
PATH or --no-archive), removed on exit. The TUI itself (textual) is imported only to run it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuse_tui import __version__
from fuse_tui.cli import Parser, verbosity
from fuse_tui.core.sources import SourceKind, classify_source

if TYPE_CHECKING:  # the TUI (textual) is imported only when it is about to run
    from fuse_tui.core.service import FuseService
    from fuse_tui.core.settings import Settings
    from fuse_tui.ui.config import UiConfig
    from fuse_tui.ui.screens.main import Source


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
    """Each word as ``core.sources.classify_source`` reads it.

    UNKNOWN (a bare word of letters) is refused before the TUI by the front door; should one
    get here, it is treated as the missing file it most likely names ("cannot read the file").
    """
    from fuse_tui.ui.screens.main import Source

    sources: list[Source] = []
    for value in values:
        kind = classify_source(value)
        if kind is SourceKind.STDIN:
            sources.append(Source("stdin", "stdin"))
        elif kind is SourceKind.SESSION:
            sources.append(Source("session", value))
        else:
            sources.append(Source("file", str(Path(value).expanduser())))
    return sources


def _prefetch_files(values: Sequence[str]) -> None:
    """Start reading the dump files in a thread now, while the TUI is imported and drawn."""
    from fuse_tui.core.formats.reader import prefetch_file

    for value in values:
        if classify_source(value) is SourceKind.FILE:
            prefetch_file(str(Path(value).expanduser()))


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
    from fuse_tui.ui.screens.main import Source

    return [Source("stdin", "stdin", data) if s.kind == "stdin" else s for s in sources]


def load_config(args: argparse.Namespace) -> tuple[Settings, UiConfig]:
    """The settings (flags > env > config file) and the UI's preferences from them."""
    from fuse_tui.core.paths import data_dir
    from fuse_tui.core.settings import load_settings
    from fuse_tui.ui.config import UiConfig

    overrides: dict[str, Any] = {}
    if args.base_url:
        overrides["base_url"] = args.base_url
    if args.email:
        overrides["email"] = args.email
    settings = load_settings(**overrides)
    for warning in settings.warnings:  # before the TUI takes the screen, like the CLI does
        sys.stderr.write(f"fuse-tui: warning: {warning}\n")
    if args.no_archive:
        settings = settings.model_copy(update={"archive_enabled": False})
    if args.archive:
        settings = settings.model_copy(
            update={"archive_enabled": True, "archive_path": args.archive}
        )
    return settings, UiConfig.from_settings(settings, persist=True, data_dir=data_dir())


def _demo_settings(
    settings: Settings, base_url: str, archive_given: bool
) -> tuple[Settings, str | None]:
    """The demo account on the emulator; a throwaway archive (its folder returned, to remove)."""
    from pydantic import SecretStr

    from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY

    update: dict[str, Any] = {
        "base_url": base_url,
        "email": DEMO_EMAIL,
        "developer_key": SecretStr(DEMO_KEY),
    }
    demo_dir = None
    if not archive_given and settings.archive_enabled:
        # Demo calls do not belong in the user's real archive: a throwaway one, removed on
        # exit, so the archive marks and sync can be tried (--no-archive still turns it off).
        demo_dir = tempfile.mkdtemp(prefix="fuse-tui-demo-")
        update["archive_path"] = Path(demo_dir) / "archive.sqlite"
    return settings.model_copy(update=update), demo_dir


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    _prefetch_files(args.sources)
    from fuse_tui.core.client_errors import FuseError
    from fuse_tui.core.logsetup import configure_logging, log_file_from_env

    # The screen is taken: records go to FUSE_TUI_LOG only, never onto the TUI.
    warning = configure_logging(verbosity(args), log_file_from_env(), to_stderr=False)
    if warning:
        sys.stderr.write(f"fuse-tui: warning: {warning}\n")
    from fuse_tui.core.service import FuseService

    try:
        settings, config = load_config(args)
    except FuseError as exc:  # SettingsError: a wrong config value, said in one sentence
        sys.stderr.write(f"fuse-tui: error: {exc}\n")
        return 1
    sources = _read_stdin(classify(args.sources))
    server = None
    demo_dir: str | None = None
    if args.demo:
        from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY, EmulatorConfig, EmulatorServer

        server = EmulatorServer(EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY}))
        server.start()
        settings, demo_dir = _demo_settings(settings, server.base_url, bool(args.archive))
        config.open_browser = not sources
        config.demo = True
    service = FuseService(settings)
    try:
        return _run(service, config, sources)
    finally:
        if server is not None:
            server.stop()
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)


def _run(service: FuseService, config: UiConfig, sources: list[Source]) -> int:
    from fuse_tui.ui.app import FuseApp

    app = FuseApp(config, sources, service=service)
    app.run()
    if app.crashed is not None:
        # Said after Textual has given the terminal back, so the line stays on screen.
        from fuse_tui.core.crash import basic_credentials, report_crash

        settings = app.service.settings  # the credentials in use at the end (K may change them)
        key = settings.developer_key
        secrets = [key, basic_credentials(settings.email, key)]
        sys.stderr.write(report_crash(app.crashed, secrets=secrets) + "\n")
        return 1
    return app.return_code or 0
