"""Serve a tutorial: in this process (:func:`running`) or as the printed
script would (:func:`serve`).

Each served tutorial gets a server of its own: a ``cheroot.wsgi.Server``
wrapping its own ``cherrypy.Application`` (never mounted in
``cherrypy.tree``), attached to the process's ``cherrypy.engine`` by a
:class:`ServerAdapter` that binds its socket before the engine is involved
(so a busy port is an ordinary ``OSError``: CherryPy ends the whole process
with ``os._exit(70)`` when an engine start listener raises) and joins its
thread when it stops. The engine listeners of tutorials 9 to 11 (the
module's ``subscriptions(app)``) are subscribed with their server: they run
before it starts serving and after it has stopped.

Options, passed on to the tutorial's ``application()``:

``production``
    True hides tracebacks in error pages (all tutorials).
``db_path``
    The SQLite file of tutorials 9 to 11. By default a fresh file in a new
    temporary folder, one per server, removed when the server stops.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import socket
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import cheroot.wsgi
import cherrypy
from cherrypy.process import servers, wspbus

from . import module

__all__ = [
    "DATABASE_TUTORIALS",
    "Running",
    "ServerAdapter",
    "WSGIServer",
    "base_url",
    "running",
    "serve",
]

DATABASE_TUTORIALS = frozenset({9, 10, 11})
"""The tutorials that keep their data in SQLite (option ``db_path``)."""


@dataclasses.dataclass(frozen=True)
class Running:
    """A tutorial served by :func:`running`."""

    number: int
    host: str
    port: int
    url: str
    """``http://HOST:PORT``, no trailing slash."""
    app: cherrypy.Application
    db_path: str | None = None
    """The SQLite file of tutorials 9 to 11, None for the others."""


class WSGIServer(cheroot.wsgi.Server):
    """cheroot's WSGI server, except that a socket it cannot bind is closed
    (cheroot 11.1.2 leaves it to the garbage collector: a ResourceWarning)."""

    @staticmethod
    def bind_socket(socket_: socket.socket, bind_addr: Any) -> socket.socket:
        try:
            return cheroot.wsgi.Server.bind_socket(socket_, bind_addr)
        except OSError:
            socket_.close()
            raise


class ServerAdapter(servers.ServerAdapter):
    """CherryPy's ``ServerAdapter``, except that the socket is bound by
    :meth:`bind`, before any engine listener runs, and that :meth:`stop`
    joins the serving thread (cheroot joins its worker threads)."""

    def __init__(self, bus: wspbus.Bus, httpserver: cheroot.wsgi.Server) -> None:
        super().__init__(bus, httpserver, httpserver.bind_addr)
        self._thread: threading.Thread | None = None

    def bind(self) -> None:
        """Bind and listen (cheroot's ``prepare``); raise OSError if impossible."""
        host, port = self.bind_addr
        try:
            self.httpserver.prepare()
        except OSError as error:
            reason = error.__cause__ or error
            raise OSError(f"cannot listen on {host}:{port}: {reason}") from None

    @property
    def description(self) -> str:
        """The server's base URL (logged as "Serving on ...")."""
        host, port = self.bound_addr
        return base_url(host, port)

    def start(self) -> None:
        if self.running:
            return
        self._thread = threading.Thread(
            target=self.httpserver.serve, name=f"HTTPServer {self.description}"
        )
        self._thread.start()
        self.running = True
        self.bus.log(f"Serving on {self.description}")

    start.priority = 75

    def stop(self) -> None:
        if self.running:
            description = self.description
            self.httpserver.stop()
            self._thread.join()
            self.running = False
            self.bus.log(f"HTTP Server {description} shut down")
        elif self.httpserver.ready:  # bound, never started
            self.httpserver.stop()

    stop.priority = 25


class _Served:
    """One tutorial's application, server and engine listeners."""

    def __init__(self, number: int, host: str, port: int, options: dict[str, Any]) -> None:
        tutorial = module(number)
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"invalid port {port!r}: give an integer from 0 to 65535")
        self.number = number
        self.tmpdir: str | None = None
        if number in DATABASE_TUTORIALS and options.get("db_path") is None:
            self.tmpdir = tempfile.mkdtemp(prefix=f"reference_app-tut{number:02d}-")
            options["db_path"] = os.path.join(self.tmpdir, "my.db")
        try:
            self._build(tutorial, host, port, options)
        except BaseException:
            self._remove_tmpdir()
            raise

    def _build(self, tutorial: ModuleType, host: str, port: int, options: dict[str, Any]) -> None:
        self.db_path: str | None = None
        if self.number in DATABASE_TUTORIALS:
            self.db_path = options["db_path"] = os.fspath(options["db_path"])
            _check_database(self.db_path)
        self.app = tutorial.application(**options)
        self.listeners = getattr(tutorial, "subscriptions", lambda app: [])(self.app)
        httpserver = WSGIServer((host, port), self.app)
        self.adapter = ServerAdapter(cherrypy.engine, httpserver)
        self.adapter.bind()

    def running(self) -> Running:
        host, port = self.adapter.bound_addr
        return Running(self.number, host, port, base_url(host, port), self.app, self.db_path)

    def subscribe(self) -> None:
        for channel, callback in self.listeners:
            cherrypy.engine.subscribe(channel, callback)
        self.adapter.subscribe()

    def unsubscribe(self) -> None:
        self.adapter.unsubscribe()
        for channel, callback in self.listeners:
            cherrypy.engine.unsubscribe(channel, callback)

    def start(self) -> None:
        """Do what starting the engine does, for an engine already started:
        run the start listeners, then serve."""
        for channel, callback in self.listeners:
            if channel == "start":
                callback()
        self.adapter.start()

    def stop(self) -> None:
        """Do what stopping the engine does: stop serving, then run the stop listeners."""
        self.adapter.stop()
        for channel, callback in self.listeners:
            if channel == "stop":
                callback()

    def close(self) -> None:
        """Release the socket if it was never served, and the temporary folder."""
        self.adapter.stop()
        self._remove_tmpdir()

    def _remove_tmpdir(self) -> None:
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def base_url(host: str, port: int) -> str:
    """``http://HOST:PORT``, with an IPv6 address in brackets."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _check_database(db_path: str) -> None:
    """Fail now, not in an engine start listener, if SQLite cannot use the file."""
    connection = sqlite3.connect(db_path)
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    finally:
        connection.close()


class _Engine:
    """Counts the :func:`running` servers; starts ``cherrypy.engine`` for
    the first (unless someone else runs it) and exits it after the last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._restore: list[Any] | None = None

    def acquire(self) -> None:
        with self._lock:
            engine = cherrypy.engine
            if self._users == 0 and engine.state != wspbus.states.STARTED:
                self._restore = self._quiet(engine)
                engine.start()
            self._users += 1

    def release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._restore is not None:
                cherrypy.engine.exit()
                screen, detached = self._restore
                for channel, callback in detached:
                    cherrypy.engine.subscribe(channel, callback)
                cherrypy.log.screen = screen
                self._restore = None

    @staticmethod
    def _quiet(engine: wspbus.Bus) -> list[Any]:
        """Silence the screen log and detach the default server (port 8080),
        the autoreloader and the config checker from the engine; return what
        restores them."""
        unwanted = {
            cherrypy.server.start,
            cherrypy.server.stop,
            engine.autoreload.start,
            engine.autoreload.stop,
            cherrypy.checker,
        }
        detached = [
            (channel, callback)
            for channel in ("start", "stop")
            for callback in list(engine.listeners[channel])
            if callback in unwanted
        ]
        for channel, callback in detached:
            engine.unsubscribe(channel, callback)
        screen = cherrypy.log.screen
        cherrypy.log.screen = False
        return [screen, detached]


_engine = _Engine()


@contextlib.contextmanager
def running(
    number: int, host: str = "127.0.0.1", port: int = 0, **options: Any
) -> Iterator[Running]:
    """Serve tutorial ``number`` in this process until the block exits.

    Any number of blocks may be active at once, for different tutorials or
    the same one, entered and left in any order and from any thread. The
    shared ``cherrypy.engine`` is started (without signal handlers,
    autoreloader, default server or screen logging) by the first block
    and exited by the last. Leaving a block stops the server, releases the
    port, joins its threads and runs the tutorial's stop listeners.

    Raises:
        ValueError: unknown tutorial or invalid port.
        OSError: the address cannot be bound (busy port, unknown host).
        TypeError: an option the tutorial does not take.
    """
    with contextlib.ExitStack() as stack:
        served = _Served(number, host, port, dict(options))
        stack.callback(served.close)
        # cheroot's stop() waits for its selector loop, which wakes up every
        # expiration_interval (0.5 s by default): stop within 50 ms instead.
        served.adapter.httpserver.expiration_interval = 0.05
        # The application logs nothing to the screen, whoever runs the engine.
        served.app.log.access_log.propagate = False
        served.app.log.error_log.propagate = False
        _engine.acquire()
        stack.callback(_engine.release)
        served.subscribe()
        stack.callback(served.unsubscribe)
        served.start()
        stack.callback(served.stop)
        yield served.running()


def serve(
    number: int, host: str = "127.0.0.1", port: int = 8080, production: bool = False, **options: Any
) -> None:
    """Serve tutorial ``number`` until the process is told to stop, like the
    tutorial's ``cherrypy.quickstart``: the engine handles signals (SIGTERM
    and Ctrl-C stop it cleanly, running the stop listeners), and logs to the
    screen. Unlike quickstart: no autoreloader, the default server on port
    8080 is replaced by the tutorial's own server on ``host``:``port`` (0 for
    an ephemeral port, logged as "Serving on ..."), and nothing depends on
    the working directory or the network.

    Raises (before the engine starts):
        ValueError: unknown tutorial or invalid port.
        OSError: the address cannot be bound.
        sqlite3.Error: the database file cannot be used.
    """
    served = _Served(number, host, port, dict(options, production=production))
    try:
        engine = cherrypy.engine
        cherrypy.server.unsubscribe()
        engine.autoreload.unsubscribe()
        served.subscribe()
        engine.signals.subscribe()
        engine.start()
        engine.block()
    finally:
        served.close()
