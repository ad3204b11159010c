"""Serve a changed copy of a tutorial's page: what the page variants share."""

from __future__ import annotations

import cherrypy


def serve_page(tutorial, *changes: tuple[str, str]) -> None:
    """Make ``/`` of ``tutorial`` answer its page with each ``(old, new)`` of
    ``changes`` made (each ``old`` is in the page exactly once)."""
    text = tutorial.INDEX_HTML.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} is not once in {tutorial.INDEX_HTML}"
        text = text.replace(old, new)
    page = text.encode("utf-8")

    @cherrypy.expose
    def index(self):
        return page

    tutorial.StringGenerator.index = index


def serve_script(tutorial, name: str, text: str) -> None:
    """Make ``/NAME.js`` of ``tutorial`` answer ``text`` (a script the changed page loads)."""

    @cherrypy.expose
    def script(self):
        cherrypy.response.headers["Content-Type"] = "application/javascript"
        return text.encode("utf-8")

    setattr(tutorial.StringGenerator, f"{name}_js", script)
