"""The front door: ``fuse-tui [SOURCE …]`` opens the TUI, ``fuse-tui COMMAND …`` runs a command.

Each subcommand lives in its own module exposing ``register(subparsers)``; the module sets
``func`` on its parser, a callable taking the parsed namespace and returning an exit status.
The TUI is imported lazily so that ``fuse-tui show`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from fuse_tui import __version__
from fuse_tui.cli.common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE, usage_error
from fuse_tui.cli.stdout_guard import run_with_whole_stdout
from fuse_tui.core.logsetup import (
    DEBUG,
    ENV_LOG_FILE,
    QUIET,
    VERBOSE,
    configure_logging,
    log_file_from_env,
)
from fuse_tui.core.sources import SourceKind, classify_source, suggest
from fuse_tui.core.textsafe import escape_control

# Subcommand modules, in the order --help lists them.
COMMAND_MODULES = (
    "fuse_tui.cli.show",
    "fuse_tui.cli.diff_cmd",
    "fuse_tui.cli.summary_cmd",
    "fuse_tui.cli.remote",
    "fuse_tui.cli.archive_cmd",
    "fuse_tui.cli.emulator_cmd",
    "fuse_tui.cli.config_cmd",
    "fuse_tui.cli.completion_cmd",
)
# Which module registers each command: running one builds only its parser, so `fuse-tui show`
# does not import the archive, the story builder or the emulator (a test keeps this in step).
COMMAND_MODULE = {
    "show": "fuse_tui.cli.show",
    "diff": "fuse_tui.cli.diff_cmd",
    "summary": "fuse_tui.cli.summary_cmd",
    "get": "fuse_tui.cli.remote",
    "calls": "fuse_tui.cli.remote",
    "archive": "fuse_tui.cli.archive_cmd",
    "emulator": "fuse_tui.cli.emulator_cmd",
    "config": "fuse_tui.cli.config_cmd",
    "completion": "fuse_tui.cli.completion_cmd",
}


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors follow our one-line convention and exit 2.

    Every command parser (``diagnostics=True``, the default) takes ``-v/--verbose`` and
    ``--debug``, and remembers the subcommands it adds, so the front door can walk them without
    argparse's private ``_actions``.
    """

    def __init__(self, *args: Any, diagnostics: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands: dict[str, argparse.ArgumentParser] = {}
        if diagnostics:
            add_diagnostic_options(self)

    def add_subparsers(self, **kwargs: Any) -> Any:
        action = super().add_subparsers(**kwargs)
        self.commands = action.choices  # the live name → parser mapping add_parser fills
        return action

    def error(self, message: str) -> None:  # type: ignore[override]
        if _is_bad_value(sys.exc_info()[1]):
            # "--limit: expected …", as the commands' own usage errors say it (`--grep: …`).
            message = message.removeprefix("argument ")
        else:
            self.print_usage(sys.stderr)  # the command line's shape is wrong: show the right one
        sys.stderr.write(f"fuse-tui: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def add_diagnostic_options(parser: argparse.ArgumentParser) -> None:
    """``-v/--verbose`` and ``--debug``: what the command does, on stderr (never the key).

    SUPPRESS: a nested command (``archive list``) parses into its own namespace, and a default
    there would undo ``archive -v list``.
    """
    group = parser.add_argument_group("diagnostics")
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="say what is happening on stderr: requests, retries and why, timings "
        f"(also written to ${ENV_LOG_FILE} when set)",
    )
    group.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="like --verbose, with every detail (each listing page, each call of a sync)",
    )


def verbosity(namespace: argparse.Namespace) -> int:
    """QUIET, VERBOSE or DEBUG from the parsed ``-v`` / ``--debug``."""
    if getattr(namespace, "debug", False):
        return DEBUG
    return VERBOSE if getattr(namespace, "verbose", False) else QUIET


def _is_bad_value(error: BaseException | None) -> bool:
    """An option's value refused by its type (cli.argtypes): the line naming the option and the
    accepted range says everything; the usage block would only bury it."""
    return isinstance(error, argparse.ArgumentError) and isinstance(
        error.__context__, argparse.ArgumentTypeError
    )


def build_command_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The front door's parser with every command, or only ``command``'s module's commands."""
    parser = Parser(
        prog="fuse-tui",
        usage="fuse-tui [SOURCE ...] [--demo] [options]  |  fuse-tui COMMAND ...",
        description="Explore Plum Voice Fuse call logs. Without a COMMAND, opens the TUI.",
        epilog=(
            "TUI:\n"
            "  fuse-tui [SOURCE ...]   open dump files (- for stdin), fetch session IDs; in tabs\n"
            "  fuse-tui --demo         the TUI on the bundled emulator (demo account)\n"
            "  fuse-tui --tui-help     the TUI's options\n"
            f"  {ENV_LOG_FILE}=PATH       the TUI logs to PATH (its screen is taken)\n"
            "  FUSE_TUI_CONFIG=PATH    use this config file (fuse-tui config path: the default)\n\n"
            "fuse-tui COMMAND --help describes each command; each takes -v/--verbose and --debug."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        diagnostics=False,  # the TUI's own options are its launcher's (--tui-help)
    )
    parser.add_argument("--version", action="version", version=f"fuse-tui {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=Parser, prog="fuse-tui"
    )
    modules = COMMAND_MODULES if command is None else (COMMAND_MODULE[command],)
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands ``parser`` was given (name → parser; aliases included), if any."""
    return dict(getattr(parser, "commands", {}))


def command_names(parser: argparse.ArgumentParser) -> set[str]:
    return set(subcommands(parser))


def _command_parser(parser: argparse.ArgumentParser, args: list[str]) -> argparse.ArgumentParser:
    """The innermost (sub)command parser ``args`` name: ``archive list`` → the list parser."""
    for word in args:
        child = subcommands(parser).get(word)
        if child is None:
            break
        parser = child
    return parser


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed
        return False


def _run_command(parser: argparse.ArgumentParser, args: list[str]) -> int:
    namespace, extras = parser.parse_known_args(args)
    if extras:
        # Said by the command's own parser, with its usage: the top-level usage line would
        # suggest the option belongs somewhere else entirely.
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(extras)}")
    warning = configure_logging(verbosity(namespace), log_file_from_env())
    if warning:
        sys.stderr.write(f"fuse-tui: warning: {warning}\n")
    return int(namespace.func(namespace))


def _print_version() -> int:
    sys.stdout.write(f"fuse-tui {__version__}\n")
    return 0


def _print_help(parser: argparse.ArgumentParser, args: list[str]) -> int:
    parser.parse_args(args)  # prints and exits
    return 0


def _unknown_word(parser: argparse.ArgumentParser, args: list[str]) -> str | None:
    """The error for a first word that names nothing (``fuse-tui archve list``), or None.

    Only the first word is judged: later words may be option values (``--email a@b``), which
    only the TUI's own parser can tell apart.
    """
    if not args or args[0].startswith("-"):
        return None
    word = args[0]
    if classify_source(word) is not SourceKind.UNKNOWN:
        return None
    names = sorted(command_names(parser))
    close = suggest(word, names)
    hint = (
        f"did you mean `fuse-tui {close}`?"
        if close
        else f"commands: {', '.join(names)} (fuse-tui --help)"
    )
    return (
        f"{escape_control(word)!r} is not a file, a session ID or a command; {hint} "
        "(a session ID holds digits, such as '300060;001;1529552581')"
    )


def _main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # before the parsers: building them imports every command
        return run_with_whole_stdout(_print_version)
    if args and args[0] in COMMAND_MODULE:
        parser = build_command_parser(args[0])
        # Every byte a command prints reaches stdout whole, or the command fails (exit 1).
        return run_with_whole_stdout(lambda: _run_command(parser, args))
    parser = build_command_parser()
    if args and args[0] in {"-h", "--help", "--version"}:
        return run_with_whole_stdout(lambda: _print_help(parser, args))
    if args and args[0] == "--tui-help":
        args = ["--help"]
    misplaced = next(
        (a for a in args if a in command_names(parser) and not os.path.exists(a)), None
    )
    if misplaced is not None:
        # `fuse-tui --archive X calls` would open the TUI and fetch a session called "calls".
        sys.stderr.write(
            f"fuse-tui: error: {misplaced!r} is a command: put it first, with its options after "
            f"it (fuse-tui {misplaced} --help)\n"
        )
        return EXIT_USAGE
    unknown = _unknown_word(parser, args)
    if unknown is not None:
        # It would open the TUI, ask for credentials and then fetch "archve" from Fuse.
        return usage_error(unknown)
    try:
        tui = importlib.import_module("fuse_tui.cli.tui")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith(("fuse_tui.ui", "fuse_tui.cli.tui")):
            parser.print_help()
            return EXIT_USAGE
        raise
    if not _is_terminal(sys.stdout):
        # --help and usage errors need no terminal: the TUI's parser says them and exits.
        build_tui_parser = getattr(tui, "build_parser", None)
        if build_tui_parser is not None:
            run_with_whole_stdout(lambda: _print_help(build_tui_parser(), args))
        # The TUI would paint escape sequences into a pipe or file and wait for keys forever.
        sys.stderr.write(
            "fuse-tui: error: the TUI needs a terminal and stdout is not one; to print a log "
            "use `fuse-tui show SOURCE` (see `fuse-tui --help` for every COMMAND)\n"
        )
        return EXIT_USAGE
    return int(tui.main(args))


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point: :func:`_main` behind the last-resort handler.

    An exception nothing else expected is a bug: exit 1 with one line naming a private crash
    report (the traceback without locals, secrets removed), never a traceback on the terminal.
    """
    try:
        return _main(argv)
    except KeyboardInterrupt:
        # Ctrl-C in any command: one line, and the status a shell expects (not a traceback).
        sys.stderr.write("fuse-tui: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        from fuse_tui.core.crash import report_crash

        sys.stderr.write(report_crash(exc) + "\n")
        return EXIT_ERROR
