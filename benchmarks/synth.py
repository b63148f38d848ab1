"""Generate realistic synthetic Fuse call logs (JSON or XML), deterministic for a given seed.

A log is a run of call flows in the shape of the seed document: ``start``, prompts (class
``prompt`` with prompt ids and language), caller input (``event``), e-mail/REST/SMS modules with
``debug`` details, occasional ``error`` entries (REST failures, timeouts, bad input), and the
``exit`` lines. Timestamps move forward a few seconds at a time.

    python benchmarks/synth.py 100000 --format xml --seed 1 -o /tmp/big.xml
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fuse_tui.core.formats.xml_writer import xml_text  # noqa: E402

START_EPOCH = 1_529_552_692
APPS = ["email test", "main menu", "billing", "appointment reminder", "survey", "after hours"]
PROMPTS = [
    "Welcome to Plum Voice.",
    "For billing, press 1. For support, press 2.",
    "Please enter your account number followed by the pound key.",
    "Sorry, I didn't get that.",
    "Your appointment is confirmed for tomorrow at 10 a.m.",
    "Please hold while we transfer your call.",
    "message sent! goodbye!",
    "Thank you for calling. Goodbye.",
]
ERRORS = [
    ("rest", "REST request failed: HTTP 503 Service Unavailable"),
    ("rest", "REST request timed out after 10 seconds"),
    ("transfer", "Transfer failed: busy"),
    ("number", "No input received after 3 attempts"),
    ("evaluate_js", "ReferenceError: customer is not defined"),
    ("email", "SMTP error: 550 mailbox unavailable"),
]


class _Flow:
    """Builds entries for one call after another, advancing a shared clock."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = START_EPOCH
        self.var = 0

    def entry(self, cls: str, line: str, module: str, **data: Any) -> dict[str, Any]:
        self.now += self.rng.choice((0, 0, 1, 1, 2, 3))
        result_variable = data.pop("result_variable", None) or f"var_{self.var}"
        payload = {**data, "module_type": module, "result_variable": result_variable}
        return {"event": {"line": line, "data": payload}, "class": cls, "timestamp": self.now}

    def prompt(self, module: str = "prompt") -> dict[str, Any]:
        self.var += 1
        return self.entry(
            "prompt",
            self.rng.choice(PROMPTS),
            module,
            type="static",
            has_audio=self.rng.random() < 0.3,
            revision_id=str(self.rng.randint(50_000, 59_999)),
            prompt_id_type="module",
            prompt_id=str(self.rng.randint(800_000, 899_999)),
            language="en-US",
        )

    def call(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        self.now += rng.randint(30, 600)
        self.var = 0
        app = rng.choice(APPS)
        version = f"{rng.randint(0, 3)}.{rng.randint(0, 9)}"
        yield self.entry(
            "info",
            f'Executing application "{app}" version "{version}"',
            "start",
            result_variable="start",
        )
        for _ in range(rng.randint(1, 6)):
            roll = rng.random()
            if roll < 0.45:
                yield self.prompt()
            elif roll < 0.7:
                yield self.prompt("number")
                digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 8)))
                yield self.entry("event", f"User input: {digits} (dtmf)", "number")
            elif roll < 0.82:
                self.var += 1
                yield self.entry("info", "Sending", "email")
                yield self.entry(
                    "debug",
                    "Sent",
                    "email",
                    to=f"user{rng.randint(1, 999)}@example.com",
                    subject="Your call summary",
                    body="This is the body.",
                )
            elif roll < 0.94:
                self.var += 1
                url = f"https://api.example.com/v1/customers/{rng.randint(1, 99_999)}"
                yield self.entry("info", f"GET {url}", "rest", url=url, method="GET")
                yield self.entry(
                    "debug",
                    "Response 200",
                    "rest",
                    status="200",
                    headers={
                        "content-type": "application/json",
                        "x-request-id": f"{rng.getrandbits(64):016x}",
                    },
                    body={
                        "balance": f"{rng.uniform(0, 500):.2f}",
                        "tags": ["vip", "autopay"][: rng.randint(0, 2)],
                    },
                )
            else:
                module, line = rng.choice(ERRORS)
                self.var += 1
                yield self.entry("error", line, module)
        yield self.entry("info", "Exiting application", "exit", result_variable="hangup")
        yield self.entry("event", "Disconnecting call", "exit", result_variable="hangup")


def synth_entries(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """``count`` entries in the API's JSON shape (the body of an ``/api/call`` answer)."""
    flow = _Flow(random.Random(seed))
    entries: list[dict[str, Any]] = []
    while len(entries) < count:
        for entry in flow.call():
            entries.append(entry)
            if len(entries) == count:
                break
    return entries


def synth_json(count: int, seed: int = 0) -> bytes:
    return json.dumps(synth_entries(count, seed), separators=(",", ":")).encode()


def synth_xml(count: int, seed: int = 0) -> bytes:
    return xml_text(synth_entries(count, seed)).encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of entries (e.g. 1000 … 1000000)")
    parser.add_argument("--format", choices=("json", "xml"), default="json")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    data = (
        synth_json(args.count, args.seed)
        if args.format == "json"
        else synth_xml(args.count, args.seed)
    )
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
