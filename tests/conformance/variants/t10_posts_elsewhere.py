"""Tutorial 10 whose component talks to ``/elsewhere`` (a session-backed copy
of tutorial 8's service) instead of ``/generator``: the page generates,
replaces and deletes, and the string service of the tutorial never sees it."""

from tutorial_fixtures import path

from reference_app import tut08_ajax
from reference_app import tut10_react as tutorial

from ._pages import serve_page, serve_script

TUTORIAL = 10
BREAKS = {"page-generate", "page-replace", "page-delete"}


def deviate() -> None:
    component = path("tut10", "public", "js", "gen.js").read_text(encoding="utf-8")
    old = '<StringGeneratorBox url="/generator" />'
    assert component.count(old) == 1
    serve_script(
        tutorial, "elsewhere", component.replace(old, '<StringGeneratorBox url="/elsewhere" />')
    )
    serve_page(tutorial, ('src="static/js/gen.js"', 'src="/elsewhere.js"'))
    tutorial.StringGenerator.elsewhere = tut08_ajax.StringGeneratorWebService()
    tutorial.config["/elsewhere"] = dict(tutorial.config["/generator"])
