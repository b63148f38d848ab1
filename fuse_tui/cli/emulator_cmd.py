"""``fuse-tui emulator``: serve a local Fuse API stand-in in the foreground.

The first line on stdout is ``Fuse emulator listening on http://HOST:PORT/api`` (flushed at
once) so scripts can read the port; the next lines say which accounts it accepts.
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING, Any

from fuse_tui.cli import argtypes
from fuse_tui.cli.common import EXIT_OK, fail
from fuse_tui.core.durations import quoted_input
from fuse_tui.core.formats import ReadError
from fuse_tui.core.plural import plural
from fuse_tui.core.textsafe import escape_control

if TYPE_CHECKING:
    from fuse_tui.emulator import RequestRecord


def _account(text: str) -> tuple[str, str]:
    email, sep, key = text.partition(":")
    if not sep or not email or not key:
        raise argparse.ArgumentTypeError(f"expected EMAIL:KEY, got {text.split(':')[0]!r}:…")
    return email, key


def _rate(text: str) -> float:
    try:
        return _requests_per_second(text.removesuffix("/s"))
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected N/s (e.g. 5/s), N above 0 and up to {_MAX_RATE:,}; got {quoted_input(text)}"
        ) from None


def _generated_calls(text: str) -> int:
    # Imported when the option is given: the emulator package is not loaded for other commands.
    from fuse_tui.emulator.config import MAX_GENERATED_CALLS

    return argtypes.integer(0, MAX_GENERATED_CALLS)(text)


# Bounds a test stand-in can use: a port, a clock a datetime can show, a delay of at most ten
# minutes, probabilities, a rate above zero, a seed random.Random takes quickly.
_port = argtypes.integer(0, 65535)
_epoch = argtypes.real(-argtypes.MAX_EPOCH, argtypes.MAX_EPOCH)
_latency_ms = argtypes.integer(0, 600_000)
_fraction = argtypes.real(0.0, 1.0)
_MAX_RATE = 1_000_000
_requests_per_second = argtypes.real(0.0, _MAX_RATE, low_included=False)
_seed = argtypes.integer(-(2**63), 2**63 - 1)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "emulator",
        help="run a local Fuse API stand-in (sample calls, fault injection)",
        description="Serve /api/calls, /api/call and /api/all_logs on loopback like Fuse does. "
        "The first stdout line states the base URL. Default account: demo@example.com / demo-key.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=0, help="port (default 0: a free one)")
    parser.add_argument(
        "--fixtures", metavar="DIR", help="serve the dumps in DIR instead of the samples"
    )
    parser.add_argument(
        "--now", type=_epoch, metavar="EPOCH", help="fix the emulator's clock (default: real time)"
    )
    parser.add_argument(
        "--account",
        type=_account,
        action="append",
        metavar="EMAIL:KEY",
        help="an account to accept (repeatable; replaces the demo account; emulator keys are "
        "test keys, visible in ps)",
    )
    parser.add_argument("--seed", type=_seed, default=0, help="seed for faults and generated calls")
    parser.add_argument(
        "--generate",
        type=_generated_calls,
        default=0,
        metavar="N",
        help="add N generated calls (at most 50,000)",
    )
    parser.add_argument(
        "--latency-ms",
        type=_latency_ms,
        default=0,
        metavar="MS",
        help="delay each answer (at most 600000)",
    )
    parser.add_argument(
        "--fail-rate", type=_fraction, default=0.0, metavar="P", help='answer 500 "database error"'
    )
    parser.add_argument(
        "--rate-limit", type=_rate, metavar="N/s", help="answer 429 beyond N requests per second"
    )
    parser.add_argument(
        "--drop-rate", type=_fraction, default=0.0, metavar="P", help="close connections mid-body"
    )
    parser.add_argument(
        "--truncate-rate", type=_fraction, default=0.0, metavar="P", help="cut bodies short"
    )
    parser.add_argument(
        "--log-requests",
        action="store_true",
        help="print one line per request on stderr (method, path, status, injected fault)",
    )
    parser.set_defaults(func=run)


def _print_request(record: RequestRecord) -> None:
    fault = f" [{record.fault}]" if record.fault else ""
    who = record.email or "-"
    line = f"{record.method} {record.path} -> {record.status}{fault} ({who})"
    sys.stderr.write(escape_control(line) + "\n")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY, EmulatorConfig, EmulatorServer
    from fuse_tui.emulator.fixtures import FixtureError

    accounts = dict(args.account) if args.account else {DEMO_EMAIL: DEMO_KEY}
    try:
        config = EmulatorConfig(
            accounts=accounts,
            now=args.now,
            fixtures_dir=args.fixtures,
            seed=args.seed,
            latency_ms=args.latency_ms,
            fail_rate=args.fail_rate,
            rate_limit=args.rate_limit,
            drop_rate=args.drop_rate,
            truncate_rate=args.truncate_rate,
            generated_calls=args.generate,
            host=args.host,
            port=args.port,
        )
        server = EmulatorServer(config, on_request=_print_request if args.log_requests else None)
        server.bind()
    except (FixtureError, ReadError, ValueError) as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")

    out = sys.stdout
    out.write(f"Fuse emulator listening on {server.base_url}\n")
    out.flush()
    for email in accounts:
        if email == DEMO_EMAIL and accounts[email] == DEMO_KEY:
            out.write(f"Demo account: {DEMO_EMAIL} / developer key {DEMO_KEY}\n")
        else:
            out.write(f"Account: {email}\n")
    first = next(iter(accounts))
    calls = server.calls_for(first)
    live = sum(1 for call in calls if call.log)
    out.write(f"Serving {plural(len(calls), 'call')} for {first} ({live:,} with a detailed log)\n")
    if first == DEMO_EMAIL:
        out.write(
            f"Try: FUSE_BASE_URL={server.base_url} FUSE_EMAIL={DEMO_EMAIL} "
            f"FUSE_DEVELOPER_KEY={DEMO_KEY} fuse-tui calls --since 14d\n"
        )
    out.write("Press Ctrl+C to stop.\n")
    out.flush()

    def _stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    sys.stderr.write("Fuse emulator stopped\n")
    return EXIT_OK
