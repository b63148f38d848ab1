"""Per-request fault injection, deterministic for a given seed.

Every request draws the same number of random values in the same order whatever happens, so a
sequential client sees the same faults on every run with the same seed.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

from fuse_tui.emulator.config import EmulatorConfig


@dataclass(frozen=True)
class FaultPlan:
    """What goes wrong with one request (at most one body fault)."""

    fail: bool = False
    drop: bool = False
    truncate: bool = False
    # Fraction of the body kept when dropping or truncating.
    keep_fraction: float = 0.5


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_epoch: int
    retry_after: int


class FaultInjector:
    def __init__(self, config: EmulatorConfig, clock: Callable[[], float]) -> None:
        # ``clock`` is real epoch time: rate windows follow it even when the calendar is fixed.
        self._config = config
        self._rng = random.Random(config.seed)
        self._lock = threading.Lock()
        self._clock = clock
        self._window_start = -math.inf
        self._window_count = 0

    def plan(self) -> FaultPlan:
        with self._lock:
            fail_roll, drop_roll, truncate_roll, keep = (self._rng.random() for _ in range(4))
        if fail_roll < self._config.fail_rate:
            return FaultPlan(fail=True)
        if drop_roll < self._config.drop_rate:
            return FaultPlan(drop=True, keep_fraction=0.2 + 0.6 * keep)
        if truncate_roll < self._config.truncate_rate:
            return FaultPlan(truncate=True, keep_fraction=0.2 + 0.6 * keep)
        return FaultPlan()

    def admit(self) -> RateDecision | None:
        """Count one request against the rate limit; None when there is no limit."""
        rate = self._config.rate_limit
        if rate is None:
            return None
        # A fixed window of one second (or longer for fractional rates below 1/s).
        window = max(1.0, 1.0 / rate)
        limit = max(1, int(rate * window))
        with self._lock:
            now = self._clock()
            if now - self._window_start >= window:
                self._window_start = now
                self._window_count = 0
            self._window_count += 1
            count = self._window_count
            reset_at = self._window_start + window
        retry_after = max(1, math.ceil(reset_at - now))
        return RateDecision(
            allowed=count <= limit,
            limit=limit,
            remaining=max(0, limit - count),
            reset_epoch=math.ceil(reset_at),
            retry_after=retry_after,
        )
