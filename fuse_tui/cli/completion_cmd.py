"""``fuse-tui completion bash|zsh|fish``: print a shell completion script.

The script is generated from the command parser itself by ``shtab``: static text the shell
sources once, so completing costs no Python start-up, and it can never disagree with --help.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fuse_tui.cli.common import EXIT_OK, fail

SHELLS = ("bash", "zsh", "fish")
_INSTALL = {
    "bash": "fuse-tui completion bash > ~/.local/share/bash-completion/completions/fuse-tui",
    "zsh": 'fuse-tui completion zsh > "${fpath[1]}/_fuse-tui"',
    "fish": "fuse-tui completion fish > ~/.config/fish/completions/fuse-tui.fish",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print the completion script of SHELL on stdout. Install it with e.g.\n"
        + "\n".join(f"  {line}" for line in _INSTALL.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("shell", metavar="SHELL", choices=SHELLS, help="bash, zsh or fish")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import shtab
    except ModuleNotFoundError:  # a dependency of the package: only a broken install lacks it
        return fail("shell completion needs the shtab package: pip install shtab")
    from fuse_tui.cli import build_command_parser

    sys.stdout.write(shtab.complete(build_command_parser(), shell=args.shell))
    return EXIT_OK
