"""SIGINT / SIGTERM before a crawl is set up. No Scrapy here: this is imported first,
so that a Ctrl-C while Scrapy loads finds a handler already."""

from __future__ import annotations

import contextlib
import os
import signal
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def say(text: str) -> None:
    """Write to stderr from a signal handler: os.write, as the interrupted code may be
    writing through sys.stderr's buffer itself."""
    with contextlib.suppress(OSError):
        os.write(2, text.encode() + b"\n")


class EarlySignals:
    """SIGINT / SIGTERM caught while a crawl is being set up (importing Scrapy takes a
    second or two), before `StopControl` takes over: each says "stopping..." and is
    counted, instead of a KeyboardInterrupt traceback or a silent death."""

    def __init__(self) -> None:
        self.received = 0
        self._previous: dict[int, Any] = {}

    def install(self) -> EarlySignals:
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def restore(self) -> None:
        """Put back the handlers found at install (Ctrl-C ends `demo --keep-serving`)."""
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _on_signal(self, signum: int, frame: Any) -> None:
        self.received += 1
        if self.received == 1:
            say("stopping...")
