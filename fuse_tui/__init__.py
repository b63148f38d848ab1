"""fuse-tui: a terminal explorer for Plum Voice Fuse call logs."""

__version__ = "0.1.0"
