"""`fuse-tui archive search --archive X` loads what a search needs: no settings, HTTP client or
asyncio (the path given is the archive), and the query language only for a query SQL cannot
answer alone. (Timing goals: benchmarks/bench_archive.py --search-only.)"""

from __future__ import annotations

from pathlib import Path

from fuse_tui.core.archive import Archive
from tests.loaded_modules import loaded_after

NOT_FOR_SEARCH = (
    "fuse_tui.core.settings",
    "fuse_tui.core.service",
    "fuse_tui.core.client",
    "fuse_tui.core.query",
    "asyncio",
    "httpx",
)


def _loaded_after(argv: list[str]) -> list[str]:
    return loaded_after(argv, NOT_FOR_SEARCH)


def test_a_word_search_loads_no_settings_network_nor_query_language(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    Archive.open(path).close()
    assert _loaded_after(["archive", "search", "word", "--archive", str(path)]) == []


def test_a_query_sql_cannot_answer_loads_the_query_language(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    Archive.open(path).close()
    loaded = _loaded_after(["archive", "search", "re:wo+rd", "--archive", str(path)])
    assert loaded == ["fuse_tui.core.query"]
