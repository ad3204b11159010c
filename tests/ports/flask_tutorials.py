"""CherryPy tutorials 1-10 ported to Flask 3, written from the tutorials' text.

Usage::

    python flask_tutorials.py N --port P [--host 127.0.0.1] [--db my.db]

Serves tutorial N (1-10) on werkzeug's threaded server until SIGTERM or
Ctrl-C. ``--port 0`` picks a free port; the address is printed to stderr.
Self-contained: the stylesheets, pages and ``gen.js`` the tutorials print are
embedded below and written to a temporary static folder at startup, so the
working directory does not matter (except for ``--db``, which defaults to
``my.db`` in it, as in the tutorial).

What the port does
------------------
1    ``/`` answers "Hello world!".
2-3  ``/generate``: a string of distinct characters drawn from
     ``string.hexdigits`` with ``random.sample``; length 8, or ``?length=N``
     from tutorial 3 on.
4-6  ``/`` is the form page; ``/generate`` takes ``length`` from the query
     string or a POSTed form alike (tutorial 4: GET and POST are handled the
     same way).
5-6  ``/generate`` remembers the string for the session; ``/display`` shows it.
6    ``/static/...`` serves ``public/`` (tutorial 6's stylesheet).
7    A REST resource at ``/``: GET (only to clients that accept text/plain),
     POST generates (``length``), PUT stores ``another_string``, DELETE forgets.
8    The same resource at ``/generator``; ``/`` is tutorial 8's page, and
     ``/static`` has tutorial 8's stylesheet.
9-10 The string lives in SQLite, table ``user_string`` keyed by session id,
     created when the server starts and dropped when it stops; 10 serves
     tutorial 10's page and ``/static/js/gen.js``.

Choices where the tutorial text leaves room
-------------------------------------------
- Written as a porter writes it, with Flask's and Werkzeug's own facilities
  and no copy of the kit's oracles: content negotiation is
  ``request.accept_mimetypes``, sessions are Flask's ``session``, static
  files Flask's static folder, error pages Werkzeug's own (HTML).
- Sessions are Flask's own signed cookie (HttpOnly, SameSite=Lax, named
  ``session``, not CherryPy's ``session_id``): tutorials 5-8 keep the string
  in it; 9-10 keep a random id in it and the string in SQLite under that id.
  A session starts on the first write (``/generate``, POST, PUT); reads and
  DELETE never create one. A forged or unsigned cookie is not adopted.
  Sessions do not expire while the server runs (but a client that replays an
  old cookie gets its old string back in 5-8: the data travels with it).
- Lengths are ASCII decimal digits only, 0 to 22 (``len(string.hexdigits)``,
  as ``random.sample`` cannot draw more). Anything else, or ``length`` given
  twice, is 400 Bad Request. CherryPy's ``int()`` also takes ``' 8'``, ``'+8'``
  or non-ASCII digits, and answers 500 out of range.
- Tutorial 2's ``/generate`` ignores a query string (CherryPy answers 404 to
  an unexpected parameter). ``/generate`` is GET-only in 2-3, GET or POST in 4-6;
  pages are GET-only.
- Nothing stored yet: ``/display`` (5-6) and GET (7-8) answer 404 Not Found --
  the resource does not exist for this client, which is not a server fault.
  The printed code raises KeyError, which CherryPy turns into 500 (the 500s of
  tutorial 7's transcript). 9-10 answer 200 with an empty body, as the printed
  code does (``fetchone()`` returns None).
- Generated and stored strings are ``text/plain; charset=utf-8`` everywhere
  (CherryPy sends the strings of 2-6 as text/html); "Hello world!" and the
  pages are text/html.
- PUT and DELETE answer 204 No Content (CherryPy: 200 with an empty body).
  PUT without exactly one ``another_string`` is 400 (CherryPy: 404). PUT
  stores the string even before any POST, in 9-10 too (the printed UPDATE
  then changes nothing), so that the SQL store behaves like tutorial 8's
  session store. A second POST replaces the string (``INSERT OR REPLACE`` on a
  primary key; the printed code inserts a second row and GET keeps returning
  the first).
- Accept is Werkzeug's: text/plain is served when no Accept was sent, or
  when ``request.accept_mimetypes.best_match(["text/plain"])`` finds it with
  a positive quality. Werkzeug departs from the letter of RFC 9110 where the
  kit's oracle leaves the answer open (``conformance.oracles.accept.CONTESTED``):
  it drops an element whose weight has a trailing dot (``q=1.``), reads
  ``q = 0`` as no weight, takes four decimals, a sign or a quoted weight, and
  refuses a field of empty elements (``,``); a range with parameters matches
  only a response with the same ones.
- Errors are Werkzeug's own HTML pages (``abort``); 405 keeps Flask's ``Allow``.
- Start drops any ``user_string`` left by a crashed run and creates it afresh,
  so a restart after SIGKILL works; stop drops it and leaves the file, as the
  tutorial does. Each request opens and closes its own SQLite connection.
- Static files are Flask's static folder: Last-Modified, ETag, conditional
  GET, ranges, and traversal refused by ``safe_join`` (404).
- The pages' scripts are served from ``/static/js/`` by Flask's static
  folder, so the pages never reach a CDN: the npm releases of jQuery 2.1.1
  (tutorial 8 prints 2.0.3, which npm lacks), React 0.13.3 and babel-core
  5.8.23, copied at startup from the kit's pinned copies
  (``tutorial_fixtures``, as a porter would take them from npm).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import secrets
import shutil
import signal
import sqlite3
import string
import sys
import tempfile
from pathlib import Path

from flask import Flask, Response, abort, request, session
from flask.views import MethodView
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header
from werkzeug.serving import make_server

# --- what the tutorials print ----------------------------------------------

STYLE_6 = """\
body {
  background-color: blue;
}
"""

STYLE_8 = """\
body {
  background-color: blue;
}

#the-string {
  display: none;
}
"""

FORM_PAGE = """\
<html>
  <head>{head}</head>
  <body>
    <form method="get" action="generate">
      <input type="text" value="8" name="length" />
      <button type="submit">Give it now!</button>
    </form>
  </body>
</html>"""

STYLESHEET_LINK = '\n    <link href="/static/css/style.css" rel="stylesheet">\n  '

PAGE_8 = """\
<!DOCTYPE html>
<html>
  <head>
    <link href="/static/css/style.css" rel="stylesheet">
    <script src="/static/js/jquery-2.1.1.min.js"></script>
    <script type="text/javascript">
      $(document).ready(function() {

        $("#generate-string").click(function(e) {
          $.post("/generator", {"length": $("input[name='length']").val()})
           .done(function(string) {
            $("#the-string").show();
            $("#the-string input").val(string);
          });
          e.preventDefault();
        });

        $("#replace-string").click(function(e) {
          $.ajax({
            type: "PUT",
            url: "/generator",
            data: {"another_string": $("#the-string input").val()}
          })
          .done(function() {
            alert("Replaced!");
          });
          e.preventDefault();
        });

        $("#delete-string").click(function(e) {
          $.ajax({
            type: "DELETE",
            url: "/generator"
          })
          .done(function() {
            $("#the-string").hide();
          });
          e.preventDefault();
        });

      });
    </script>
  </head>
  <body>
    <input type="text" value="8" name="length"/>
    <button id="generate-string">Give it now!</button>
    <div id="the-string">
      <input type="text" />
      <button id="replace-string">Replace</button>
      <button id="delete-string">Delete it</button>
    </div>
  </body>
</html>
"""

PAGE_10 = """\
<!DOCTYPE html>
<html>
  <head>
    <link href="/static/css/style.css" rel="stylesheet">
    <script src="/static/js/react-0.13.3.js"></script>
    <script src="/static/js/jquery-2.1.1.min.js"></script>
    <script src="/static/js/babel-core-5.8.23.browser.min.js"></script>
  </head>
  <body>
    <div id="generator"></div>
    <script type="text/babel" src="static/js/gen.js"></script>
  </body>
</html>
"""

GEN_JS = """\
var StringGeneratorBox = React.createClass({
  handleGenerate: function() {
    var length = this.state.length;
    this.setState(function() {
      $.ajax({
        url: this.props.url,
        dataType: 'text',
        type: 'POST',
        data: {
          "length": length
        },
        success: function(data) {
          this.setState({
            length: length,
            string: data,
            mode: "edit"
          });
        }.bind(this),
        error: function(xhr, status, err) {
          console.error(this.props.url,
            status, err.toString()
          );
        }.bind(this)
      });
    });
  },
  handleEdit: function() {
    var new_string = this.state.string;
    this.setState(function() {
      $.ajax({
        url: this.props.url,
        type: 'PUT',
        data: {
          "another_string": new_string
        },
        success: function() {
          this.setState({
            length: new_string.length,
            string: new_string,
            mode: "edit"
          });
        }.bind(this),
        error: function(xhr, status, err) {
          console.error(this.props.url,
            status, err.toString()
          );
        }.bind(this)
      });
    });
  },
  handleDelete: function() {
    this.setState(function() {
      $.ajax({
        url: this.props.url,
        type: 'DELETE',
        success: function() {
          this.setState({
            length: "8",
            string: "",
            mode: "create"
          });
        }.bind(this),
        error: function(xhr, status, err) {
          console.error(this.props.url,
            status, err.toString()
          );
        }.bind(this)
      });
    });
  },
  handleLengthChange: function(length) {
    this.setState({
      length: length,
      string: "",
      mode: "create"
    });
  },
  handleStringChange: function(new_string) {
    this.setState({
      length: new_string.length,
      string: new_string,
      mode: "edit"
    });
  },
  getInitialState: function() {
    return {
      length: "8",
      string: "",
      mode: "create"
    };
  },
  render: function() {
    return (
      <div className="stringGenBox">
            <StringGeneratorForm onCreateString={this.handleGenerate}
                                 onReplaceString={this.handleEdit}
                                 onDeleteString={this.handleDelete}
                                 onLengthChange={this.handleLengthChange}
                                 onStringChange={this.handleStringChange}
                                 mode={this.state.mode}
                                 length={this.state.length}
                                 string={this.state.string}/>
      </div>
    );
  }
});

var StringGeneratorForm = React.createClass({
  handleCreate: function(e) {
    e.preventDefault();
    this.props.onCreateString();
  },
  handleReplace: function(e) {
    e.preventDefault();
    this.props.onReplaceString();
  },
  handleDelete: function(e) {
    e.preventDefault();
    this.props.onDeleteString();
  },
  handleLengthChange: function(e) {
    e.preventDefault();
    var length = React.findDOMNode(this.refs.length).value.trim();
    this.props.onLengthChange(length);
  },
  handleStringChange: function(e) {
    e.preventDefault();
    var string = React.findDOMNode(this.refs.string).value.trim();
    this.props.onStringChange(string);
  },
  render: function() {
    if (this.props.mode == "create") {
      return (
        <div>
           <input  type="text" ref="length" defaultValue="8" value={this.props.length} onChange={this.handleLengthChange} />
           <button onClick={this.handleCreate}>Give it now!</button>
        </div>
      );
    } else if (this.props.mode == "edit") {
      return (
        <div>
           <input type="text" ref="string" value={this.props.string} onChange={this.handleStringChange} />
           <button onClick={this.handleReplace}>Replace</button>
           <button onClick={this.handleDelete}>Delete it</button>
        </div>
      );
    }

    return null;
  }
});

React.render(
  <StringGeneratorBox url="/generator" />,
  document.getElementById('generator')
);
"""

# --- generating strings ----------------------------------------------------

MAX_LENGTH = len(string.hexdigits)


def generate(length: int = 8) -> str:
    return "".join(random.sample(string.hexdigits, length))


def requested_length() -> int:
    """``length`` from the query string or form body; 8 when absent."""
    values = request.values.getlist("length")
    if not values:
        return 8
    if len(values) > 1:
        abort(400, "give length once")
    digits = values[0]
    if not re.fullmatch(r"[0-9]+", digits) or len(digits.lstrip("0")) > 2:
        abort(400, f"length must be a whole number from 0 to {MAX_LENGTH}")
    length = int(digits)
    if length > MAX_LENGTH:
        abort(400, f"length must be a whole number from 0 to {MAX_LENGTH}")
    return length


def plain(text: str = "", status: int = 200) -> Response:
    return Response(text, status=status, mimetype="text/plain")


# --- content negotiation: Werkzeug's own -----------------------------------


def serves_plain_text(mimetypes: MIMEAccept) -> bool:
    """Serve text/plain to a client that sent no Accept, or whose Accept
    gives it a positive quality (Werkzeug's ``best_match``)."""
    return not mimetypes.provided or mimetypes.best_match(["text/plain"]) is not None


def plain_text_acceptable(accept: str | None) -> bool:
    """``serves_plain_text`` for the field value ``accept``, parsed as Flask's
    ``request.accept_mimetypes`` parses it (for the kit's oracle tests)."""
    return serves_plain_text(parse_accept_header(accept, MIMEAccept))


# --- sessions and stores ---------------------------------------------------


def session_id(*, create: bool) -> str | None:
    """This client's id in Flask's session (a signed cookie); a new one if ``create``."""
    if "id" not in session and create:
        session["id"] = secrets.token_urlsafe(32)
    return session.get("id")


class SessionStore:
    """One string per client, in Flask's own session (tutorials 5-8)."""

    def get(self, sid: str) -> str | None:
        return session.get("string")

    def put(self, sid: str, value: str) -> None:
        session["string"] = value

    def delete(self, sid: str) -> None:
        session.pop("string", None)

    def setup(self) -> None:
        pass

    def cleanup(self) -> None:
        pass


class SQLiteStore:
    """One string per session in SQLite's ``user_string`` (tutorials 9-10)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _transaction(self):
        with contextlib.closing(sqlite3.connect(self.path, timeout=10)) as con, con:
            yield con

    def setup(self) -> None:
        with self._transaction() as con:
            con.execute("DROP TABLE IF EXISTS user_string")
            con.execute("CREATE TABLE user_string (session_id TEXT PRIMARY KEY, value TEXT)")

    def cleanup(self) -> None:
        with self._transaction() as con:
            con.execute("DROP TABLE IF EXISTS user_string")

    def get(self, sid: str) -> str | None:
        with self._transaction() as con:
            row = con.execute(
                "SELECT value FROM user_string WHERE session_id = ?", (sid,)
            ).fetchone()
        return None if row is None else row[0]

    def put(self, sid: str, value: str) -> None:
        with self._transaction() as con:
            con.execute("INSERT OR REPLACE INTO user_string VALUES (?, ?)", (sid, value))

    def delete(self, sid: str) -> None:
        with self._transaction() as con:
            con.execute("DELETE FROM user_string WHERE session_id = ?", (sid,))


# --- the REST resource of tutorials 7-10 -----------------------------------


class StringGeneratorAPI(MethodView):
    init_every_request = False

    def __init__(self, store, nothing_is_empty: bool) -> None:
        self.store = store
        self.nothing_is_empty = nothing_is_empty

    def get(self) -> Response:
        if not serves_plain_text(request.accept_mimetypes):
            abort(406, "this resource is only available as text/plain")
        sid = session_id(create=False)
        value = None if sid is None else self.store.get(sid)
        if value is None:
            if self.nothing_is_empty:
                return plain("")
            abort(404, "no string yet: POST to generate one")
        return plain(value)

    def post(self) -> Response:
        value = generate(requested_length())
        self.store.put(session_id(create=True), value)
        return plain(value)

    def put(self) -> Response:
        values = request.values.getlist("another_string")
        if len(values) != 1:
            abort(400, "give another_string once")
        self.store.put(session_id(create=True), values[0])
        return plain(status=204)

    def delete(self) -> Response:
        sid = session_id(create=False)
        if sid is not None:
            self.store.delete(sid)
        return plain(status=204)


# --- the application ---------------------------------------------------------


#: The npm scripts each page loads, by file name under ``/static/js/``.
SCRIPTS = {
    8: ("jquery-2.1.1.min.js",),
    10: ("react-0.13.3.js", "jquery-2.1.1.min.js", "babel-core-5.8.23.browser.min.js"),
}


def _write_public(tutorial: int, public: Path) -> None:
    files = {"css/style.css": STYLE_6 if tutorial < 8 else STYLE_8}
    if tutorial == 10:
        files["js/gen.js"] = GEN_JS
    for name, text in files.items():
        path = public / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    scripts = SCRIPTS.get(10 if tutorial == 10 else 8 if tutorial >= 8 else 0, ())
    if scripts:
        import tutorial_fixtures

        folder = "tut10" if tutorial == 10 else "tut08"
        (public / "js").mkdir(parents=True, exist_ok=True)
        for name in scripts:
            shutil.copyfile(
                tutorial_fixtures.path(folder, "public", "js", name), public / "js" / name
            )


def create_app(tutorial: int, *, public: Path | None = None, db: Path | None = None) -> Flask:
    """The Flask app of ``tutorial`` (1-10).

    ``public`` is the folder to serve under ``/static`` (6 and 8-10); the
    tutorial's files are written into it. ``db`` is the SQLite file (9-10).
    The store is ``app.extensions["tutorial_store"]``: call its ``setup()``
    before serving and ``cleanup()`` after.
    """
    if not 1 <= tutorial <= 10:
        raise ValueError("tutorials 1-10 only")
    static = tutorial == 6 or tutorial >= 8
    if static:
        if public is None:
            raise ValueError(f"tutorial {tutorial} serves static files: give public=")
        _write_public(tutorial, public)
    app = Flask(
        __name__,
        static_folder=str(public) if static else None,
        static_url_path="/static" if static else None,
    )
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024

    @app.after_request
    def one_date(response: Response) -> Response:
        # send_file's conditional handling sets Date, and werkzeug's server
        # always sends its own: drop ours rather than send the field twice.
        response.headers.pop("Date", None)
        return response

    app.secret_key = secrets.token_bytes(32)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    store = SQLiteStore(db) if tutorial >= 9 else SessionStore()
    app.extensions["tutorial_store"] = store

    if tutorial <= 3:

        @app.get("/")
        def hello():
            return "Hello world!"

    elif tutorial <= 6:
        page = FORM_PAGE.format(head=STYLESHEET_LINK if tutorial == 6 else "")

        @app.get("/")
        def form():
            return page

    elif tutorial >= 8:
        page = PAGE_10 if tutorial == 10 else PAGE_8

        @app.get("/")
        def single_page():
            return page

    if 2 <= tutorial <= 6:
        methods = ["GET"] if tutorial <= 3 else ["GET", "POST"]

        @app.route("/generate", methods=methods)
        def generate_string():
            value = generate(8 if tutorial == 2 else requested_length())
            if tutorial >= 5:
                store.put(session_id(create=True), value)
            return plain(value)

    if tutorial in (5, 6):

        @app.get("/display")
        def display():
            sid = session_id(create=False)
            value = None if sid is None else store.get(sid)
            if value is None:
                abort(404, "no string yet: generate one first")
            return plain(value)

    if tutorial >= 7:
        view = StringGeneratorAPI.as_view("generator", store=store, nothing_is_empty=tutorial >= 9)
        app.add_url_rule("/" if tutorial == 7 else "/generator", view_func=view)

    return app


def _stop(signum, frame):
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tutorial", type=int, choices=range(1, 11), metavar="N")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--db", type=Path, default=Path("my.db"), help="SQLite file (9-10)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)

    with tempfile.TemporaryDirectory(prefix="flask-tutorials-") as tmp:
        app = create_app(args.tutorial, public=Path(tmp) / "public", db=args.db.resolve())
        store = app.extensions["tutorial_store"]
        store.setup()
        try:
            server = make_server(args.host, args.port, app, threaded=True)
            print(
                f"Flask port of tutorial {args.tutorial} on http://{args.host}:{server.port}",
                file=sys.stderr,
                flush=True,
            )
            server.serve_forever()  # returns on Ctrl-C; SIGTERM raises SystemExit
        finally:
            store.cleanup()


if __name__ == "__main__":
    main()
