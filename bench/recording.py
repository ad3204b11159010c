"""A pytest plugin for the benchmark only: logs every request the checks send.

Loaded with ``-p recording`` (``bench/`` on ``PYTHONPATH``); it appends one
JSON line per request (tutorial, method, URL, headers, body) to the file named
by ``CONFORMANCE_BENCH_LOG``, so that the floor can replay the same requests.
It wraps ``Recorder.add`` and changes nothing the checks do.
"""

from __future__ import annotations

import json
import os
import threading

_lock = threading.Lock()


def pytest_configure(config) -> None:
    path = os.environ.get("CONFORMANCE_BENCH_LOG")
    if not path:
        return
    from conformance.http import client

    log = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed at exit with the process
    original = client.Recorder.add

    def add(self, exchange) -> None:
        original(self, exchange)
        tutorial = getattr(self, "bench_tutorial", 0)
        line = {
            "tutorial": tutorial,
            "method": exchange.method,
            "url": exchange.url,
            "headers": exchange.headers,
            "body": exchange.body.decode("latin-1") if exchange.body is not None else None,
        }
        with _lock:
            log.write(json.dumps(line) + "\n")
            log.flush()

    client.Recorder.add = add


def pytest_runtest_setup(item) -> None:
    # The tutorial of the check about to run, for the recorder it will create.
    callspec = getattr(item, "callspec", None)
    number = callspec.params.get("tutorial", 0) if callspec else 0
    from conformance.http import client

    client.Recorder.bench_tutorial = number
