"""`fuse-tui show FILE` loads what printing a file needs and nothing a start-up would pay for
in vain: no other command, no asyncio or HTTP client, no query language without --grep, no
writer of another format. (Timing goals: benchmarks/bench_cli.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.cli import COMMAND_MODULE, COMMAND_MODULES, build_command_parser, subcommands
from tests.loaded_modules import loaded_after

# Modules `show FILE` never needs: other commands, talking to Fuse, the archive, the story
# builder, the query language and regex engine, the other writers, the crash report's helpers.
NOT_FOR_SHOW = (
    "fuse_tui.cli.diff_cmd",
    "fuse_tui.cli.summary_cmd",
    "fuse_tui.cli.archive_cmd",
    "fuse_tui.cli.emulator_cmd",
    "fuse_tui.cli.config_cmd",
    "fuse_tui.cli.completion_cmd",
    "fuse_tui.core.archive",
    "fuse_tui.core.story",
    "fuse_tui.core.diff",
    "fuse_tui.core.client",
    "fuse_tui.core.query",
    "fuse_tui.core.formats.csv_writer",
    "fuse_tui.core.formats.xml_writer",
    "fuse_tui.core.formats.atomic",
    "asyncio",
    "httpx",
    "regex",
    "platformdirs",
)


def _loaded_after(argv: list[str]) -> list[str]:
    return loaded_after(argv, NOT_FOR_SHOW)


@pytest.mark.parametrize("fmt", ["text", "ndjson", "json"])
def test_show_of_a_file_loads_no_other_command_nor_network(data_dir: Path, fmt: str) -> None:
    assert _loaded_after(["show", "-f", fmt, str(data_dir / "seed_call.json")]) == []


def test_show_with_grep_loads_the_query_language_only_then(data_dir: Path) -> None:
    loaded = _loaded_after(["show", "--grep", "email", str(data_dir / "seed_call.json")])
    assert "fuse_tui.core.query" in loaded
    assert "fuse_tui.cli.archive_cmd" not in loaded and "asyncio" not in loaded


def test_the_command_table_names_every_command_and_its_module() -> None:
    # COMMAND_MODULE lets a command build only its own parser: it must stay in step with what
    # the modules register.
    assert set(COMMAND_MODULE) == set(subcommands(build_command_parser()))
    assert set(COMMAND_MODULE.values()) == set(COMMAND_MODULES)
    for name in COMMAND_MODULE:
        own = build_command_parser(name)
        assert name in subcommands(own)
        assert own.format_help() != build_command_parser().format_help()  # not all of them
