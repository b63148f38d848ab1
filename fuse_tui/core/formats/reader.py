"""Read any saved Fuse answer, choosing JSON or XML by sniffing the content (never the name).

Every failure is a :class:`ReadError`: a :class:`FuseErrorAnswer` for Plum's own error answers,
a :class:`FormatError` (naming the source, what is wrong, and line/column when the parser knows
it) for everything else.

Files and stdin are read with two guards, so that ``show /dev/zero`` or gigabytes of junk on a
pipe fail at once instead of when memory runs out: the first bytes are sniffed before reading on
(binary input is refused there), and input above :data:`DEFAULT_MAX_INPUT_MB` (1 GiB, ~5M
entries of JSON; override with the environment variable ``FUSE_TUI_MAX_INPUT_MB``) is refused.
A ``MemoryError`` while reading becomes a FormatError too.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from fuse_tui.core.formats import json_fast
from fuse_tui.core.formats.detect import detect_encoding, preview, sniff
from fuse_tui.core.formats.document import CallListDocument, CallProblem, Document, LogsDocument
from fuse_tui.core.formats.errors import FormatError

if TYPE_CHECKING:
    from fuse_tui.core.model import CallLog

# The JSON reader (and so pydantic and the models) loads on the first read that needs it:
# reading bytes, sniffing them and `json_fast.plain_call_fields` do not (see cli.show).

MAX_INPUT_ENV = "FUSE_TUI_MAX_INPUT_MB"
DEFAULT_MAX_INPUT_MB = 1024
# Read before anything else from a file or a pipe, to refuse binary input at once.
_SNIFF_BYTES = 1 << 16
_READ_CHUNK = 1 << 22


def max_input_bytes() -> int:
    """The largest input a file or stdin may be (see the module docstring)."""
    raw = os.environ.get(MAX_INPUT_ENV, "").strip()
    try:
        megabytes = int(raw) if raw else DEFAULT_MAX_INPUT_MB
    except ValueError:
        megabytes = DEFAULT_MAX_INPUT_MB
    return max(1, megabytes) << 20


def load(data: bytes, *, source: str, partial: bool = False) -> Document:
    """Read any Fuse answer: one call log, several (all_logs), or a call list.

    ``partial``: an answer of many calls (all_logs, NDJSON) of which some cannot be read gives
    the others, and those in ``LogsDocument.problems``. Without it (callers that cannot show
    problems, or page through calls by count) such an answer raises its first problem, as a
    whole-answer FormatError.
    """
    try:
        document = _load(data, source)
    except MemoryError:
        document = None  # leaving the except block frees the half-built log
    except FormatError as exc:
        # An all_logs dump cut short: the calls it holds whole, the cut as a problem.
        cut = _whole_calls_of(data, source, exc) if partial else None
        if cut is None:
            raise
        return cut
    if document is None:
        raise FormatError(source, _out_of_memory(len(data)))
    if isinstance(document, LogsDocument) and document.problems and not partial:
        raise FormatError(source, document.problems[0].message)
    return document


def _whole_calls_of(data: bytes, source: str, error: FormatError) -> LogsDocument | None:
    """The calls an all_logs dump (JSON or XML) cut short holds whole (it may be their only
    copy: Fuse deletes logs after 5 days), with the cut as the last problem; None if it holds
    none."""
    # Loaded here: only a file that failed to read needs them (json_reader pulls in the models).
    from fuse_tui.core.formats.json_reader import TRUNCATED
    from fuse_tui.core.formats.salvage import whole_calls
    from fuse_tui.core.formats.xml_reader import XML_TRUNCATED

    if not error.message.startswith((TRUNCATED, XML_TRUNCATED)):
        return None
    salvaged = whole_calls(data)
    if salvaged is None:
        return None
    whole, count = salvaged
    document = load(whole, source=source, partial=True)
    if not isinstance(document, LogsDocument):
        return None
    cut = (
        f"{error.message}: it stops inside the call after call {count}, and that call and any "
        "after it are not in the file; fetch them again"
    )
    document.problems.append(CallProblem(count + 1, None, cut, cut=True))
    return document


def plain_call_fields(data: bytes, *, with_data: bool = False) -> json_fast.PlainFields | None:
    """The fields of every entry when :func:`load` reads ``data`` as one call log whose
    entries are all plain (a bare JSON array, in UTF-8, that the fast JSON road reads whole,
    as ``json_reader.read_json`` decides), without pydantic or the models; None for anything
    else (then :func:`load` it). For ``fuse-tui show``'s table, which needs nothing more.
    ``with_data``: each entry's ``event.data`` too (see ``json_fast.plain_fields``)."""
    if sniff(data) != "json":
        return None
    encoding, bom = detect_encoding(data)
    if encoding != "utf-8":
        return None
    body = data[bom:] if bom else data
    if json_fast.ARRAY_START.match(body) is None:
        return None
    try:
        return json_fast.plain_fields(json_fast.array_raws(body), with_data=with_data)
    except (json_fast.NotFast, MemoryError):
        return None  # load() says what is wrong


def _out_of_memory(size: int) -> str:
    return (
        f"there is not enough memory to read this {size / (1 << 20):.0f} MB input; "
        "free some memory or read a smaller part of it"
    )


def _load(data: bytes, source: str) -> Document:
    kind = sniff(data)
    if kind == "json":
        from fuse_tui.core.formats.json_reader import read_json

        return read_json(data, source)
    if kind == "xml":
        # defusedxml and ElementTree only for XML: a JSON read starts without them.
        from fuse_tui.core.formats.xml_reader import read_xml

        return read_xml(data, source)
    if kind == "empty":
        raise FormatError(source, "the file is empty" if not data else "the file is blank")
    if kind == "binary":
        raise FormatError(source, _not_text(data))
    if kind == "html":
        raise FormatError(
            source,
            "this is an HTML page, not a Fuse answer (a login or proxy error page saved instead "
            "of the API's answer?)",
        )
    # Neither '[', '{' nor '<': a JSON scalar at best.
    from fuse_tui.core.formats.json_reader import parse_json
    from fuse_tui.core.formats.shape import json_type_name

    try:
        value = parse_json(data, source)
    except FormatError as exc:
        raise FormatError(
            source, f"this is neither JSON nor XML (it starts with {preview(data)})"
        ) from exc
    raise FormatError(
        source,
        f"the top level is {json_type_name(value)}; expected a list of log entries "
        "or a Fuse answer object",
    )


def load_call_log(data: bytes, *, source: str) -> CallLog:
    """Read exactly one call log (an ``/api/call`` answer, or an all_logs answer with one call)."""
    document = load(data, source=source)
    if isinstance(document, CallListDocument):
        raise FormatError(source, "this is a call list (/api/calls), not the log of one call")
    if len(document.logs) != 1:
        raise FormatError(
            source, f"this holds {len(document.logs)} call logs, expected the log of one call"
        )
    return document.logs[0]


def _not_text(data: bytes) -> str:
    return f"this is not text (it starts with bytes {preview(data, as_bytes=True)})"


def load_file(path: str | Path, *, partial: bool = False) -> Document:
    """Read a file (see :func:`load` for ``partial``)."""
    return load(read_file(path), source=str(path), partial=partial)


def read_file(path: str | Path) -> bytes:
    """The bytes of a file, with the guards of :func:`read_capped`; FormatError if unreadable.

    What :func:`prefetch_file` read of it, when the file has not changed since.
    """
    prefetched = _take_prefetched(str(path))
    if prefetched is not None:
        return prefetched
    return _read_file(path)


def _read_file(path: str | Path) -> bytes:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = read_capped(handle, str(path))
    except IsADirectoryError as exc:
        raise FormatError(str(path), "this is a directory, not a file") from exc
    except FileNotFoundError as exc:
        raise FormatError(str(path), "no such file") from exc
    except OSError as exc:
        raise FormatError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return data


# Files read ahead by prefetch_file: path -> (what the file was, the reading thread, its bytes).
_prefetched: dict[str, tuple[tuple[int, ...], threading.Thread, list[bytes]]] = {}


def prefetch_file(path: str) -> None:
    """Start reading the regular file ``path`` in a thread, for the :func:`read_file` of the
    same path that follows (once).

    The TUI starts it before it imports and draws its first screen (reading a 200 MB file from
    the page cache takes ~0.15 s, with the GIL released: another core reads while Python
    imports). A read that fails, or a file changed since, is left to read_file: it reads the
    file again and says what is wrong, as without a prefetch. Regular files only: a FIFO
    would give its bytes to one reader of two.
    """
    try:
        known = os.stat(path)
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(known.st_mode) or path in _prefetched:
        return
    box: list[bytes] = []
    thread = threading.Thread(
        target=_prefetch, args=(path, box), name="fuse-tui prefetch", daemon=True
    )
    _prefetched[path] = (_identity(known), thread, box)
    thread.start()


def _prefetch(path: str, box: list[bytes]) -> None:
    with contextlib.suppress(Exception):  # MemoryError, a FormatError: read_file says it
        with open(path, "rb") as handle:
            head = handle.read(_PREFETCH_HEAD)
        if detect_encoding(head) == ("utf-8", 0) and json_fast.ARRAY_START.match(head):
            # A JSON array: its first entries come from its head (core.formats.progressive),
            # and the read of the whole file after them leaves the GIL to the UI while it
            # draws them; read already, the file would be cut into items at once, holding the
            # GIL (0.15 s at 1M entries) while the first rows wait to be drawn.
            return
        box.append(_read_file(path))


_PREFETCH_HEAD = 64


def _identity(known: os.stat_result) -> tuple[int, ...]:
    return (known.st_dev, known.st_ino, known.st_size, known.st_mtime_ns, known.st_ctime_ns)


def _take_prefetched(path: str) -> bytes | None:
    """The prefetched bytes of ``path`` (forgotten here), when the file is still what it was."""
    found = _prefetched.pop(path, None)
    if found is None:
        return None
    identity, thread, box = found
    thread.join()
    try:
        unchanged = _identity(os.stat(path)) == identity
    except (OSError, ValueError):
        return None
    return box[0] if box and unchanged else None


def read_file_head(path: str | Path, size: int) -> bytes | None:
    """The first ``size`` bytes of a regular file longer than that, which :func:`read_file`
    would read (within the size limit, not binary); None for anything else, or when it cannot
    be read: :func:`read_file` then reads it and says what is wrong.

    For a reader that hands out the first entries of a big file before it has read the rest.
    """
    try:
        with Path(path).open("rb") as handle:
            known = os.fstat(handle.fileno())
            if not stat.S_ISREG(known.st_mode) or not size < known.st_size <= max_input_bytes():
                return None
            head = handle.read(size)
    except (OSError, ValueError):
        return None
    if len(head) < size or sniff(head[:_SNIFF_BYTES]) == "binary":
        return None
    return head


def load_stdin(*, partial: bool = False) -> Document:
    """Read all of stdin (see :func:`load` for ``partial``)."""
    return load(read_capped(sys.stdin.buffer, "stdin"), source="stdin", partial=partial)


def read_capped(stream: BinaryIO, source: str, limit: int | None = None) -> bytes:
    """All of ``stream``, refusing binary content after its first bytes and more than ``limit``.

    ``limit`` defaults to :func:`max_input_bytes`. Endless sources (``/dev/zero``, ``yes``) stop
    at the first refusal.
    """
    limit = max_input_bytes() if limit is None else limit
    try:
        known = os.fstat(stream.fileno())
        size = known.st_size if stat.S_ISREG(known.st_mode) else None
    except (OSError, ValueError, AttributeError):
        size = None  # not a real file (a test's BytesIO): read and count
    if size is not None and size > limit:
        raise FormatError(source, _too_big(limit))
    head = stream.read(min(_SNIFF_BYTES, limit + 1))
    if sniff(head) == "binary":
        raise FormatError(source, _not_text(head))
    if size is not None and len(head) < size:
        # A regular file: read it again whole into one buffer; chunks joined at the end would
        # need twice its size at once (1M entries: +200-370 MB of peak memory).
        try:
            stream.seek(0)
            data = stream.read()
        except MemoryError:
            raise FormatError(source, _out_of_memory(size)) from None
        except (OSError, ValueError, AttributeError):
            data = None  # not seekable after all: read on in chunks
        if data is not None:
            if len(data) > limit:  # it grew since
                raise FormatError(source, _too_big(limit))
            return data
    chunks = [head]
    total = len(head)
    try:
        while chunk := stream.read(min(_READ_CHUNK, limit + 1 - total)):
            total += len(chunk)
            if total > limit:
                raise FormatError(source, _too_big(limit))
            chunks.append(chunk)
        return b"".join(chunks)
    except MemoryError:
        pass
    chunks.clear()
    raise FormatError(source, _out_of_memory(total))


def _too_big(limit: int) -> str:
    return (
        f"the input is larger than {limit >> 20} MB, the most fuse-tui reads at once "
        f"(set {MAX_INPUT_ENV} to a larger number of MB to read it anyway)"
    )
