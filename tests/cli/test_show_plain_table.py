"""``fuse-tui show``'s table of a plain log is printed from the fields msgspec reads
(``reader.plain_call_fields``), without the models: it must be the table the models give, byte
for byte, and it must be taken exactly when the reader keeps every entry as its JSON text (a
plain entry, see ``json_fast``), so that nothing a model would show differently slips through.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.cli import main
from fuse_tui.cli.show import log_lines, plain_lines, render_document
from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import LogsDocument, ReadError, load
from fuse_tui.core.formats.reader import plain_call_fields
from fuse_tui.core.model import LogEntry
from tests.core.log_strategies import ODD_TEXTS, json_values

# Values of every JSON type where the model expects text, an int or an object: plain entries
# and the odd ones the model normalises or refuses, mixed in one log.
_anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.sampled_from(ODD_TEXTS),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_texts = st.one_of(st.sampled_from(ODD_TEXTS), st.text(max_size=30))
_modules = st.one_of(_texts, _anything, json_values)
_data = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(["module_type", "result_variable", "body"]), _modules),
    st.just([]),
    _anything,
)
_event = st.one_of(
    st.fixed_dictionaries(
        {}, optional={"line": st.one_of(_texts, _texts, _anything), "data": _data, "x": _anything}
    ),
    _anything,
)
_entry = st.fixed_dictionaries(
    {},
    optional={
        "event": _event,
        "class": st.one_of(st.sampled_from(["info", "error", "debug", "prompt", ""]), _anything),
        "timestamp": st.one_of(
            st.integers(min_value=-(2**64), max_value=2**64), st.integers(0, 2**34), _anything
        ),
        "class_": _anything,
        "extra": _anything,
    },
)
# Mostly plain entries (text lines and classes, int timestamps, object data), as real logs are.
_plain_entry = st.fixed_dictionaries(
    {},
    optional={
        "event": st.fixed_dictionaries(
            {},
            optional={
                "line": _texts,
                "data": st.one_of(
                    st.none(), st.dictionaries(st.sampled_from(["module_type", "x"]), _modules)
                ),
            },
        ),
        "class": st.one_of(st.none(), st.sampled_from(["info", "error", ""]), _texts),
        "timestamp": st.one_of(st.none(), st.integers(-(2**63), 2**63)),
    },
)
_entries = st.one_of(
    st.lists(_entry, max_size=8), st.lists(st.one_of(_plain_entry, _entry), max_size=8)
)


def _encoded(entries: list[Any], ascii_only: bool) -> bytes:
    text = json.dumps(entries, ensure_ascii=ascii_only)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate: bytes msgspec refuses


def _all_kept_as_text(document: Any) -> bool:
    """Whether the reader kept every entry of a one-call document as its JSON text."""
    if not isinstance(document, LogsDocument) or document.kind != "call":
        return False
    if len(document.logs) != 1 or not isinstance(document.logs[0].entries, CompactEntries):
        return False
    items = document.logs[0].entries.raw_items()
    return not any(isinstance(item, LogEntry) for item in items)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=_entries, ascii_only=st.booleans(), color=st.booleans())
def test_the_plain_table_is_the_table_of_the_models(
    entries: list[Any], ascii_only: bool, color: bool
) -> None:
    data = _encoded(entries, ascii_only)
    fields = plain_call_fields(data)
    try:
        document = load(data, source="generated", partial=True)
    except ReadError:
        assert fields is None  # the reader's error is what show says
        return
    # Taken exactly when the reader keeps every entry as text: never for an entry it validates.
    assert (fields is not None) == _all_kept_as_text(document)
    if fields is None:
        return
    assert isinstance(document, LogsDocument)
    (log,) = document.logs
    assert isinstance(log.entries, CompactEntries)
    assert fields.kinds == log.entries.kinds()
    assert fields.timestamps == log.entries.timestamps()
    assert fields.module_types == log.entries.module_types()
    models = list(log.entries)
    assert fields.lines == [entry.event.line for entry in models]
    assert fields.timestamps == [entry.timestamp for entry in models]
    assert list(plain_lines(fields, color=color)) == list(log_lines(document.logs, color=color))
    # With each entry's data (`show -d`): None only when msgspec refuses a value in it.
    with_data = plain_call_fields(data, with_data=True)
    if with_data is not None:
        assert with_data[:4] == fields[:4]
        assert list(plain_lines(with_data, color=color, data=True)) == list(
            log_lines(document.logs, color=color, data=True)
        )


ODD_LOGS = {
    "empty": b"[]",
    "empty entry": b"[{}]",
    "bom and blanks": b'\xef\xbb\xbf \n [{"class": "info", "event": {"line": "x"}}] \n',
    "huge timestamps": b'[{"timestamp": 9223372036854775808}, {"timestamp": -1}, {"timestamp": 1}]',
    "controls": b'[{"class": "e\\u001b", "event": {"line": "\\u001b[2J\\u202e[b]x[/b]\\r", '
    b'"data": {"module_type": "m\\u0000"}}}]',
    "numbers as text": b'[{"class": 5, "event": {"line": 7, "data": {"module_type": 1.5}}}]',
    "module type of any type": b'[{"event": {"data": {"module_type": {"a": [1.50, null]}}}}]',
    "event null": b'[{"event": null}, {"class": "info"}]',
    "php empty data": b'[{"event": {"line": "x", "data": []}}]',
    "class_ by field name": b'[{"class_": "error", "event": {"line": "x"}}]',
    "lone surrogate": b'[{"event": {"line": "a\\ud800"}}]',
    "latin-1": b'[{"event": {"line": "caf\xe9"}}]',
    "utf-16": '[{"event": {"line": "x"}}]'.encode("utf-16"),
    "too long a number": b'[{"timestamp": ' + b"1" * 5000 + b"}]",
    "truncated": b'[{"event": {"line": "x"}}',
    "ndjson": b'{"event": {"line": "a"}}\n{"event": {"line": "b"}}\n',
    "numbers in data": b'[{"event": {"line": "n", "data": {"a": 1e400, "b": -0.0}}}, '
    b'{"event": {"data": {"c": 1e-400, "d": 5e-324, "e": 1.7976931348623157e308, '
    b'"f": 123456789012345678901234567890, "g": [1.50, 2E3, -0], "h": 0.1}}}]',
    "finite numbers in data": b'[{"event": {"data": {"c": 1e-400, "d": 5e-324, "f": 1.0e+2, '
    b'"g": 12345678901234567890123, "h": [0.30000000000000004, -1e-7]}}}]',
    "repeated keys": b'[{"class": "info", "class": "error", "event": {"line": "a", "line": "b", '
    b'"data": {"module_type": "m", "x": 1, "module_type": "n"}}, "event": {"line": "c", '
    b'"data": {"y": 2, "y": 3}}}]',
    "deep data": b'[{"event": {"line": "d", "data": {"x": ' + b"[" * 300 + b"]" * 300 + b"}}}]",
    "data of odd text": rb'[{"event": {"data": {"k\u001b": "v\n\u202e", "": {"[b]": "\\"}}}}]',
}


@pytest.mark.usefixtures("utc")
@pytest.mark.parametrize("data", [False, True])
@pytest.mark.parametrize("color", ["never", "always"])
@pytest.mark.parametrize("name", sorted(ODD_LOGS))
def test_show_prints_what_the_models_print(
    name: str, color: str, data: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(ODD_LOGS[name])
    status = main(["show", "--color", color, *(["-d"] if data else []), str(path)])
    shown = capsys.readouterr()
    try:
        document = load(ODD_LOGS[name], source=str(path), partial=True)
    except ReadError as exc:
        assert (status, shown.out) == (1, "")
        assert shown.err == f"fuse-tui: error: {exc}\n"
        return
    assert status == 0
    expected = _rendered(document, color=color == "always", data=data)
    assert shown.out == expected
    assert ("no entries" in shown.err) == (expected == "")


def _rendered(document: Any, *, color: bool, data: bool = False) -> str:
    import io

    out = io.StringIO()
    render_document(document, "text", out, color=color, show_data=data)
    return out.getvalue()


def test_the_seed_table_needs_neither_pydantic_nor_the_models(data_dir: Path) -> None:
    code = (
        "import sys; from fuse_tui.cli import main; status = main(sys.argv[1:]); "
        "print(sorted(m for m in ('pydantic', 'fuse_tui.core.model', 'fuse_tui.core.entries') "
        "if m in sys.modules), file=sys.stderr); sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "show", str(data_dir / "seed_call.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert len(done.stdout.splitlines()) == 7


def test_stdin_gives_the_table_of_the_file(data_dir: Path) -> None:
    seed = data_dir / "seed_call.json"
    argv = [sys.executable, "-m", "fuse_tui", "show"]
    env = {"TZ": "UTC", "PATH": "/usr/bin:/bin"}
    from_file = subprocess.run([*argv, str(seed)], capture_output=True, env=env, timeout=60)
    from_stdin = subprocess.run(
        [*argv, "-"], input=seed.read_bytes(), capture_output=True, env=env, timeout=60
    )
    assert from_file.returncode == from_stdin.returncode == 0
    assert from_stdin.stdout == from_file.stdout != b""


@pytest.mark.usefixtures("utc")
def test_the_emulator_calls_show_as_their_models_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fuse_tui.emulator.encoding import encode
    from fuse_tui.emulator.samples import sample_calls

    for call in sample_calls(1_700_000_000):
        data = encode(call.entries, "json")
        assert plain_call_fields(data) is not None  # real logs take the plain road
        path = tmp_path / "call.json"
        path.write_bytes(data)
        for color, show_data in (("never", False), ("always", False), ("never", True)):
            argv = ["show", "--color", color, *(["-d"] if show_data else []), str(path)]
            assert main(argv) == 0
            document = load(data, source=str(path))
            expected = _rendered(document, color=color == "always", data=show_data)
            assert capsys.readouterr().out == expected != ""
