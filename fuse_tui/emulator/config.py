"""Configuration of the local Fuse emulator."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEMO_EMAIL = "demo@example.com"
DEMO_KEY = "demo-key"

# Detailed logs exist only for calls of the last 5 days (the seed document says so).
LOG_RETENTION_SECONDS = 5 * 24 * 3600


def _default_accounts() -> dict[str, str]:
    return {DEMO_EMAIL: DEMO_KEY}


# Generated calls live in memory (~12 KB each with their logs): 50k is ~0.6 GB and ~5 s to make.
MAX_GENERATED_CALLS = 50_000


@dataclass
class EmulatorConfig:
    """What the emulator serves and how badly it behaves.

    ``now`` fixes the emulator's clock (epoch seconds); ``None`` follows the real clock. Sample
    calls are placed relative to that clock when the server is built. Fault rates are per request,
    drawn from a random generator seeded with ``seed`` so a run can be replayed.
    """

    accounts: dict[str, str] = field(default_factory=_default_accounts)
    now: float | None = None
    fixtures_dir: Path | str | None = None
    seed: int = 0
    latency_ms: int = 0
    fail_rate: float = 0.0
    # Requests per second allowed (over a one-second window); None means unlimited.
    rate_limit: float | None = None
    drop_rate: float = 0.0
    truncate_rate: float = 0.0
    generated_calls: int = 0
    host: str = "127.0.0.1"
    port: int = 0
    # The hand-written sample calls; switched off automatically when fixtures are served.
    samples: bool = True

    def __post_init__(self) -> None:
        for name in ("fail_rate", "drop_rate", "truncate_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError("rate_limit must be a positive number of requests per second")
        if self.latency_ms < 0 or self.generated_calls < 0:
            raise ValueError("latency_ms and generated_calls cannot be negative")
        if self.generated_calls > MAX_GENERATED_CALLS:
            raise ValueError(
                f"at most {MAX_GENERATED_CALLS:,} generated calls: each is kept in memory "
                f"(~12 KB), so {self.generated_calls:,} would need "
                f"~{self.generated_calls * 12 / 1e6:,.1f} GB"
            )
        if not self.accounts:
            raise ValueError("the emulator needs at least one account")
