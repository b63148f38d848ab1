"""Realistic call flows, used by the bundled samples and by the generator.

Each function returns a :class:`StoredCall`. Lines and data follow the reference's "What real
logs look like": a ``start`` entry, prompts with their audio metadata, ``User input: … (dtmf)``
events, module-specific debug data, and the two ``exit`` lines.
"""

from __future__ import annotations

import random

from fuse_tui.emulator.builder import LogBuilder, StoredCall

# Text a caller (or a misbehaving upstream) might produce, shown as data, never as markup or
# terminal control: the demo exercises the UI's safety with these.
MARKUP_UTTERANCE = "the bill says [bold]markup[/bold] [/x] twice"
ANSI_BODY = "\x1b[31mService Unavailable\x1b[0m: upstream timeout"


def email_test_call(session_id: str, start: int, src: str, dest: str) -> StoredCall:
    """The seed document's call: same entries, lines and data, moved to ``start``."""
    log = LogBuilder(start)
    log.start("email test", "0.2")
    log.prompt("Sending email", 845617, result_variable="var_0")
    log.add("info", "Sending", "email", "var_1", after=2)
    log.add(
        "debug",
        "Sent",
        "email",
        "var_1",
        to="tests@plumgroup.com",
        subject="This is the subject",
        body="This is the body.",
    )
    log.prompt("message sent! goodbye!", 845618, result_variable="var_2")
    log.add("info", "Exiting application", "exit", "hangup", after=2)
    log.add("event", "Disconnecting call", "exit", "hangup", after=1)
    return StoredCall(session_id, src, dest, start - 1, log.end, "inbound", log.entries)


def billing_ivr_call(
    session_id: str,
    start: int,
    src: str,
    dest: str,
    *,
    account_number: str = "4155550123",
    lookup_fails: bool = True,
    unsafe_text: bool = True,
) -> StoredCall:
    """Inbound billing IVR: menu, digits input, a REST lookup, then a transfer to an agent."""
    log = LogBuilder(start, revision_id="61204")
    log.start("Acme Energy Billing", "3.7")
    log.prompt("Thank you for calling Acme Energy billing. Calls may be recorded.", 910001, after=1)
    menu = log.prompt(
        "For your balance, press 1. To make a payment, press 2. For an agent, press 0.",
        910002,
        module_type="menu",
        result_variable="main_menu",
        after=4,
    )
    log.add("debug", "Menu choices", "menu", menu, choices=["1", "2", "0"], no_input_retries=2)
    log.user_input("1", "dtmf", "menu", menu, after=6)
    digits = log.prompt(
        "Please enter your 10 digit account number, followed by the pound key.",
        910003,
        module_type="digits",
        result_variable="account_number",
        after=1,
    )
    log.user_input(account_number, "dtmf", "digits", digits, after=9)
    url = f"https://billing.acme-energy.example/api/v2/accounts/{account_number}/balance"
    log.add(
        "info",
        "Sending REST request",
        "rest",
        "balance_lookup",
        after=1,
        method="GET",
        url=url,
        headers={"Accept": "application/json", "X-Request-Id": f"ivr-{start}-{account_number}"},
        timeout_ms=10000,
    )
    if lookup_fails:
        log.add(
            "error",
            "REST request failed: HTTP 503 Service Unavailable",
            "rest",
            "balance_lookup",
            after=10,
            url=url,
            status_code=503,
            elapsed_ms=10004,
            response_body=ANSI_BODY if unsafe_text else "Service Unavailable",
        )
        log.prompt(
            "We are having trouble finding your account. Please hold while I transfer you.",
            910004,
            after=1,
        )
        log.add(
            "info",
            "Transferring call to 8005550199",
            "transfer",
            "agent_transfer",
            after=4,
            transfer_type="blind",
            destination="8005550199",
        )
        log.add("event", "Transfer connected", "transfer", "agent_transfer", after=3)
        log.exit(after=1, reason="transfer")
    else:
        log.add(
            "debug",
            "REST response received: HTTP 200",
            "rest",
            "balance_lookup",
            after=1,
            url=url,
            status_code=200,
            elapsed_ms=412,
            response_body='{"balance": "84.17", "due": "2026-12-04"}',
        )
        log.prompt("Your balance is 84 dollars and 17 cents, due December 4th.", 910005, after=1)
        log.exit(after=6)
    return StoredCall(session_id, src, dest, start - 1, log.end, "inbound", log.entries)


def outbound_survey_call(
    session_id: str, start: int, dest: str, *, rating: int = 4, comment: str | None = None
) -> StoredCall:
    """Outbound customer-satisfaction survey (``src`` is ``"Outbound"``)."""
    log = LogBuilder(start, revision_id="70318")
    log.start("Post-visit survey", "1.2")
    consent = log.prompt(
        "Hello, this is Acme Energy with a two-question survey about your recent visit. "
        "Do you have a minute? Say yes or no.",
        920001,
        module_type="yes_no",
        result_variable="consent",
        after=2,
    )
    log.user_input("yes", "voice", "yes_no", consent, after=5)
    score = log.prompt(
        "On a scale of 1 to 5, how satisfied were you with our technician?",
        920002,
        module_type="number",
        result_variable="score",
        after=1,
    )
    log.user_input(str(rating), "dtmf", "number", score, after=4)
    log.add("debug", "Variable set", "set_variable", "survey_score", value=str(rating))
    log.prompt("After the tone, tell us anything else about your visit.", 920003, after=1)
    log.add(
        "info",
        "Recording started",
        "record",
        "comment_audio",
        after=1,
        max_length=30,
        beep=True,
    )
    log.add(
        "debug",
        "Recording saved",
        "record",
        "comment_audio",
        after=12,
        duration=11,
        transcription=comment if comment is not None else MARKUP_UTTERANCE,
    )
    log.prompt("Thank you for your feedback. Goodbye.", 920004, after=1)
    log.exit(after=3)
    return StoredCall(session_id, "Outbound", dest, start - 2, log.end, "outbound", log.entries)


def application_error_call(session_id: str, start: int, src: str, dest: str) -> StoredCall:
    """A call that ends in an application error (a script module throws)."""
    log = LogBuilder(start, revision_id="58820")
    log.start("Appointment reminders", "2.0")
    log.prompt("Hello! This is a reminder from Riverside Dental.", 930001, after=1)
    log.add(
        "info",
        "Evaluating script",
        "evaluate_js",
        "appointment",
        after=1,
        script="appointment.time.toLocaleString('en-US')",
    )
    log.add(
        "error",
        "JavaScript error: TypeError: Cannot read properties of undefined (reading 'time')",
        "evaluate_js",
        "appointment",
        line_number=1,
    )
    log.add(
        "error",
        "Application error: no error handler defined, ending call",
        "exit",
        "application_error",
        after=1,
    )
    log.add("event", "Disconnecting call", "exit", "application_error", after=1)
    return StoredCall(session_id, src, dest, start - 1, log.end, "inbound", log.entries)


def long_hold_call(
    session_id: str, start: int, src: str, dest: str, *, iterations: int = 1000
) -> StoredCall:
    """A caller left in a hold loop: ``3 * iterations + 8`` entries over most of an hour."""
    log = LogBuilder(start, revision_id="44410")
    log.start("Support queue", "5.1")
    log.prompt("All of our agents are busy. Please stay on the line.", 940001, after=1)
    for n in range(1, iterations + 1):
        log.add("info", f"Counter hold_loops incremented to {n}", "counter", "hold_loops", after=2)
        log.add(
            "debug",
            f"Compared hold_loops ({n}) with 1000: less than",
            "compare_variable",
            "queue_check",
            left=str(n),
            right="1000",
        )
        log.prompt(
            "Your call is important to us. Please continue to hold.",
            940002,
            after=1,
            has_audio=True,
        )
    log.add("info", "Transferring call to 8005550142", "transfer", "queue_transfer", after=1)
    log.add("event", "Caller hung up during transfer", "transfer", "queue_transfer", after=2)
    log.exit(after=0, reason="caller_hangup")
    return StoredCall(session_id, src, dest, start - 1, log.end, "inbound", log.entries)


def short_hangup_call(session_id: str, start: int, src: str, dest: str) -> StoredCall:
    """The caller hangs up during the greeting."""
    log = LogBuilder(start, revision_id="61204")
    log.start("Acme Energy Billing", "3.7")
    log.prompt("Thank you for calling Acme Energy billing. Calls may be recorded.", 910001, after=1)
    log.add("event", "Caller hung up", "prompt", "var_0", after=3)
    log.add("event", "Disconnecting call", "exit", "hangup", after=0)
    return StoredCall(session_id, src, dest, start - 1, log.end, "inbound", log.entries)


def random_phone(rng: random.Random) -> str:
    return f"{rng.choice(['212', '415', '617', '646', '718', '917'])}555{rng.randrange(10000):04d}"
