"""A local stand-in for the Plum Fuse API: the three call-log endpoints, sample calls, faults.

``EmulatorServer(EmulatorConfig(...)).start()`` serves on a free loopback port in a background
thread; ``fuse-tui emulator`` serves in the foreground.
"""

from __future__ import annotations

from fuse_tui.emulator.config import DEMO_EMAIL, DEMO_KEY, EmulatorConfig
from fuse_tui.emulator.server import EmulatorServer, RequestRecord

__all__ = ["DEMO_EMAIL", "DEMO_KEY", "EmulatorConfig", "EmulatorServer", "RequestRecord"]
