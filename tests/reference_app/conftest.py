"""Fixtures for the tests of the reference app: one server per tutorial for
the whole session, reached over real HTTP on loopback."""

from __future__ import annotations

import contextlib
import http.client
from collections.abc import Callable, Iterator

import pytest
import requests

from reference_app.server import Running, running

# Tutorial 12's CPWebCase module owns the global engine and cherrypy.server;
# it runs in a pytest process of its own (test_reference_tut12.py). Naming the
# file on the command line still collects it: collect_ignore only applies to
# files found by walking a directory.
collect_ignore = ["test_tut12.py"]

TIMEOUT = 10.0
"""Seconds any single request may take."""


class Client(requests.Session):
    """A ``requests`` session bound to one server: paths instead of URLs, no
    proxy settings from the environment, a timeout on every request."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.trust_env = False
        self.url = url  # the server's, as ``Running.url``

    def request(self, method: str, url: str, *args, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(method, self.url + url, *args, **kwargs)


def _raw_get(server: Running, target: str, headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    try:
        connection.request("GET", target, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture
def raw_get():
    """``raw_get(server, target, headers=None) -> (status, headers, body)``:
    GET a request target exactly as written (``requests`` normalises ``../``)."""
    return _raw_get


@pytest.fixture(scope="session")
def server() -> Iterator[Callable[[int], Running]]:
    """``server(N)``: tutorial N, started on first use, stopped at the end of
    the session."""
    started: dict[int, Running] = {}
    with contextlib.ExitStack() as stack:

        def get(number: int) -> Running:
            if number not in started:
                started[number] = stack.enter_context(running(number))
            return started[number]

        yield get


@pytest.fixture
def open_client() -> Iterator[Callable[[Running | str], Client]]:
    """``open_client(served_or_url)``: a new client (no cookies yet) of a
    served tutorial (anything with a ``.url``: a ``Running``, another
    client), closed at the end of the test."""
    with contextlib.ExitStack() as stack:

        def make(target: Running | str) -> Client:
            return stack.enter_context(Client(getattr(target, "url", target)))

        yield make


@pytest.fixture
def client(server, open_client) -> Callable[[int], Client]:
    """``client(N)``: a new client (no cookies yet) of tutorial N's
    session-wide server."""
    return lambda number: open_client(server(number))
