"""Every encoding name Python knows, declared in an XML prolog: a document or a typed error.

Python's codec registry holds more than text encodings: ``idna``/``punycode`` (text codecs that
cannot decode arbitrary text), ``undefined`` (always fails), and str-to-str or bytes-to-bytes
codecs (``rot13``, ``base64``, ``hex``, ``zlib``…). A prolog naming any of them once crashed the
reader with a traceback from inside expat's unknown-encoding handler.
"""

from __future__ import annotations

import codecs
import encodings
import encodings.aliases
import pkgutil

import pytest

from fuse_tui.core.formats import FormatError, LogsDocument, ReadError, load

TEMPLATE = (
    '<?xml version="1.0" encoding="{encoding}"?>\n<result><item><event><line>{line}</line>'
    "</event><class>info</class></item></result>\n"
)


def _every_codec_name() -> list[str]:
    names = set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values())
    names |= {module.name for module in pkgutil.iter_modules(encodings.__path__)}
    names.discard("aliases")
    return sorted(names)


CODEC_NAMES = _every_codec_name()


def _read_or_typed_error(data: bytes) -> LogsDocument | None:
    try:
        document = load(data, source="enc.xml")
    except ReadError as exc:
        assert "\n" not in exc.message and "Traceback" not in exc.message
        return None
    assert isinstance(document, LogsDocument)
    return document


def test_the_list_is_the_whole_registry() -> None:
    assert len(CODEC_NAMES) > 300
    assert {"idna", "punycode", "undefined", "rot_13", "base64_codec", "hex_codec"} <= set(
        CODEC_NAMES
    )


@pytest.mark.parametrize("name", CODEC_NAMES)
def test_declared_encoding_in_ascii_bytes(name: str) -> None:
    _read_or_typed_error(TEMPLATE.format(encoding=name, line="x").encode("ascii"))


@pytest.mark.parametrize("name", CODEC_NAMES)
def test_declared_encoding_in_its_own_bytes(name: str) -> None:
    """The document really written in that codec, when the codec can write it."""
    text = TEMPLATE.format(encoding=name, line="caf\u00e9")
    try:
        data = text.encode(name)
    except Exception:  # not a text codec, or it cannot write this text
        pytest.skip(f"{name} cannot encode the document")
    if not isinstance(data, bytes):
        pytest.skip(f"{name} does not encode to bytes")
    document = _read_or_typed_error(data)
    if document is not None and codecs.lookup(name).name not in {"utf-7"}:
        line = document.logs[0].entries[0].event.line
        assert line in {"caf\u00e9", "caf?"} or line.startswith("caf")


@pytest.mark.parametrize("name", CODEC_NAMES)
@pytest.mark.parametrize("carrier", ["utf-8-sig", "utf-16", "utf-32"])
def test_declared_encoding_behind_a_byte_order_mark(name: str, carrier: str) -> None:
    _read_or_typed_error(TEMPLATE.format(encoding=name, line="x").encode(carrier))


@pytest.mark.parametrize("name", ["idna", "punycode", "undefined", "rot13", "base64", "hex"])
def test_codecs_that_cannot_read_text_are_named_in_one_sentence(name: str) -> None:
    data = TEMPLATE.format(encoding=name, line="x").encode("ascii")
    with pytest.raises(FormatError, match=name):
        load(data, source="enc.xml")


def test_odd_names_in_the_declaration_are_typed_errors() -> None:
    for name in ["", " ", "utf 8", "../../etc", "x" * 300, "idna\u00e9"]:
        data = TEMPLATE.format(encoding=name, line="x").encode("utf-8")
        _read_or_typed_error(data)
