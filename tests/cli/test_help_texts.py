"""Every option and argument of every script command says what it is for in --help."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from fuse_tui.cli import build_command_parser, subcommands


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    for child in dict.fromkeys(subcommands(parser).values()):
        yield child
        yield from _subparsers(child)


def test_every_argument_has_help() -> None:
    missing = []
    for parser in _subparsers(build_command_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{parser.prog} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_show_says_source_may_be_a_session_id() -> None:
    show = next(p for p in _subparsers(build_command_parser()) if p.prog.endswith(" show"))
    text = show.format_help()
    assert "session ID" in text
