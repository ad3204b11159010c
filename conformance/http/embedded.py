"""The embedded target: the reference app, served in this process.

The only module of ``conformance`` that imports ``reference_app`` (and so
CherryPy).  The checks still reach it over real HTTP on a loopback port.
"""

from __future__ import annotations

import contextlib

from .targets import Target, TargetError


class EmbeddedTarget(Target):
    kind = "embedded"

    def __init__(self, tutorial: int) -> None:
        self.tutorial = tutorial
        self._stack = contextlib.ExitStack()
        self.url = ""

    def start(self) -> None:
        try:
            from reference_app import server
        except ImportError as error:
            raise TargetError(
                f"the reference app is not importable ({error}); reinstall the kit"
            ) from None
        running = self._stack.enter_context(server.running(self.tutorial))
        self.url = running.url

    def stop(self) -> None:
        self._stack.close()

    def describe(self) -> dict:
        return super().describe() | {"framework": framework_version()}


def framework_version() -> str:
    """The CherryPy and cheroot versions the reference runs on."""
    import cheroot
    import cherrypy

    return f"CherryPy {cherrypy.__version__}, cheroot {cheroot.__version__}"
