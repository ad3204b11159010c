"""The embedded target: the reference app, served by the kit in a process of its own.

The only module of ``conformance`` that imports ``reference_app`` (and so
CherryPy).  The reference runs as ``python -m reference_app serve N`` with the
kit's own interpreter: the checks reach it over real HTTP on a loopback port,
exactly as they reach a ``--target-cmd`` server, and the two do not share an
interpreter lock (in one process the client's and the server's Python would
take turns; in two, one's work overlaps the other's waiting).  ``launch`` starts
the process without waiting, so that a run starts every tutorial's server at
once and pays the start-up of one.
"""

from __future__ import annotations

import shlex
import sys

from .targets import CommandTarget, TargetError


class EmbeddedTarget(CommandTarget):
    kind = "embedded"

    def __init__(self, tutorial: int, *, start_timeout: float, answer_timeout: float) -> None:
        command = f"{shlex.quote(sys.executable)} -m reference_app serve {tutorial} --port {{port}}"
        super().__init__(
            command, tutorial, start_timeout=start_timeout, answer_timeout=answer_timeout
        )

    def launch(self) -> None:
        try:
            import reference_app  # noqa: F401 - the served package must be importable here
        except ImportError as error:
            raise TargetError(
                f"the reference app is not importable ({error}); reinstall the kit"
            ) from None
        super().launch()

    def describe(self) -> dict:
        return {"kind": self.kind, "url": self.url, "tutorial": self.tutorial}


def framework_version() -> str:
    """The CherryPy and cheroot versions the reference runs on."""
    import cheroot
    import cherrypy

    return f"CherryPy {cherrypy.__version__}, cheroot {cheroot.__version__}"
