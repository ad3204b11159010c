"""The browser driver of the kit (``conformance/http/browser.py``), without the checks.

Where Playwright or Chromium is missing the browser checks are skipped in one
line saying how to get them, never passed and never crashed; a visit answers
the printed pages' CDN scripts from the vendored copies and blocks and records
every other host.  The tests that drive Chromium carry the ``browser`` marker.
"""

from __future__ import annotations

import argparse
import http.server
import os
import sys
import tempfile
import threading
import time

import pytest

from conformance.http import browser as driver
from conformance.http.client import Recorder
from conformance.run import options

PAGE = b"""<!DOCTYPE html>
<html><head>
<script src="http://code.jquery.com/jquery-2.0.3.min.js"></script>
</head><body>
<img src="http://images.example.com/logo.png">
<input type="text" value="8"><button>Give it now!</button>
</body></html>
"""


def test_a_missing_chromium_is_one_line_saying_how_to_get_it():
    chromium = driver.Browser("/nonexistent/chromium")
    for _ in range(2):  # decided once, said the same way every time
        with pytest.raises(driver.BrowserUnavailable) as caught:
            chromium.visit("http://127.0.0.1:1/")
        message = str(caught.value)
        assert "\n" not in message
        assert "no Chromium at /nonexistent/chromium" in message
        assert "apt-get install chromium-headless-shell (or chromium)" in message
    headed = driver.Browser("/nonexistent/chromium", headed=True)
    with pytest.raises(driver.BrowserUnavailable, match=r"apt-get install chromium \(the headless"):
        headed.check()


def test_a_headless_run_prefers_the_headless_shell_and_a_headed_one_the_full_browser(
    tmp_path, monkeypatch
):
    both, full_only = tmp_path / "both", tmp_path / "full"
    for folder, names in (
        (both, ("chromium-headless-shell", "chromium")),
        (full_only, ("chromium",)),
    ):
        folder.mkdir()
        for name in names:
            (folder / name).write_text("#!/bin/sh\n")
            (folder / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(both))
    assert driver.default_chromium() == str(both / "chromium-headless-shell")
    assert driver.Browser().executable == str(both / "chromium-headless-shell")
    assert driver.default_chromium(headed=True) == str(both / "chromium")
    assert driver.Browser(headed=True).executable == str(both / "chromium")
    monkeypatch.setenv("PATH", str(full_only))
    assert driver.default_chromium() == str(full_only / "chromium")
    monkeypatch.setenv("PATH", str(tmp_path / "none"))
    assert driver.default_chromium() == driver.DEBIAN_CHROMIUM


def test_missing_playwright_is_one_line_saying_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(driver.BrowserUnavailable, match="pip install playwright"):
        driver.Browser().check()


def test_a_chromium_that_does_not_start_is_unavailable_not_a_crash():
    pytest.importorskip("playwright.sync_api")
    chromium = driver.Browser("/bin/false", timeout=2)
    with pytest.raises(driver.BrowserUnavailable, match="did not start"):
        chromium.launch()
    chromium.close()


@pytest.mark.browser
def test_a_temporary_folder_too_long_for_chromium_s_socket_is_named_with_what_to_do(
    full_chromium, tmp_path, monkeypatch
):
    # One byte past Chromium's room (under pytest-xdist tmp_path alone may be past it).
    folder = tmp_path / ("t" * max(1, driver.TEMPORARY_FOLDER_ROOM - len(str(tmp_path))))
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    with pytest.raises(driver.BrowserUnavailable) as caught:
        full_chromium.launch()
    message = str(caught.value)
    assert "\n" not in message
    assert f"the temporary folder {os.fsdecode(folder)} is too long" in message
    assert f"set TMPDIR to a folder of at most {driver.TEMPORARY_FOLDER_ROOM} bytes" in message


def test_every_cdn_script_of_the_printed_pages_has_a_vendored_copy():
    scripts = driver.printed_scripts()
    assert set(scripts) == {
        "http://code.jquery.com/jquery-2.0.3.min.js",
        "http://code.jquery.com/jquery-2.1.1.min.js",
        "https://cdnjs.cloudflare.com/ajax/libs/react/0.13.3/react.js",
        "https://cdnjs.cloudflare.com/ajax/libs/babel-core/5.8.23/browser.min.js",
    }
    # 2.0.3 is not on the npm registry: the vendored 2.1.1 answers it.
    assert scripts["http://code.jquery.com/jquery-2.0.3.min.js"].name == "jquery-2.1.1.min.js"
    assert all(path.is_file() for path in scripts.values())


def test_headed_is_passed_to_pytest_as_a_bare_flag_only_when_asked():
    parser = argparse.ArgumentParser()
    options.add_to_argparse(parser)
    assert "--headed" not in options.pytest_arguments(parser.parse_args([]))
    args = options.pytest_arguments(parser.parse_args(["--headed", "--chromium", "/x"]))
    assert "--headed" in args and "--chromium=/x" in args


#: A page that does what a clean page must not: a console error, an uncaught
#: error, a request answered 500, one that fails; a read-only field; no dialog.
BROKEN = b"""<!DOCTYPE html>
<html><head><script>
console.error("something broke");
setTimeout(() => { throw new Error("uncaught here"); }, 0);
fetch("/fails");
</script></head><body>
<input type="checkbox">
<div role="textbox">typed</div>
<button onclick="fetch('/closes')">Send</button>
</body></html>
"""
#: A page with nothing a person could type into.
BARE = b"<!DOCTYPE html><html><body><p>nothing to type</p></body></html>"

#: Pages that show their button late, each in a way that keeps the page from
#: having settled until then: a timer, a slow answer, a timer set by a timer, a
#: main thread busy for 3 s and then for 2.5 s more in a chain of messages (as
#: React's scheduler slices its work), which no timer or request announces.
#: None of them may be failed before the timeout.
_SHOW = "document.body.insertAdjacentHTML('beforeend', '<button>Late</button>')"
LATE = {
    "/late/timer": f"setTimeout(() => {{ {_SHOW}; }}, 3000);",
    "/late/answer": f"fetch('/slow').then(() => {{ {_SHOW}; }});",
    "/late/busy": (
        "setTimeout(() => { const end = performance.now() + 3000;"
        " while (performance.now() < end) {}"
        " const channel = new MessageChannel();"
        " channel.port1.onmessage = () => {"
        f"   if (performance.now() < end + 2500) channel.port2.postMessage(0); else {{ {_SHOW}; }}"
        " }; channel.port2.postMessage(0); }, 0);"
    ),
    "/late/chained": f"setTimeout(() => setTimeout(() => {{ {_SHOW}; }}, 1500), 1500);",
}
#: A page that never shows its button and never settles: a timer ticks for ever.
TICKING = b"""<!DOCTYPE html><html><body><p id="n">0</p><script>
let n = 0; setInterval(() => { n += 1; }, 100);
</script></body></html>"""


def _late_page(script: str) -> bytes:
    return f"<!DOCTYPE html><html><body><script>{script}</script></body></html>".encode()


class _Page(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/closes":
            self.close_connection = True  # no answer at all: a failed request
            return
        if self.path == "/slow":
            time.sleep(3)
        pages = {"/": PAGE, "/broken": BROKEN, "/bare": BARE, "/ticking": TICKING, "/slow": b"ok"}
        pages.update({path: _late_page(script) for path, script in LATE.items()})
        page = pages.get(self.path)
        status = 500 if self.path == "/fails" else 200 if page else 404
        body = page or b""
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def page_server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.browser
def test_a_visit_routes_printed_scripts_blocks_other_hosts_and_records_the_page(
    page_server, tmp_path
):
    chromium = driver.Browser(output=str(tmp_path / "shots"), timeout=2)
    try:
        chromium.check()
    except driver.BrowserUnavailable as error:
        pytest.skip(str(error))
    recorder = Recorder()
    try:
        person = chromium.visit(page_server, recorder, client=1)
        person.open("/")
        person.ready("Give it now!")
        assert person.page.evaluate("() => jQuery.fn.jquery") == "2.1.1"
        assert person.routed == {
            "http://code.jquery.com/jquery-2.0.3.min.js": "jquery-2.1.1.min.js"
        }
        assert person.blocked_hosts == ["images.example.com"]
        assert person.problems() == [], "a blocked host is reported as such, not as a failure"
        assert person.values() == ["8"]
        assert person.shows("8") and not person.shows("nowhere")
        evidence = person.evidence()
        assert evidence["page_http"][0] == "GET / -> 200"
        assert evidence["blocked_hosts"] == ["images.example.com"]
        assert [(e.method, e.status, e.client) for e in recorder.exchanges] == [("GET", 200, 1)]
        shot = person.screenshot(chromium.output / "page.png")
        assert shot and (tmp_path / "shots" / "page.png").read_bytes()[:4] == b"\x89PNG"
        with pytest.raises(AssertionError, match="sent no request"):
            person.press("Give it now!")
        with pytest.raises(AssertionError, match="no 'Replace' button"):
            person.ready("Replace")
        person.close()
        assert person.screenshot(tmp_path / "gone.png") is None
    finally:
        chromium.close()


@pytest.mark.browser
def test_a_visit_reports_what_a_clean_page_does_not_do_and_what_it_lacks(page_server):
    chromium = driver.Browser(timeout=1)
    try:
        chromium.check()
    except driver.BrowserUnavailable as error:
        pytest.skip(str(error))
    try:
        assert chromium.launch() is True and chromium.launch() is False
        person = chromium.visit(page_server)
        person.open("/broken")
        person.ready("Send")
        assert person.press("Send").startswith("GET /closes -> failed")
        person.page.wait_for_function("() => true")  # let the uncaught error arrive
        problems = person.problems()
        assert any(p.startswith("failed request: 500 GET") for p in problems), problems
        assert any("/closes" in p and p.startswith("failed request:") for p in problems)
        assert any(p.startswith("uncaught error:") and "uncaught here" in p for p in problems)
        assert "console error: something broke" in problems
        assert person.values() == ["typed"]  # a role=textbox is read by its text
        with pytest.raises(AssertionError, match="opened no dialog"):
            person.wait_for_dialog()
        with pytest.raises(AssertionError, match="no text field showed a string"):
            person.wait_for_shown(besides="typed")
        with pytest.raises(AssertionError, match="still shows 'typed'"):
            person.wait_until_not_shown("typed")
        with pytest.raises(AssertionError, match="no text field shows 'other'"):
            person.fill_showing("other", "x")
        with pytest.raises(AssertionError, match=r"no 'Missing' button \(the page settled for 2 s"):
            person.press("Missing")
        person.close()
        bare = chromium.visit(page_server)
        bare.open("/bare")
        with pytest.raises(AssertionError, match="no text field to type"):
            bare.fill_first("8")
        bare.close()
    finally:
        chromium.close()


@pytest.fixture
def chromium():
    """The Chromium a headless run drives by default."""
    yield from _launchable(driver.Browser(timeout=10))


@pytest.fixture
def full_chromium():
    """Debian's full ``chromium`` (what ``--headed`` drives), not the headless shell."""
    yield from _launchable(driver.Browser(driver.default_chromium(headed=True), timeout=10))


def _launchable(made: driver.Browser):
    try:
        made.check()
    except driver.BrowserUnavailable as error:
        pytest.skip(str(error))
    yield made
    made.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", sorted(LATE))
def test_a_page_that_shows_its_button_late_is_waited_for(chromium, page_server, path):
    person = chromium.visit(page_server)
    person.open(path)
    person.ready("Late")


@pytest.mark.browser
def test_a_page_that_settled_without_the_button_fails_before_the_timeout_and_says_so(
    chromium, page_server
):
    person = chromium.visit(page_server)
    person.open("/bare")
    with pytest.raises(AssertionError) as caught:
        person.ready("Missing")
    assert str(caught.value) == (
        "the page shows no 'Missing' button (the page settled for 2 s without it)"
    )
    ticking = chromium.visit(page_server)
    ticking.open("/ticking")
    with pytest.raises(AssertionError, match=r"no 'Missing' button \(within 10 s\)$"):
        ticking.ready("Missing")
