"""summary's text and markdown are written in batches of lines: the bytes of show's
line-by-line writer, whatever the stream's encoding."""

from __future__ import annotations

import io

import pytest

from fuse_tui.cli.show import _write_text
from fuse_tui.cli.summary_cmd import _write_lines

LINES = [f"line {n} é ☎ \udcff" if n % 7 == 0 else f"line {n}" for n in range(10_000)]


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "latin-1", "utf-16", "utf-8-sig"])
@pytest.mark.parametrize("count", [0, 1, 4096, 4097, 10_000])
def test_batched_lines_are_the_bytes_of_line_by_line(encoding: str, count: int) -> None:
    def written(write: object) -> bytes:
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding=encoding, errors="backslashreplace")
        write(out, iter(LINES[:count]))  # type: ignore[operator]
        out.flush()
        return raw.getvalue()

    assert written(_write_lines) == written(_write_text)


def test_a_stream_without_a_buffer_gets_the_same_text() -> None:
    a, b = io.StringIO(), io.StringIO()
    _write_lines(a, LINES[:5000])
    _write_text(b, LINES[:5000])
    assert a.getvalue() == b.getvalue()


@pytest.mark.parametrize("count", [0, 1, 4095, 4096, 4097, 8192, 10_000])
def test_the_html_page_is_encoded_in_batches_as_it_is_whole(count: int) -> None:
    """An arrow in one line widens only its batch: the bytes are those of the joined page."""
    from fuse_tui.cli.summary_cmd import utf8_lines

    lines = [f"<td>{n} → é</td>" if n % 7 == 0 else f"<td>{n}</td>" for n in range(count)]
    expected = ("\n".join(lines) + "\n").encode("utf-8")
    assert utf8_lines(iter(lines)) == expected
    assert utf8_lines(lines) == expected
