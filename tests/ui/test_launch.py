"""``fuse-tui [SOURCE …]`` arguments, config building, theme memory, the detail size bound."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from fuse_tui.cli.tui import build_parser, classify, load_config
from fuse_tui.core.model import LogEntry
from fuse_tui.core.service import FuseService
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.event_detail import LIMIT, DetailView, render_entry
from tests.ui.conftest import MakeApp, settle


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(path))
    for name in ("FUSE_EMAIL", "FUSE_DEVELOPER_KEY", "FUSE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_sources_files_stdin_and_session_ids(sample_file: Path) -> None:
    sources = classify([str(sample_file), "-", "300060;001;1529552581"])
    assert [s.kind for s in sources] == ["file", "stdin", "session"]
    assert sources[2].value == "300060;001;1529552581"
    # A missing path meant as a file stays a file (its error says so), not a session fetch.
    assert [s.kind for s in classify(["missing.json", "dir/missing"])] == ["file", "file"]


def test_archive_flags_are_exclusive() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--archive", "x.sqlite", "--no-archive"])


def test_config_from_flags_and_config_file(config_file: Path, tmp_path: Path) -> None:
    config_file.write_text('email = "me@example.com"\n[ui]\ntheme = "nord"\n', encoding="utf-8")
    args = build_parser().parse_args(["--base-url", "http://127.0.0.1:1/api", "--no-archive"])
    settings, config = load_config(args)
    assert settings.base_url == "http://127.0.0.1:1/api"
    assert settings.email == "me@example.com"
    assert config.theme == "nord"
    assert FuseService(settings).archive_path is None
    archive = tmp_path / "mine.sqlite"
    settings, config = load_config(build_parser().parse_args(["--archive", str(archive)]))
    assert FuseService(settings).archive_path == archive


async def test_theme_change_is_remembered(
    config_file: Path, make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))], persist=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.theme = "nord"
        await pilot.pause()
    assert 'theme = "nord"' in config_file.read_text(encoding="utf-8")


def test_huge_data_is_cut_with_a_note() -> None:
    entry = LogEntry.model_validate(
        {"event": {"line": "big", "data": {"blob": "x" * (LIMIT + 10)}}, "class": "debug"}
    )
    # The value's row ends with the note (a console wide enough not to wrap it).
    console = Console(width=100_000, color_system=None)
    lines = console.render_lines(render_entry(entry, DetailView.PRETTY, None), pad=False)
    texts = ["".join(segment.text for segment in line) for line in lines]
    assert any("cut:" in text and "ctrl+s" in text for text in texts)
    raw = render_entry(entry, DetailView.JSON, None)
    assert any("cut:" in str(getattr(p, "plain", "")) for p in raw.renderables)  # type: ignore[attr-defined]


def test_a_bare_word_is_read_as_the_missing_file_it_most_likely_names(tmp_path: Path) -> None:
    # core.sources calls it UNKNOWN; the front door refuses it first, but should one reach the
    # TUI it says "cannot read the file" rather than asking Fuse for a session "archve".
    (source,) = classify(["archve"])
    assert source.kind == "file"
    assert [s.kind for s in classify(["https://fuse.example.com/api/call/300060%3B001%3B1"])] == [
        "session"
    ]


def test_the_tui_launcher_imports_neither_textual_nor_cli_remote_until_it_runs() -> None:
    import subprocess
    import sys

    code = (
        "import sys, fuse_tui.cli.tui; "
        "print(sorted(m for m in ('textual', 'fuse_tui.cli.remote', 'fuse_tui.ui') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_dump_files_are_read_ahead_from_the_start(
    sample_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read in a thread while the TUI is imported and drawn; stdin and session IDs are not."""
    from fuse_tui.cli import tui
    from fuse_tui.core.formats import reader

    started: list[str] = []
    monkeypatch.setattr(reader, "prefetch_file", started.append)
    tui._prefetch_files([str(sample_file), "-", "300060;001;1529552581", "~/missing.json"])
    assert started == [str(sample_file), str(Path("~/missing.json").expanduser())]


def test_the_tui_builds_its_first_screen_without_the_client_archive_or_config_writer(
    sample_file: Path, tmp_path: Path
) -> None:
    """httpx, sqlite and tomlkit load when first used (a fetch, the archive, a saved setting)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fuse_tui.cli.tui import build_parser, classify, load_config\n"
        "from fuse_tui.core.service import FuseService\n"
        "from fuse_tui.ui.app import FuseApp\n"
        f"args = build_parser().parse_args([{str(sample_file)!r}])\n"
        "settings, config = load_config(args)\n"
        "FuseApp(config, classify(args.sources), service=FuseService(settings))\n"
        "print(sorted(m for m in ('httpx', 'sqlite3', 'tomlkit', 'fuse_tui.core.client',"
        " 'fuse_tui.core.archive') if m in sys.modules))\n"
    )
    env = {**os.environ, "FUSE_TUI_CONFIG": str(tmp_path / "none.toml")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"
