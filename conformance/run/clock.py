"""The run clock: a hard bound on the whole run, reports included.

Two stages on one watchdog thread:

1. at ``seconds``, ``on_expire`` runs (the run records why it stops) and the
   main thread is interrupted, so pytest unwinds as it does for Ctrl-C: the
   current check ends, the servers are stopped, the reports are written;
2. if the run has still not finished ``grace`` seconds later — the main thread
   sits in a request that has not timed out yet, or an interrupt was swallowed
   on the way out — ``on_overrun`` runs on the watchdog thread itself (it
   writes the reports from what was recorded and kills the servers) and the
   process exits with status 2.

So a run ends within ``seconds + grace`` whatever the target or the machine
does; ``grace`` is one request timeout plus the servers' stop grace.
"""

from __future__ import annotations

import _thread
import os
import sys
import threading
from collections.abc import Callable


class RunClock:
    def __init__(
        self,
        seconds: float,
        grace: float,
        on_expire: Callable[[], None],
        on_overrun: Callable[[], None],
    ) -> None:
        self.seconds = seconds
        self.grace = grace
        self._on_expire = on_expire
        self._on_overrun = on_overrun
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self.expired = False

    def start(self) -> None:
        """Start counting; a clock of 0 seconds or less never expires."""
        if self.seconds <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._watch, name="conformance-run-clock", daemon=True
        )
        self._thread.start()

    def finish(self) -> None:
        """The run is over, its reports written: nothing more to bound."""
        self._done.set()

    def _watch(self) -> None:
        if self._done.wait(self.seconds):
            return
        self.expired = True
        self._on_expire()
        _thread.interrupt_main()
        if self._done.wait(self.grace):
            return
        try:
            self._on_overrun()
        finally:
            sys.stderr.flush()
            sys.stdout.flush()
            os._exit(2)
