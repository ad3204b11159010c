"""The run clock: a hard bound on the whole run, reports included.

Two stages on one watchdog thread:

1. at ``seconds``, ``on_expire`` runs (the run records why it stops) and the
   main thread gets a real SIGINT (``pthread_kill``: it breaks a blocking
   ``recv`` at once, where ``_thread.interrupt_main`` would wait for it to
   return), so pytest unwinds as it does for Ctrl-C: the current check ends,
   the servers are stopped, the reports are written;
2. if the run has still not finished ``grace`` seconds later — the main thread
   sits in a request that has not timed out yet, or an interrupt was swallowed
   on the way out — ``on_overrun`` runs on the watchdog thread itself (it
   writes the reports from what was recorded and kills the servers) and the
   process exits with status 2.

So a run ends within ``seconds + grace`` whatever the target or the machine
does; ``grace`` is one request timeout plus the servers' stop grace.

``start`` makes sure SIGINT raises KeyboardInterrupt: a process started in the
background by a non-interactive shell (``cmd &`` in a CI script) inherits
SIGINT ignored, and then neither a signal nor ``interrupt_main`` reaches the
main thread — which is how a 4 s run timeout once took 271 s.
"""

from __future__ import annotations

import os
import signal
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
        *,
        interrupt: Callable[[], None] | None = None,
        exit: Callable[[int], object] = os._exit,
    ) -> None:
        """``interrupt`` and ``exit`` are how the clock stops the run (the main
        thread's SIGINT, ``os._exit``); a test gives its own."""
        self.seconds = seconds
        self.grace = grace
        self._on_expire = on_expire
        self._on_overrun = on_overrun
        self._interrupt = interrupt or interrupt_main_thread
        self._exit = exit
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self.expired = False

    def start(self) -> None:
        """Start counting; a clock of 0 seconds or less never expires."""
        if self.seconds <= 0 or self._thread is not None:
            return
        if threading.current_thread() is threading.main_thread() and not callable(
            signal.getsignal(signal.SIGINT)
        ):
            signal.signal(signal.SIGINT, signal.default_int_handler)
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
        self._interrupt()
        if self._done.wait(self.grace):
            return
        try:
            self._on_overrun()
        finally:
            sys.stderr.flush()
            sys.stdout.flush()
            self._exit(2)


def interrupt_main_thread() -> None:
    """Raise KeyboardInterrupt in the main thread, even inside a blocking call (POSIX)."""
    signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
