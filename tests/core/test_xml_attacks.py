"""Hostile XML is refused quickly, before any entity is expanded or fetched."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fuse_tui.core.formats import FormatError, load, load_file


def _refused_fast(read: object) -> FormatError:
    started = time.perf_counter()
    with pytest.raises(FormatError) as caught:
        read()  # type: ignore[operator]
    assert time.perf_counter() - started < 1.0
    return caught.value


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_entity_attacks_are_refused_within_a_second(data_dir: Path, name: str) -> None:
    error = _refused_fast(lambda: load_file(data_dir / name))
    assert "refused" in str(error) and "DTD" in str(error)
    assert name in str(error)


def test_external_entity_content_never_appears(data_dir: Path) -> None:
    error = _refused_fast(lambda: load_file(data_dir / "external_entity.xml"))
    assert "root:" not in str(error)


def test_quadratic_blowup_is_refused() -> None:
    # One big entity referenced many times: no nesting, still a DTD.
    entity = "x" * 100_000
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "{entity}">]>'
        f"<result><item><event><line>{'&a;' * 10_000}</line></event></item></result>"
    ).encode()
    error = _refused_fast(lambda: load(data, source="q.xml"))
    assert "refused" in str(error)


def test_parameter_entity_and_external_dtd_are_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE result SYSTEM "http://127.0.0.1:9/evil.dtd">'
        b"<result></result>"
    )
    assert "refused" in str(_refused_fast(lambda: load(data, source="e.xml")))
    data = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
        b"<result></result>"
    )
    assert "refused" in str(_refused_fast(lambda: load(data, source="p.xml")))


def test_undeclared_entity_is_a_syntax_error_not_a_lookup() -> None:
    error = _refused_fast(lambda: load(b"<result><item>&nbsp;</item></result>", source="u.xml"))
    assert "not well-formed XML" in str(error) and "undefined entity" in str(error)


@pytest.mark.parametrize(
    "prolog",
    [
        b"<!-- a comment first -->",
        b"<?some-processing instruction?>\n\n",
        b"\n<!-- one -->\n<!-- two -->\n",
    ],
)
def test_a_dtd_after_comments_or_instructions_is_still_refused(prolog: bytes) -> None:
    # The tree is built by the fast C parser after defusedxml has read the prolog: whatever
    # may stand before a DOCTYPE must not let it through.
    data = (
        b'<?xml version="1.0"?>' + prolog + b'<!DOCTYPE r [<!ENTITY a "boom">]>'
        b"<result><item><event><line>&a;</line></event></item></result>"
    )
    error = _refused_fast(lambda: load(data, source="c.xml"))
    assert "refused" in str(error) and "boom" not in str(error)


def test_a_doctype_after_the_root_element_is_a_syntax_error() -> None:
    data = b'<result><item/></result><!DOCTYPE r [<!ENTITY a "boom">]>'
    error = _refused_fast(lambda: load(data, source="late.xml"))
    assert "not well-formed XML" in str(error)
