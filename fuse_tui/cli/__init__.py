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

from fuse_tui import __version__
from fuse_tui.cli.common import EXIT_ERROR, EXIT_USAGE, fail
from fuse_tui.cli.stdout_guard import run_with_whole_stdout

# Subcommand modules, in the order --help lists them.
COMMAND_MODULES = (
    "fuse_tui.cli.show",
    "fuse_tui.cli.remote",
    "fuse_tui.cli.archive_cmd",
    "fuse_tui.cli.emulator_cmd",
    "fuse_tui.cli.config_cmd",
)


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors follow our one-line convention and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if _is_bad_value(sys.exc_info()[1]):
            # "--limit: expected …", as the commands' own usage errors say it (`--grep: …`).
            message = message.removeprefix("argument ")
        else:
            self.print_usage(sys.stderr)  # the command line's shape is wrong: show the right one
        sys.stderr.write(f"fuse-tui: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _is_bad_value(error: BaseException | None) -> bool:
    """An option's value refused by its type (cli.argtypes): the line naming the option and the
    accepted range says everything; the usage block would only bury it."""
    return isinstance(error, argparse.ArgumentError) and isinstance(
        error.__context__, argparse.ArgumentTypeError
    )


def build_command_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fuse-tui",
        usage="fuse-tui [SOURCE ...] [--demo] [options]  |  fuse-tui COMMAND ...",
        description="Explore Plum Voice Fuse call logs. Without a COMMAND, opens the TUI.",
        epilog=(
            "TUI:\n"
            "  fuse-tui [SOURCE ...]   open dump files (- for stdin), fetch session IDs; in tabs\n"
            "  fuse-tui --demo         the TUI on the bundled emulator (demo account)\n"
            "  fuse-tui --tui-help     the TUI's options\n\n"
            "fuse-tui COMMAND --help describes each command."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fuse-tui {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, prog="fuse-tui"
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _command_parser(parser: argparse.ArgumentParser, args: list[str]) -> argparse.ArgumentParser:
    """The innermost (sub)command parser ``args`` name: ``archive list`` → the list parser."""
    for word in args:
        choices = next(
            (a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)),
            None,
        )
        if not choices or word not in choices:
            break
        parser = choices[word]
    return parser


def command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


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
    try:
        return int(namespace.func(namespace))
    except KeyboardInterrupt:
        return fail("interrupted")


def _print_help(parser: argparse.ArgumentParser, args: list[str]) -> int:
    parser.parse_args(args)  # prints and exits
    return 0


def _main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    parser = build_command_parser()
    if args and args[0] in command_names(parser):
        # Every byte a command prints reaches stdout whole, or the command fails (exit 1).
        return run_with_whole_stdout(lambda: _run_command(parser, args))
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
    if not _is_terminal(sys.stdout):
        # The TUI would paint escape sequences into a pipe or file and wait for keys forever.
        sys.stderr.write(
            "fuse-tui: error: the TUI needs a terminal and stdout is not one; to print a log "
            "use `fuse-tui show SOURCE` (see `fuse-tui --help` for every COMMAND)\n"
        )
        return EXIT_USAGE
    try:
        tui = importlib.import_module("fuse_tui.cli.tui")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("fuse_tui.ui"):
            parser.print_help()
            return EXIT_USAGE
        raise
    return int(tui.main(args))


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point: :func:`_main` behind the last-resort handler.

    An exception nothing else expected is a bug: exit 1 with one line naming a private crash
    report (the traceback without locals, secrets removed), never a traceback on the terminal.
    """
    try:
        return _main(argv)
    except Exception as exc:
        from fuse_tui.core.crash import report_crash

        sys.stderr.write(report_crash(exc) + "\n")
        return EXIT_ERROR
