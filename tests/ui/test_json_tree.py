"""The JSON tree of the detail pane as a model: what starts folded, folding, bounds, row texts."""

from __future__ import annotations

from typing import Any

from rich.style import Style

from fuse_tui.core.query import Query
from fuse_tui.ui.widgets.json_tree import (
    FOLD_CHILDREN,
    FOLD_DEPTH,
    MAX_VALUE_CHARS,
    SHOWN_CHILDREN,
    UNFOLD_ALL_ROWS,
    JsonTree,
    Row,
    RowKind,
    row_text,
)

MATCH = Style(bgcolor="#ffff00", bold=True)


def _plains(tree: JsonTree) -> list[str]:
    return [row_text(row, {}).plain for row in tree.rows]


def _row(tree: JsonTree, needle: str) -> Row:
    return next(row for row in tree.rows if needle in row_text(row, {}).plain)


def test_small_data_reads_as_json_with_fold_markers() -> None:
    tree = JsonTree({"url": "https://x/y", "status": 503, "ok": False, "none": None, "e": {}})
    assert _plains(tree) == [
        "▾ {",
        '    "url": "https://x/y"',
        '    "status": 503',
        '    "ok": false',
        '    "none": null',
        '    "e": {}',
        "  }",
    ]


def test_a_5000_key_object_starts_folded_to_one_line() -> None:
    tree = JsonTree({f"k{n}": n for n in range(5000)})
    assert _plains(tree) == ["▸ {…} 5,000 keys"]


def test_big_and_deep_containers_start_folded_the_rest_open() -> None:
    deep: Any = {"leaf": 1}
    for level in range(6):
        deep = {f"level{level}": deep}
    data = {"items": list(range(FOLD_CHILDREN + 1)), "few": [1, 2], "deep": deep}
    tree = JsonTree(data)
    plains = _plains(tree)
    assert '  ▸ "items": […] 51 items' in plains
    assert '  ▾ "few": [' in plains
    folded = [row.node for row in tree.rows if row.node.folded]
    # The deep chain opens down to FOLD_DEPTH and no further.
    assert all(node.depth > FOLD_DEPTH or node.size > FOLD_CHILDREN for node in folded)
    assert any(node.depth == FOLD_DEPTH + 1 for node in folded)


def test_fold_and_unfold_a_node_and_its_rows_follow() -> None:
    tree = JsonTree({"a": {"b": 1, "c": 2}, "d": 3})
    row = next(i for i, r in enumerate(tree.rows) if r.node.key == "a")
    assert tree.set_folded(row, True)
    assert _plains(tree)[row] == '  ▸ "a": {…} 2 keys'
    assert len(tree) == 4  # {, a folded, d, }
    assert not tree.set_folded(row, True)  # already folded
    assert tree.set_folded(row, False)
    assert len(tree) == 7
    leaf = next(i for i, r in enumerate(tree.rows) if r.node.key == "b")
    assert not tree.set_folded(leaf, True)  # a value cannot fold
    assert tree.parent_row(leaf) == row


def test_fold_all_keeps_the_top_level_keys_and_unfold_all_opens_everything() -> None:
    data = {"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}, "big": {f"k{n}": n for n in range(80)}}
    tree = JsonTree(data)
    tree.fold_all()
    assert _plains(tree) == ["▾ {", '  ▸ "a": {…} 1 key', '  ▸ "big": {…} 80 keys', "  }"]
    assert tree.unfold_all()
    assert not any(row.node.folded for row in tree.rows)
    assert '              "f": 1' in _plains(tree)
    assert len(tree) == 1 + 6 + 5 + 1 + 80 + 1 + 1  # opens, closes of a…e, big, root


def test_unfold_all_stops_at_its_budget_and_says_so() -> None:
    data = {f"group{g}": {f"k{n}": n for n in range(1000)} for g in range(40)}
    tree = JsonTree(data)
    assert not tree.unfold_all()
    assert len(tree) <= UNFOLD_ALL_ROWS + 2
    assert any(row.node.folded for row in tree.rows)


def test_a_huge_container_shows_its_first_children_and_a_more_row() -> None:
    tree = JsonTree({"items": list(range(SHOWN_CHILDREN + 1000))})
    row = next(i for i, r in enumerate(tree.rows) if r.node.key == "items")
    tree.set_folded(row, False)
    more = [r for r in tree.rows if r.kind is RowKind.MORE]
    assert len(more) == 1
    assert "1,000 more items not shown" in row_text(more[0], {}).plain
    assert len(tree) == 1 + 1 + SHOWN_CHILDREN + 1 + 1 + 1


def test_data_nested_deeper_than_the_stack_still_shows() -> None:
    data: Any = 1
    for _ in range(5000):
        data = [data]
    tree = JsonTree(data)
    assert tree.unfold_all()
    assert len(tree) == 2 * 5000 + 1


def test_a_long_string_is_cut_in_its_row_with_a_note() -> None:
    tree = JsonTree({"blob": "A" * (MAX_VALUE_CHARS * 10)})
    plain = _row(tree, "blob").node
    text = row_text(next(r for r in tree.rows if r.node is plain), {}).plain
    assert len(text) < MAX_VALUE_CHARS + 200
    assert f"first {MAX_VALUE_CHARS:,} of {MAX_VALUE_CHARS * 10:,} characters" in text
    assert "ctrl+s" in text


def test_markup_and_escape_codes_in_keys_and_values_are_shown_as_text() -> None:
    tree = JsonTree({"[b]k\x1b[0m": "[red]not markup[/red] \x1b[31mred\x1b[0m\nnext"})
    text = row_text(tree.rows[1], {"string": Style(color="green")})
    assert text.plain == ('    "[b]k\\x1b[0m": "[red]not markup[/red] \\x1b[31mred\\x1b[0m\\nnext"')
    assert "\x1b" not in text.plain and "\n" not in text.plain


def test_paths_are_the_query_fields_and_list_items_share_their_list_path() -> None:
    tree = JsonTree({"response": {"status": 500, "items": [{"id": 1}]}, "a.b": 1})
    tree.unfold_all()
    paths = {str(row.node.key): row.node.path for row in tree.rows if row.node.key is not None}
    assert paths["status"] == "response.status"
    assert paths["0"] == "response.items"
    assert paths["id"] == "response.items.id"


class _Recorder:
    """A query that records what it is asked: the detail must name each field by its path."""

    def __init__(self) -> None:
        self.spans_asked: list[tuple[str, str | None]] = []
        self.keys_asked: list[str] = []

    def spans(self, text: str, field: str | None = None) -> list[tuple[int, int]]:
        self.spans_asked.append((text, field))
        return [(0, 2)] if text == "503" else []

    def key_matches(self, path: str) -> bool:
        self.keys_asked.append(path)
        return path == "response.status"


def test_values_and_keys_are_highlighted_by_path() -> None:
    tree = JsonTree({"response": {"status": 503, "reason": "busy"}})
    recorder = _Recorder()
    texts = {row.node.key: row_text(row, {}, recorder, MATCH) for row in tree.rows}
    status = texts["status"]
    assert ("503", "response.status") in recorder.spans_asked
    assert ("busy", "response.reason") in recorder.spans_asked
    assert "response.status" in recorder.keys_asked
    marked = {status.plain[span.start : span.end] for span in status.spans if span.style == MATCH}
    assert marked == {'"status"', "50"}
    reason = texts["reason"]
    assert not [span for span in reason.spans if span.style == MATCH]


def test_a_real_query_highlights_what_it_matched_in_a_value() -> None:
    tree = JsonTree({"url": "https://billing.example/accounts", "n": 4155550188})
    query = Query.parse("BILLING")
    text = row_text(_row(tree, "url"), {}, query, MATCH)
    marked = [text.plain[s.start : s.end] for s in text.spans if s.style == MATCH]
    assert marked == ["billing"]
    number = row_text(_row(tree, '"n"'), {}, Query.parse("5555"), MATCH)
    assert [number.plain[s.start : s.end] for s in number.spans if s.style == MATCH] == ["5555"]
    inverted = row_text(_row(tree, "url"), {}, Query.parse("!billing"), MATCH)
    assert not [s for s in inverted.spans if s.style == MATCH]
