"""Mutations of a seed: byte flips, truncation, nesting, numeric extremes, encodings, huge text."""

from __future__ import annotations

import codecs
import encodings.aliases
import json
import random
import re
from collections.abc import Callable
from typing import Any

Mutator = Callable[[random.Random, bytes], bytes]

NUMBERS = [
    b"0",
    b"-0",
    b"1e400",
    b"-1e400",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"9223372036854775808",
    b"-9223372036854775809",
    b"18446744073709551616",
    b"1" * 4301,
    b"1.7976931348623157e309",
    b"4.9e-325",
    b"0x10",
    b"1_000",
    b'"1529552692"',
    b'""',
    b"true",
    b"null",
    b"[]",
    b"{}",
]
ODD_TEXT = [
    b"\\u0000",
    b"\\ud800",
    b"\\udfff\\ud800",
    b"\\u202e",
    b"\x1b[31m",
    b"\x00",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"]]>",
    b"&#0;",
    b"&#xD800;",
    b"&lt;",
    b"&bogus;",
    b"<![CDATA[x]]>",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"<?pi x?>",
    b"<!-- c -->",
]
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_CODEC_NAMES = sorted(set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values()))
# Codecs that are not document encodings, or that expat cannot read itself: tried more often.
_ODD_CODECS = [
    "idna",
    "punycode",
    "undefined",
    "rot13",
    "base64",
    "hex",
    "zlib",
    "bz2",
    "uu",
    "quopri",
    "unicode_escape",
    "raw_unicode_escape",
    "utf-7",
    "utf-8-sig",
    "utf-16",
    "utf-32",
    "cp037",
    "shift_jis",
    "gb18030",
    "big5",
    "iso2022_jp",
    "mbcs",
    "palmos",
    "x-unknown",
    "utf-8\x00",
]
_BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def splice_junk(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    junk = rng.choice(ODD_TEXT) if rng.random() < 0.7 else rng.randbytes(rng.randint(1, 16))
    cut = rng.randint(0, 4)
    return data[:at] + junk + data[at + cut :]


def delete_range(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + data[at + rng.randint(1, 64) :]


def duplicate_range(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    part = data[at : at + rng.randint(1, 256)]
    return data[:at] + part * rng.randint(2, 50) + data[at:]


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice([100, 1000, 5000, 100_000])
    if data.lstrip().startswith(b"<") or rng.random() < 0.2:
        inner = b"<a>" * depth + b"x" + b"</a>" * depth
        return data.replace(b"<line>", b"<line>" + inner, 1) if b"<line>" in data else inner
    nest = rng.choice([b"[", b'{"a":'])
    close = b"]" if nest == b"[" else b"}"
    inner = nest * depth + b"1" + close * depth
    if b'"data":' in data and rng.random() < 0.7:
        return data.replace(b'"data":', b'"data":{"d":' + inner + b'},"was":', 1)
    return b"[" + inner + b"]"


def numeric_extreme(rng: random.Random, data: bytes) -> bytes:
    spots = list(_NUMBER.finditer(data))
    if not spots:
        return data + rng.choice(NUMBERS)
    spot = rng.choice(spots)
    return data[: spot.start()] + rng.choice(NUMBERS) + data[spot.end() :]


def reencode(rng: random.Random, data: bytes) -> bytes:
    """Another encoding: UTF-16/32 with or without BOM, a wrong BOM, a random XML prolog."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    choice = rng.randrange(5)
    if choice == 0:
        codec = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
        return text.encode(codec, "surrogatepass")
    if choice == 1:
        return rng.choice(_BOMS) + data
    if choice == 2:
        return text.encode("latin-1", "replace")
    name = rng.choice(_ODD_CODECS if rng.random() < 0.5 else _CODEC_NAMES).encode()
    prolog = b'<?xml version="1.0" encoding="' + name + b'"?>\n'
    body = re.sub(rb"^\s*<\?xml[^>]*\?>\s*", b"", data)
    if choice == 3:
        return prolog + body
    try:
        return prolog + text.encode(name.decode(), "replace")
    except Exception:  # a codec that cannot encode text at all: keep the bytes as they are
        return prolog + body


def odd_prolog(rng: random.Random, data: bytes) -> bytes:
    """An XML prolog naming a codec that is no document encoding, or one expat cannot read."""
    name = rng.choice(_ODD_CODECS).encode()
    body = re.sub(rb"^\s*<\?xml[^>]*\?>\s*", b"", data)
    return b'<?xml version="1.0" encoding="' + name + b'"?>\n' + body


def huge_text(rng: random.Random, data: bytes) -> bytes:
    size = rng.choice([1 << 16, 1 << 20, 5 << 20])
    blob = rng.choice([b"x", b"\\u00e9", b"&amp;", b" "]) * (size // 4)
    for marker in (b'"line":"', b'"line": "', b"<line>"):
        if marker in data:
            return data.replace(marker, marker + blob, 1)
    return data + blob


def many_keys(rng: random.Random, data: bytes) -> bytes:
    keys = b",".join(b'"k%d":%d' % (n, n) for n in range(rng.choice([1000, 50_000])))
    if b'"data":{' in data:
        return data.replace(b'"data":{', b'"data":{' + keys + b",", 1)
    return b"[{" + keys + b"}]"


def swap_types(rng: random.Random, data: bytes) -> bytes:
    """A value of the wrong type where an object, list or text is expected."""
    for key in rng.sample([b'"event":', b'"data":', b'"detail":', b'"calls":', b'"line":'], 5):
        at = data.find(key)
        if at >= 0:
            value = rng.choice([b"null", b'""', b"[]", b"{}", b"7", b"true", b'"x"', b"[1]"])
            return data[: at + len(key)] + value + b',"was":' + data[at + len(key) :]
    return data


def many_tiny_entries(rng: random.Random, data: bytes) -> bytes:
    """Hundreds of thousands of near-empty entries: per-entry overhead is what costs here."""
    item = rng.choice([b"{}", b'{"class":"info"}', b'{"event":{}}', b'{"event":null}'])
    if data.lstrip().startswith(b"<"):
        return b"<result>" + b"<item/>" * rng.choice([1000, 300_000]) + b"</result>"
    # (300k, not 1M: every writer and an archive import of 1M entries take ~40 s a case.)
    count = rng.choice([1000, 100_000, 300_000])
    return b"[" + b",".join([item] * count) + b"]"


def binary_flood(rng: random.Random, data: bytes) -> bytes:
    """NULs or random bytes, before or instead of the dump (a disk image, /dev/zero)."""
    flood = b"\x00" * rng.choice([1, 4096, 8 << 20]) if rng.random() < 0.7 else rng.randbytes(4096)
    return flood + data if rng.random() < 0.5 else flood


_ODD_VALUES: list[Any] = [
    "",
    " ",
    "\x00",
    "\x1b[2J",
    "\ud800",
    "\u202e\u2066",
    "\ufeff",
    "]]>",
    "<![CDATA[",
    "&lt;",
    "=cmd|' /C calc'!A0",
    "\r\n\r",
    "x" * 5000,
    10**30,
    -(2**63),
    2**64,
    1e308,
    -0.0,
    float("nan"),
    float("inf"),
    True,
    None,
    [],
    {},
    [[[]]],
    {"": {"": ""}},
]
_ODD_KEYS = [
    "",
    " ",
    "class",
    "event",
    "timestamp",
    "session_id",
    "xml",
    "1a",
    "a b",
    "<",
    "\x00",
    "\ud800",
    "item",
    "result",
    "name",
    "escaped",
    "data",
    "line",
    "é",
    "x" * 300,
]


def json_values(rng: random.Random, data: bytes) -> bytes:
    """Odd values and keys inside an otherwise valid JSON dump (what the writers must carry)."""
    try:
        tree = json.loads(data)
    except (ValueError, RecursionError):
        return data
    nodes: list[Any] = []
    stack = [tree]
    while stack and len(nodes) < 10_000:
        node = stack.pop()
        if isinstance(node, dict | list):
            nodes.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    for _ in range(rng.randint(1, 6)):
        if not nodes:
            break
        node = rng.choice(nodes)
        value = rng.choice(_ODD_VALUES)
        if isinstance(node, dict):
            keys = list(node)
            if keys and rng.random() < 0.6:
                node[rng.choice(keys)] = value
            else:
                node[rng.choice(_ODD_KEYS)] = value
        elif node:
            node[rng.randrange(len(node))] = value
        else:
            node.append(value)
    try:
        return json.dumps(tree, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    except (ValueError, RecursionError):
        return data


MUTATORS: list[Mutator] = [
    json_values,
    json_values,
    many_tiny_entries,
    binary_flood,
    flip_bytes,
    truncate,
    splice_junk,
    delete_range,
    duplicate_range,
    deep_nesting,
    numeric_extreme,
    reencode,
    odd_prolog,
    huge_text,
    many_keys,
    swap_types,
]


# The big-input mutators take seconds per case: rarer, so that a minute tries hundreds of cases.
_HEAVY = {many_tiny_entries, huge_text, many_keys, binary_flood}
_WEIGHTS = [0.15 if mutator in _HEAVY else 1.0 for mutator in MUTATORS]
_LIGHT_WEIGHTS = [0.0 if mutator in _HEAVY else 1.0 for mutator in MUTATORS]


def mutate(rng: random.Random, data: bytes, *, heavy: bool = True) -> tuple[str, bytes]:
    """One to three mutations; returns their names and the result (capped at 16 MB).

    Not ``heavy``: without the mutators that make inputs of megabytes (the quick test slice).
    """
    names = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        (mutator,) = rng.choices(MUTATORS, _WEIGHTS if heavy else _LIGHT_WEIGHTS)
        names.append(mutator.__name__)
        data = mutator(rng, data)[: 16 << 20]
    return "+".join(names), data
