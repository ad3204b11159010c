"""Tutorial 9 that ignores SIGTERM once its engine has started: a clean stop
never ends it (a service manager has to kill it, and its stop listener never
drops the table)."""

import signal

import cherrypy

TUTORIAL = 9
BREAKS = {"lifecycle-stop-start"}


def deviate() -> None:
    start = cherrypy.engine.start

    def start_then_ignore_sigterm() -> None:
        start()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)

    cherrypy.engine.start = start_then_ignore_sigterm
