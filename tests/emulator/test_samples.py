"""The bundled samples look like real calls, and the generator is deterministic."""

from __future__ import annotations

from fuse_tui.core.formats import load_call_log
from fuse_tui.core.model import CallLog
from fuse_tui.emulator import EmulatorConfig, EmulatorServer
from fuse_tui.emulator.encoding import to_json
from fuse_tui.emulator.generator import generate_calls
from fuse_tui.emulator.samples import sample_calls
from fuse_tui.emulator.scenarios import ANSI_BODY, MARKUP_UTTERANCE

from .conftest import NOW

DAY = 86400


def read(entries: list[dict[str, object]]) -> CallLog:
    return load_call_log(to_json(entries), source="sample")


def test_samples_cover_the_documented_kinds_of_call() -> None:
    calls = sample_calls(NOW)
    logs = [read(call.entries) for call in calls]
    for log in logs:
        assert log.entries[0].event.module_type == "start"
        assert log.entries[0].event.line.startswith('Executing application "')
        assert all(e.event.module_type and e.event.result_variable for e in log.entries)
        stamps = [e.timestamp or 0 for e in log.entries]
        assert stamps == sorted(stamps)
    billing = next(
        log
        for log, call in zip(logs, calls, strict=True)
        if any(e.is_error and e.event.module_type == "rest" for e in log.entries)
        and call.type == "inbound"
    )
    modules = [e.event.module_type for e in billing.entries]
    assert {"menu", "digits", "rest", "transfer"} <= set(modules)
    assert any(
        e.event.line.startswith("User input: ") and "(dtmf)" in e.event.line
        for e in billing.entries
    )
    assert any(call.src == "Outbound" and call.type == "outbound" for call in calls)
    assert any(log.entries[-2].is_error for log in logs)  # ends in an application error
    assert max(len(log.entries) for log in logs) >= 2000
    expired = [call for call in calls if NOW - call.start > 5 * DAY]
    assert 2 <= len(expired) < len(calls) / 2


def test_samples_carry_hostile_text_as_data() -> None:
    values = [
        str(value)
        for call in sample_calls(NOW)
        for entry in call.entries
        for value in entry["event"]["data"].values()  # type: ignore[index]
    ]
    assert MARKUP_UTTERANCE in values and "[bold]" in MARKUP_UTTERANCE
    assert ANSI_BODY in values and "\x1b[" in ANSI_BODY


def test_the_email_sample_keeps_the_seed_session_id_shape() -> None:
    email = next(c for c in sample_calls(NOW) if ";001;" in c.session_id)
    app, seq, stamp = email.session_id.split(";")
    assert (app, seq) == ("300060", "001")
    assert int(stamp) < email.start


def test_generator_is_deterministic_and_varied() -> None:
    first = generate_calls(200, seed=1, anchor=NOW)
    again = generate_calls(200, seed=1, anchor=NOW)
    other = generate_calls(200, seed=2, anchor=NOW)
    assert [(c.session_id, c.entries) for c in first] == [(c.session_id, c.entries) for c in again]
    assert [c.session_id for c in first] != [c.session_id for c in other]
    assert len({c.session_id for c in first}) == 200
    assert {c.type for c in first} == {"inbound", "outbound"}
    expired = sum(1 for c in first if NOW - c.start > 5 * DAY)
    assert 10 < expired < 80
    for call in first[:50]:
        assert read(call.entries).entries


def test_generated_calls_do_not_collide_with_samples() -> None:
    server = EmulatorServer(EmulatorConfig(now=NOW, generated_calls=300))
    ids = [c.session_id for c in server.calls_for("demo@example.com")]
    assert len(ids) == len(set(ids)) == 310
