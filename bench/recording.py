"""A pytest plugin for the benchmark only: logs every request the checks send.

Loaded with ``-p recording`` (``bench/`` on ``PYTHONPATH``); it appends one
JSON line per request (tutorial, method, URL, headers, body) to the file named
by ``CONFORMANCE_BENCH_LOG``, so that the floor can replay the same requests.
It wraps ``Recorder.add``, and the sessions of the load checks' clients (which
no recorder keeps: they are counted by ``Recorder.tally``), and changes nothing
the checks do.
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
    from conformance.load import scenario

    log = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed at exit with the process

    def write(method: str, url: str, headers: dict, body: bytes | str | None, load=False) -> None:
        if isinstance(body, str):
            body = body.encode()
        line = {
            "tutorial": client.Recorder.bench_tutorial,
            "method": method,
            "url": url,
            "headers": headers,
            "body": body.decode("latin-1") if body is not None else None,
            "load": load,
        }
        with _lock:
            log.write(json.dumps(line) + "\n")
            log.flush()

    original_add = client.Recorder.add

    def add(self, exchange) -> None:
        original_add(self, exchange)
        write(exchange.method, exchange.url, exchange.headers, exchange.body)

    client.Recorder.add = add
    client.Recorder.bench_tutorial = 0
    original_session = scenario.http_session

    def load_session(*args, **kwargs):
        made = original_session(*args, **kwargs)
        original_send = made.send

        def send(prepared, **send_kwargs):
            headers = client._explicit_headers(prepared.headers)
            write(prepared.method, prepared.url, headers, prepared.body, load=True)
            return original_send(prepared, **send_kwargs)

        made.send = send
        return made

    scenario.http_session = load_session


def pytest_runtest_setup(item) -> None:
    # The tutorial of the check about to run, for the recorder it will create.
    callspec = getattr(item, "callspec", None)
    number = callspec.params.get("tutorial", 0) if callspec else 0
    from conformance.http import client

    client.Recorder.bench_tutorial = number
