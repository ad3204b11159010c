"""CherryPy tutorials 1-10 ported to Django 5.2, written from the tutorials' text.

Usage::

    python django_tutorials.py N --port P [--host 127.0.0.1] [--db PATH]

Serves tutorial N (1-10) on Django's own threaded development server
(``django.core.servers.basehttp.run``, what ``runserver`` uses) until SIGTERM
or Ctrl-C. ``--port 0`` picks a free port; the address is printed to stderr.
One module, no project: the settings are ``settings.configure()`` and the URL
configuration is this module's ``urlpatterns``. The pages and stylesheets of
tutorials 6, 8, 9 and 10 are read from the ``tutorial_fixtures`` package (the
tutorials' files, with the pages' scripts pointing to local copies); the form
pages of tutorials 4-6 are written here as the tutorials print them.

What Django does, and what the port writes itself
-------------------------------------------------
- Dispatch: ``path()`` patterns; tutorials 7-10's MethodDispatcher is a
  class-based ``View`` whose ``get``/``post``/``put``/``delete`` are the
  tutorial's ``GET``/``POST``/``PUT``/``DELETE``. Django answers other methods
  with 405 and an ``Allow`` header, HEAD like GET, OPTIONS with 200. Pages are
  ``require_safe`` (GET, HEAD) and ``/generate`` of 4-6 ``require_http_methods``
  (GET, HEAD, POST): other methods are 405 by Django.
- Accept (tutorial 7's ``tools.accept(media='text/plain')``): GET answers 406
  unless ``request.accepts("text/plain")``. Django parses the header: media
  types compare case-insensitively, the most specific matching range decides,
  but an element with ``q=0`` is dropped before matching (so
  ``text/plain;q=0, */*`` is accepted), and a q-value Django cannot read
  counts as 1.
- Sessions: ``SessionMiddleware`` with the cache backend on a local-memory
  cache, the closest thing to CherryPy's in-memory sessions (the
  signed-cookie backend would keep the string in the cookie and change the
  session key on every write, which tutorial 9's table keyed by session id
  cannot use). Cookie ``sessionid``, HttpOnly, SameSite=Lax; an id Django did
  not issue is not adopted. The cache's entry limit is lifted so that no
  session is culled while the server runs.
- Static files: ``django.views.static.serve`` on the tutorial's ``public/``
  folder: media type from ``mimetypes``, Last-Modified and a 304 for an
  If-Modified-Since not earlier than it, 404 for a missing file or a folder,
  400 (Django's ``SuspiciousFileOperation``) for a path leading outside.
- Errors: Django's own pages with ``DEBUG = False`` (404, 400, 500), raised as
  ``Http404`` and ``BadRequest``. The 406 and the service's answers are short
  ``text/plain`` bodies. Unhandled errors are logged to stderr.
- Tutorials 9-10 keep the string in SQLite through Django's database layer
  (one connection per request and thread, closed when the request ends, as
  the tutorial's note asks for), in a temporary file removed at stop, or in
  ``--db PATH`` (left in place, as the tutorial leaves ``my.db``): the table
  ``user_string`` keyed by session id is created when the server starts (one
  left by a crashed run is dropped first) and dropped when it stops (SIGTERM).

Choices where the tutorial text leaves room
-------------------------------------------
- Lengths: Django's ``integer_validator`` (an optional minus sign and
  decimal digits), then ``int()``, from 0 to 22 (``len(string.hexdigits)``, as
  ``random.sample`` cannot draw more). Anything else, or ``length`` given more
  than once (query string and body together), is 400 Bad Request. The printed
  code answers 500 to all of these. Tutorial 2's ``/generate`` ignores a query
  string.
- Nothing stored: ``/display`` (5-6) and GET (7-8) answer 404 (the resource
  does not exist for this client); the printed code raises KeyError, which
  CherryPy turns into the 500 of tutorial 7's transcript. 9-10 answer 200
  with an empty body, as the printed code does.
- Generated and stored strings are ``text/plain; charset=utf-8`` everywhere;
  "Hello world!" and the pages are Django's default ``text/html``.
- PUT and DELETE answer 204 No Content. PUT takes ``another_string`` from the
  query string or a urlencoded body (Django parses bodies of POST only: the
  PUT body is read with ``QueryDict``); without exactly one it is 400.
- Tutorials 9-10: POST and PUT write with an upsert on the session id, so the
  latest write wins and a PUT with nothing stored stores the string (the
  printed code inserts a second row on a second POST, and its UPDATE stores
  nothing before a POST). DELETE forgets the string and keeps the session, as
  in tutorials 7-8 (Django would otherwise delete the cookie of an emptied
  session and leave its data in the cache).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import string
import sys
import tempfile
import time
from pathlib import Path

import django
import tutorial_fixtures
from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError
from django.core.validators import integer_validator
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.urls import path, re_path
from django.views import View
from django.views.decorators.http import require_http_methods, require_safe
from django.views.static import serve

TEXT = "text/plain; charset=utf-8"

#: The pages of tutorials 4-6, as the tutorials print them.
FORM_PAGE = """<html>
          <head>{head}</head>
          <body>
            <form method="get" action="generate">
              <input type="text" value="8" name="length" />
              <button type="submit">Give it now!</button>
            </form>
          </body>
        </html>"""
STYLESHEET_LINK = """
            <link href="/static/css/style.css" rel="stylesheet">
          """

#: The folder of ``tutorial_fixtures`` with each tutorial's page and ``public/``.
FIXTURES = {6: "tut06", 8: "tut08", 9: "tut08", 10: "tut10"}


# --- tutorials 1-6: pages and handlers ---------------------------------------


@require_safe
def hello(request):
    return HttpResponse("Hello world!")


def form_page(tutorial: int):
    page = FORM_PAGE.format(head=STYLESHEET_LINK if tutorial == 6 else "")

    @require_safe
    def index(request):
        return HttpResponse(page)

    return index


def file_page(page: Path):
    @require_safe
    def index(request):
        return FileResponse(page.open("rb"), content_type="text/html; charset=utf-8")

    return index


def length_of(request) -> int:
    """The ``length`` of the query string or a form body: 8 when absent."""
    values = request.GET.getlist("length") + request.POST.getlist("length")
    if not values:
        return 8
    if len(values) > 1:
        raise BadRequest("length given more than once")
    try:
        integer_validator(values[0])
    except ValidationError:
        raise BadRequest("length is not an integer") from None
    length = int(values[0])
    if not 0 <= length <= len(string.hexdigits):
        raise BadRequest(f"length is not from 0 to {len(string.hexdigits)}")
    return length


def generated(length: int = 8) -> str:
    return "".join(random.sample(string.hexdigits, length))


@require_safe
def generate_eight(request):
    return HttpResponse(generated(), content_type=TEXT)


@require_safe
def generate_of_length(request):
    return HttpResponse(generated(length_of(request)), content_type=TEXT)


def generate_and_remember(tutorial: int):
    methods = ["GET", "HEAD", "POST"]

    @require_http_methods(methods)
    def generate(request):
        some_string = generated(length_of(request))
        if tutorial >= 5:
            request.session["mystring"] = some_string
        return HttpResponse(some_string, content_type=TEXT)

    return generate


@require_safe
def display(request):
    try:
        return HttpResponse(request.session["mystring"], content_type=TEXT)
    except KeyError:
        raise Http404("nothing generated in this session") from None


# --- tutorials 7-10: the string generator web service -------------------------


def another_string(request) -> str:
    values = request.GET.getlist("another_string")
    if request.content_type == "application/x-www-form-urlencoded":
        values += QueryDict(request.body, encoding=request.encoding).getlist("another_string")
    if len(values) != 1:
        raise BadRequest("PUT needs exactly one another_string")
    return values[0]


class StringGeneratorWebService(View):
    """Tutorials 7 and 8: the string lives in the session."""

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and not request.accepts("text/plain"):
            return HttpResponse("Not Acceptable: this resource is text/plain", TEXT, 406)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        value = self.read(request)
        if value is None:
            return HttpResponse("Nothing stored for this session", TEXT, 404)
        return HttpResponse(value, content_type=TEXT)

    def post(self, request):
        some_string = generated(length_of(request))
        self.write(request, some_string)
        return HttpResponse(some_string, content_type=TEXT)

    def put(self, request):
        self.write(request, another_string(request))
        return HttpResponse(status=204)

    def delete(self, request):
        self.forget(request)
        return HttpResponse(status=204)

    def read(self, request) -> str | None:
        return request.session.get("mystring")

    def write(self, request, value: str) -> None:
        request.session["mystring"] = value

    def forget(self, request) -> None:
        request.session.pop("mystring", None)
        if not request.session.keys():
            # Emptied: forget it on the server too (Django would only delete
            # the cookie and leave the data in the cache).
            request.session.flush()


class StringStoreWebService(StringGeneratorWebService):
    """Tutorials 9 and 10: the string lives in SQLite, keyed by session id."""

    def get(self, request):
        value = self.read(request)
        return HttpResponse("" if value is None else value, content_type=TEXT)

    @staticmethod
    def session_id(request) -> str:
        # As in the tutorial: a dummy timestamp keeps the session alive.
        request.session["ts"] = time.time()
        if request.session.session_key is None:
            request.session.save()
        return request.session.session_key

    def read(self, request) -> str | None:
        from django.db import connection

        with connection.cursor() as c:
            c.execute(
                "SELECT value FROM user_string WHERE session_id = %s", [self.session_id(request)]
            )
            row = c.fetchone()
        return None if row is None else row[0]

    def write(self, request, value: str) -> None:
        from django.db import connection

        with connection.cursor() as c:
            c.execute(
                "INSERT INTO user_string (session_id, value) VALUES (%s, %s)"
                " ON CONFLICT (session_id) DO UPDATE SET value = excluded.value",
                [self.session_id(request), value],
            )

    def forget(self, request) -> None:
        from django.db import connection

        with connection.cursor() as c:
            c.execute("DELETE FROM user_string WHERE session_id = %s", [self.session_id(request)])


def setup_database() -> None:
    """Create the ``user_string`` table on server start (a crashed run's is dropped)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS user_string")
        c.execute("CREATE TABLE user_string (session_id TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.close()


def cleanup_database() -> None:
    """Drop the ``user_string`` table on server stop."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS user_string")
    connection.close()


# --- URL configuration --------------------------------------------------------


def static(tutorial: int):
    root = tutorial_fixtures.path(FIXTURES[tutorial], "public")
    return re_path(r"^static/(?P<path>.*)\Z", serve, {"document_root": os.fspath(root)})


def routes(tutorial: int) -> list:
    if tutorial <= 3:
        patterns = [path("", hello)]
        if tutorial == 2:
            patterns.append(path("generate", generate_eight))
        elif tutorial == 3:
            patterns.append(path("generate", generate_of_length))
        return patterns
    if tutorial <= 6:
        patterns = [
            path("", form_page(tutorial)),
            path("generate", generate_and_remember(tutorial)),
        ]
        if tutorial >= 5:
            patterns.append(path("display", display))
        if tutorial == 6:
            patterns.append(static(6))
        return patterns
    service = StringGeneratorWebService if tutorial <= 8 else StringStoreWebService
    if tutorial == 7:
        return [path("", service.as_view())]
    page = tutorial_fixtures.path(FIXTURES[tutorial], "index.html")
    return [
        path("", file_page(page)),
        path("generator", service.as_view()),
        static(tutorial),
    ]


#: Set by :func:`main` before the first request (``ROOT_URLCONF`` is this module).
urlpatterns: list = []


def configure(tutorial: int, database: str | None) -> None:
    # CommonMiddleware sets Content-Length, which the server needs to keep a
    # connection alive; without APPEND_SLASH it redirects nothing.
    middleware = ["django.middleware.common.CommonMiddleware"]
    if tutorial >= 5:
        middleware.insert(0, "django.contrib.sessions.middleware.SessionMiddleware")
    databases = {}
    if database is not None:
        databases["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": database}
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        SECRET_KEY=os.urandom(32).hex(),
        ROOT_URLCONF=__name__,
        MIDDLEWARE=middleware,
        APPEND_SLASH=False,
        INSTALLED_APPS=[],
        TEMPLATES=[],
        DATABASES=databases,
        USE_TZ=True,
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "OPTIONS": {"MAX_ENTRIES": sys.maxsize},
            }
        },
        LOGGING={
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"stderr": {"class": "logging.StreamHandler"}},
            "loggers": {
                # Requests are not logged one by one; failures are.
                "django.server": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
                "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
            },
        },
    )
    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tutorial", type=int, choices=range(1, 11), metavar="N")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--db", help="tutorials 9-10: the SQLite file (default: a temporary one)")
    args = parser.parse_args(argv)

    database = args.db if args.tutorial >= 9 else None
    temporary = args.tutorial >= 9 and database is None
    if temporary:
        fd, database = tempfile.mkstemp(prefix="django-tut-", suffix=".db")
        os.close(fd)
    configure(args.tutorial, database)
    sys.modules[__name__].urlpatterns = routes(args.tutorial)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import run

    def bound(port: int) -> None:
        print(
            f"tutorial {args.tutorial} on http://{args.host}:{port}/", file=sys.stderr, flush=True
        )

    try:
        if database is not None:
            setup_database()
        run(args.host, args.port, WSGIHandler(), threading=True, on_bind=bound)
    except KeyboardInterrupt:
        pass
    finally:
        if database is not None:
            cleanup_database()
        if temporary:
            os.unlink(database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
