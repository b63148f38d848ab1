"""Property: whatever a log holds, ``show --redact`` lets no caller input of 4+ digits (nor its
digits read back spaced out: ``2 0 4 8 1``, ``20,481``), no phone number, no e-mail address and
no value of a sensitive key written inside text (``pin=4321``, ``"acct":"99887766"``) through,
in any format; same value, same token; and the redacted JSON and XML read back with the same
entries."""

from __future__ import annotations

import io
import json
import re
import tempfile
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fuse_tui.cli import main
from fuse_tui.core.formats import LogsDocument, dump_csv, dump_json, load
from fuse_tui.core.model import LogEntry
from fuse_tui.core.redact import redact_log
from tests.core.log_strategies import json_entries

T0 = 1_764_190_000
SID = "300060;001;1764189889"
FORMATS = ("text", "json", "xml", "ndjson")
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

digit_inputs = st.text("0123456789", min_size=4, max_size=12)
phones = st.builds(
    lambda area, exchange, line, shape: shape.format(a=area, e=exchange, l=f"{line:04d}"),
    st.integers(200, 999),
    st.integers(200, 999),
    st.integers(0, 9999),
    st.sampled_from(["+1{a}{e}{l}", "({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "{a}{e}{l}"]),
)
emails = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    st.from_regex(r"[a-z][a-z0-9._+-]{0,10}", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,8}[a-z0-9]", fullmatch=True),
    st.sampled_from(["com", "io", "org", "co.uk"]),
)
# What a secret sits between: words, punctuation, URLs, JSON-ish text, nothing.
around = st.sampled_from(["", " ", "/", "=", ": ", "(", ")", ",", "-", "x", "\n", '"', "?id="])
filler = st.sampled_from(["", "Looking up ", "REST url https://h.example/a/", "note: ", "ok"])


@st.composite
def embedded(draw: st.DrawFn, secret: str) -> str:
    return draw(filler) + draw(around) + secret + draw(around) + draw(filler)


@st.composite
def read_back(draw: st.DrawFn, value: str) -> str:
    """A caller input as a prompt reads it back: every digit apart, in thousands, or cut once."""
    how = draw(st.sampled_from(["spaced", "dashed", "thousands", " ", ",", ".", "-", ", "]))
    if how == "spaced":
        return " ".join(value)
    if how == "dashed":
        return "-".join(value)
    if how == "thousands":
        head = len(value) % 3 or 3
        return ",".join([value[:head], *(value[i : i + 3] for i in range(head, len(value), 3))])
    cut = draw(st.integers(1, len(value) - 1))
    return value[:cut] + how + value[cut:]


# A sensitive value written inside text, and the shapes it is written in.
keyed_values = st.one_of(
    st.text("0123456789", min_size=4, max_size=10),
    st.from_regex(r"[a-z]{3,8}[0-9]{2,6}", fullmatch=True),
)
keyed_forms = st.sampled_from(
    [
        "pin={v}",
        "https://h.example/api?member=7&acct={v}&lang=en",
        "acct: {v}",
        '"pin":"{v}"',
        '"passcode": "{v}"',
        '{{\\"account\\":\\"{v}\\"}}',
        "token={v}",
        "X-Auth-Token: {v}",
        "--pin={v}",
        "'ssn': '{v}'",
    ]
)
# Not a letter or digit before the key ("okpin=" is another key): the filler may end in one.
before_key = st.sampled_from([" ", "/", "=", ": ", "(", ",", "-", "\n", '"', "?id="])


@st.composite
def keyed(draw: st.DrawFn) -> tuple[str, str]:
    """(text, value): a sensitive value inside a URL, a header, a note or JSON held in text."""
    value = draw(keyed_values)
    form = draw(keyed_forms)
    if value.isdigit() and draw(st.booleans()):
        form = "acct {v}"  # a note: key word, space, the number
    text = draw(filler) + draw(before_key) + form.format(v=value) + draw(around) + draw(filler)
    return text, value


Case = tuple[list[dict[str, Any]], list[str], list[str], list[str], list[str]]


@st.composite
def secret_logs(draw: st.DrawFn) -> Case:
    inputs = draw(st.lists(digit_inputs, min_size=1, max_size=3, unique=True))
    numbers = draw(st.lists(phones, max_size=3))
    addresses = draw(st.lists(emails, max_size=2))
    read_backs = [draw(read_back(value)) for value in inputs if draw(st.booleans())]
    pairs = draw(st.lists(keyed(), max_size=3))
    entries: list[dict[str, Any]] = []
    clock = T0

    def add(line: str, cls: str, **data: Any) -> None:
        nonlocal clock
        clock += 1
        payload = {**data, "module_type": "digits", "result_variable": "account_number"}
        entries.append({"event": {"line": line, "data": payload}, "class": cls, "timestamp": clock})

    for value in inputs:
        add(f"User input: {value} (dtmf)", "event")
    texts = [draw(embedded(secret)) for secret in [*inputs, *numbers, *addresses, *read_backs]]
    for text in [*texts, *(text for text, _value in pairs)]:
        where = draw(st.sampled_from(["line", "data", "deep", "list"]))
        if where == "line":
            add(text, "info")
        elif where == "data":
            add("REST", "debug", body=text)
        elif where == "deep":
            add("REST", "debug", request={"headers": {"X-Note": text}, "query": {"q": text}})
        else:
            add("REST", "debug", items=[1, {"v": [text]}, True])
    order = draw(st.permutations(range(len(inputs), len(entries))))
    shuffled = entries[: len(inputs)] + [entries[i] for i in order]
    for index, item in enumerate(shuffled):
        item["timestamp"] = T0 + index
    return shuffled, inputs, numbers, addresses, [value for _text, value in pairs]


def _kept_numbers(count: int) -> set[str]:
    """Digit runs any output prints whatever the log holds: times, session ID parts, years."""
    kept = {str(T0 + i) for i in range(count)} | set(SID.split(";"))
    return kept | {"2025", "2026", "1764189889"}


def _show(path: Path, fmt: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["show", str(path), "--redact", "-f", fmt, "-d"])
    assert status == 0
    return out.getvalue()


# The text format's own times (2025-11-26 22:46:41): digits any output shows.
_PRINTED_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _leaks(
    output: str, inputs: list[str], numbers: list[str], addresses: list[str], keyed: list[str]
) -> list[str]:
    output = _PRINTED_TIME.sub("<time>", output)
    # An input's digits, together or apart (2 0 4 8 1, 20,481, 20-481).
    apart = r"(?:[ ,.-] ?)?"
    found = [v for v in inputs if re.search(rf"(?<!\d){apart.join(v)}(?!\d)", output)]
    found += [
        v for v in keyed if re.search(rf"(?<![A-Za-z0-9]){re.escape(v)}(?![A-Za-z0-9])", output)
    ]
    for number in numbers:
        digits = re.sub(r"\D", "", number)[-10:]
        if number in output or re.search(rf"(?<!\d)1?{digits}(?!\d)", output):
            found.append(number)
    lowered = output.lower()
    found += [a for a in addresses if a in lowered]
    return found


@SETTINGS
@given(secret_logs())
def test_no_secret_survives_any_output_format(case: Case) -> None:
    entries, inputs, numbers, addresses, keyed_secrets = case
    assume(not set(inputs + keyed_secrets) & _kept_numbers(len(entries)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "call.json"
        path.write_text(json.dumps(entries), encoding="utf-8")
        outputs = {fmt: _show(path, fmt) for fmt in FORMATS}
    log = load(json.dumps(entries).encode(), source="test")
    assert isinstance(log, LogsDocument)
    outputs["csv"] = dump_csv([redact_log(log.logs[0])]).decode("utf-8")
    for fmt, output in outputs.items():
        assert _leaks(output, inputs, numbers, addresses, keyed_secrets) == [], fmt


@SETTINGS
@given(secret_logs())
def test_same_value_same_token_and_the_dump_reads_back_whole(case: Case) -> None:
    entries, inputs, _numbers, _addresses, _keyed = case
    original = [LogEntry.model_validate(e) for e in entries]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "call.json"
        path.write_text(json.dumps(entries), encoding="utf-8")
        dumps = {fmt: _show(path, fmt) for fmt in ("json", "xml", "ndjson")}
    for fmt, text in dumps.items():
        document = load(text.encode("utf-8"), source=fmt)
        assert isinstance(document, LogsDocument)
        back = document.logs[0].entries
        assert len(back) == len(original), fmt
        for old, new in zip(original, back, strict=True):
            assert (new.kind, new.timestamp) == (old.kind, old.timestamp)
            assert (new.event.module_type, new.event.result_variable) == (
                old.event.module_type,
                old.event.result_variable,
            )
            assert set(new.event.data or {}) == set(old.event.data or {})
        tokens = [
            re.fullmatch(r"User input: (.*) \(dtmf\)", e.event.line) for e in back[: len(inputs)]
        ]
        names = [m.group(1) for m in tokens if m]
        assert len(names) == len(inputs)
        # Distinct inputs, distinct tokens; each token stands for its input wherever it recurs.
        assert len(set(names)) == len(inputs)
        assert all(re.fullmatch(r"‹(digits|phone)-\d+›", name) for name in names)  # noqa: RUF001
        text_of = json.dumps([e.to_api() for e in back], ensure_ascii=False)
        for value, name in zip(inputs, names, strict=True):
            mentions = sum(
                bool(re.search(rf"(?<!\d){value}(?!\d)", json.dumps(e, ensure_ascii=False)))
                for e in entries
            )
            assert text_of.count(name) >= mentions


@SETTINGS
@given(json_entries)
def test_any_readable_log_redacts_without_error_and_keeps_its_shape(
    entries: list[dict[str, Any]],
) -> None:
    """Odd keys, control characters, surrogates, nulls, floats, extras at every level: the
    redacted log has the same entries, classes, timestamps and keys, and still writes."""
    document = load(json.dumps(entries).encode(), source="test")
    assert isinstance(document, LogsDocument)
    log = document.logs[0]
    before = [e.to_api() for e in log.entries]
    out = redact_log(log)
    assert [e.to_api() for e in log.entries] == before  # the input is untouched
    assert len(out.entries) == len(log.entries)
    for old, new in zip(log.entries, out.entries, strict=True):
        assert (new.class_, new.timestamp) == (old.class_, old.timestamp)
        assert set(new.to_api()) == set(old.to_api())
        assert set(new.event.data or {}) == set(old.event.data or {})
    again = load(dump_json(out), source="again")
    assert isinstance(again, LogsDocument)
    assert len(again.logs[0].entries) == len(out.entries)
