"""A real browser on a target: Debian's Chromium driven by Playwright for Python.

Knows nothing of pytest or of the checks.  ``Browser`` is one Chromium for a
whole run, launched on first use (``playwright install`` is never used: the
executable is found on ``PATH`` or given, and passed as ``executable_path``).
``Visit`` is one person: a fresh browser context with one page, every request
of which is routed:

* to the target's own origin: sent as it is;
* to a script URL the printed pages name (``printed_scripts()``, read from the
  fixtures' ``vendor.json``): answered from the kit's vendored, pinned copy,
  so that the printed pages work with no network (jQuery 2.0.3, which the
  npm registry lacks, is answered with the vendored 2.1.1);
* anywhere else: aborted, and its host recorded.

A visit records what a clean page must not do (console errors, uncaught
errors, failed requests, answers >= 400; a missing ``/favicon.ico`` aside),
the dialogs the page opened (accepted), and the HTTP exchanges the page made
with the target, both for the reports and, through a ``Recorder``, for the
reproduction of a failure.

Waiting for what a person waits for (a button, a request, a dialog, a string
shown) ends when it happens, when the timeout passes, or sooner once the page
has *settled* without it: for ``SETTLED_S`` seconds no request of the page in
flight, no change to its document, no message posted, no timer it set pending,
no animation running, and its main thread free to answer.  A page does
something only in a task that one of those starts, so a settled page that has
not done it will not; a page that keeps a timer or an animation going is
waited for to the timeout.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from .client import Deviation, Exchange, Recorder

#: The launch flags of DESIGN.md: without the networking ones Chromium keeps
#: opening connections that a closed network refuses.  Playwright's ``launch``
#: adds ``--headless``, ``--no-sandbox`` and a fresh temporary user-data dir.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: Debian's two builds of Chromium, in the order a headless run looks for them on
#: PATH: the headless shell (what Playwright itself runs headless: no browser
#: window, no omnibox and no singleton socket; measured with Debian's 156 on two
#: cores, tutorial 8's browser checks took 5.5 s of CPU in it, 13.4 s in
#: ``chromium``, which preloads two WebUI omnibox renderers per context), then
#: the full browser, the only one that runs ``--headed``.
HEADLESS_SHELL = "chromium-headless-shell"
CHROMIUM = "chromium"
#: Where Debian installs Chromium, when neither is on PATH.
DEBIAN_CHROMIUM = "/usr/bin/chromium"
GET_CHROMIUM = "apt-get install chromium-headless-shell (or chromium), or give --chromium PATH"
GET_HEADED_CHROMIUM = (
    "apt-get install chromium (the headless shell has no window), or give --chromium PATH"
)
GET_PLAYWRIGHT = "pip install playwright (never `playwright install`: Debian's Chromium is used)"
#: The longest temporary folder (bytes of its path) in which ``chromium`` can
#: still make its singleton socket (the headless shell makes none),
#: ``<folder>/.org.chromium.Chromium.XXXXXX/...``, whose path a Unix socket
#: limits to about 108 bytes.  Measured with Debian's
#: Chromium 156: with TMPDIR 62 bytes long it starts, with 63 it does not.
TEMPORARY_FOLDER_ROOM = 62
#: Request headers a reproduction keeps from the page's requests.
_KEPT_HEADERS = ("content-type", "accept", "x-requested-with")
#: Seconds a page must have settled (see the module's docstring) before what it
#: has not done yet counts as never done.
SETTLED_S = 2.0
#: Milliseconds of one wait between two looks at whether the page has settled.
_SLICE_MS = 250
_T = TypeVar("_T")


class BrowserUnavailable(Exception):
    """No browser can be driven here; the message is one line saying how to get one."""


def default_chromium(headed: bool = False) -> str:
    """The Chromium a run drives when none is given: headless, ``chromium-headless-shell``
    found on PATH, else ``chromium`` on PATH; headed, ``chromium`` on PATH; else
    Debian's path (which may not exist)."""
    names = (CHROMIUM,) if headed else (HEADLESS_SHELL, CHROMIUM)
    found = (shutil.which(name) for name in names)
    return next((path for path in found if path), DEBIAN_CHROMIUM)


@functools.cache
def printed_scripts() -> dict[str, Path]:
    """Printed CDN URL -> vendored copy (``fixtures/vendor.json``'s ``pages``): the script
    URLs the printed pages name, each with the vendored file that answers it.  Read on
    the first visit, not at import (the CLI's ``--help`` and ``spec`` need no fixtures)."""
    import tutorial_fixtures

    vendor = json.loads(tutorial_fixtures.path("vendor.json").read_text(encoding="utf-8"))
    scripts: dict[str, Path] = {}
    for page, facts in vendor["pages"].items():
        folder = page.split("/", 1)[0]
        for url, local in facts["script_src"].items():
            scripts[url] = tutorial_fixtures.path(folder, "public", local.removeprefix("/static/"))
    return scripts


def origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Browser:
    """One Chromium for a run, launched on first ``visit``; ``close`` ends it."""

    def __init__(
        self,
        executable: str | None = None,
        headed: bool = False,
        output: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.executable = executable or default_chromium(headed)
        self.headed = headed
        self.timeout = timeout
        self._output = output
        self._playwright: Any = None
        self._browser: Any = None
        self._unavailable: str | None = None
        #: Seconds the launch took (None until launched).
        self.launch_s: float | None = None

    def check(self) -> None:
        """Raise ``BrowserUnavailable`` unless Playwright and the executable are there."""
        if self._unavailable:
            raise BrowserUnavailable(self._unavailable)
        reason = None
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = f"Playwright for Python is not installed: {GET_PLAYWRIGHT}"
        else:
            path = shutil.which(self.executable) or self.executable
            if not (os.path.isfile(path) and os.access(path, os.X_OK)):
                get = GET_HEADED_CHROMIUM if self.headed else GET_CHROMIUM
                reason = f"no Chromium at {self.executable}: {get}"
        if reason:
            self._unavailable = reason
            raise BrowserUnavailable(reason)

    def launch(self) -> bool:
        """Start Chromium unless it runs; True when this call started it."""
        if self._browser is not None:
            return False
        self.check()
        from playwright.sync_api import Error, sync_playwright

        started = time.perf_counter()
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=shutil.which(self.executable) or self.executable,
                headless=not self.headed,
                args=list(CHROMIUM_ARGS),
                timeout=self.timeout * 3000,
            )
        except Error as error:
            self.close()
            first = str(error).strip().splitlines()[0] if str(error).strip() else "no reason"
            self._unavailable = f"Chromium at {self.executable} did not start ({first[:160]})"
            folder = tempfile.gettempdir()
            if len(os.fsencode(folder)) > TEMPORARY_FOLDER_ROOM:
                self._unavailable += (
                    f"; the temporary folder {folder} is too long for Chromium's socket:"
                    f" set TMPDIR to a folder of at most {TEMPORARY_FOLDER_ROOM} bytes"
                )
            raise BrowserUnavailable(self._unavailable) from None
        self.launch_s = round(time.perf_counter() - started, 3)
        return True

    @property
    def output(self) -> Path:
        """The folder screenshots go to (made on first use)."""
        if self._output is None:
            self._output = tempfile.mkdtemp(prefix="conformance-browser-")
        path = Path(self._output)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def visit(self, base_url: str, recorder: Recorder | None = None, client: int = 0) -> Visit:
        """A new person on ``base_url``: a fresh context (cookies, storage) and one page."""
        self.launch()
        return Visit(self._browser.new_context(), base_url, self.timeout, recorder, client)

    def close(self) -> None:
        if self._browser is not None:
            try:
                self._browser.close()
            finally:
                self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None


class Visit:
    """One browser context and its page on a target, with what the page did."""

    def __init__(
        self,
        context: Any,
        base_url: str,
        timeout: float,
        recorder: Recorder | None = None,
        client: int = 0,
    ) -> None:
        self.context = context
        self.timeout = timeout
        self.base_url = base_url.rstrip("/") + "/"
        self.origin = origin(base_url)
        self.recorder = recorder
        self.client = client
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed_requests: list[str] = []
        #: Off-host URLs answered from a vendored copy (printed CDN scripts), with its file.
        self.routed: dict[str, str] = {}
        #: Off-host URLs aborted.
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        #: The page's requests to the target: "METHOD path body -> status".
        self.exchanges: list[str] = []
        self._exchange_of: dict[Any, tuple[int, Exchange | None]] = {}
        self._answered_error: set[Any] = set()
        #: The page's requests to the target that a press may have sent, in order.
        self._sent: list[Any] = []
        #: Requests of the page not yet finished or failed, and when one last started or ended.
        self._in_flight: set[Any] = set()
        self._network_at = time.monotonic()
        context.set_default_timeout(timeout * 1000)
        context.route("**/*", self._route)
        context.add_init_script(_SETTLING)
        self.page = context.new_page()
        page = self.page
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(_one_line(error)))
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._failed)
        page.on("dialog", self._dialog)

    # -- events ------------------------------------------------------------
    def _route(self, route: Any) -> None:
        url = route.request.url
        if origin(url) == self.origin:
            route.continue_()
        elif url in printed_scripts():
            vendored = printed_scripts()[url]
            self.routed[url] = vendored.name
            route.fulfill(
                path=str(vendored),
                content_type="application/javascript",
                headers={"Access-Control-Allow-Origin": "*"},
            )
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _ignored(self, url: str) -> bool:
        return url in self.blocked or urllib.parse.urlsplit(url).path == "/favicon.ico"

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if self._ignored(where) or "favicon.ico" in message.text:
            return
        self.console_errors.append(message.text[:300])

    def _path(self, url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _request(self, request: Any) -> None:
        self._in_flight.add(request)
        self._network_at = time.monotonic()
        if origin(request.url) != self.origin:
            return
        if self._to_target(request):
            self._sent.append(request)
        body = request.post_data_buffer
        index = len(self.exchanges)
        text = body.decode("utf-8", "replace")[:200] if body else ""
        self.exchanges.append(f"{request.method} {self._path(request.url)} {text}".rstrip())
        exchange = None
        if self.recorder is not None and request.resource_type in ("document", "xhr", "fetch"):
            kept = _KEPT_HEADERS if request.resource_type != "document" else ()
            headers = {k: v for k, v in request.headers.items() if k.lower() in kept and v}
            exchange = Exchange(request.method, request.url, headers, body, self.client)
            self.recorder.add(exchange)
        self._exchange_of[request] = (index, exchange)

    def _response(self, response: Any) -> None:
        request = response.request
        index, exchange = self._exchange_of.get(request, (None, None))
        if index is not None:
            self.exchanges[index] += f" -> {response.status}"
        if exchange is not None:
            exchange.status = response.status
        if response.status >= 400 and not self._ignored(response.url):
            self._answered_error.add(request)
            self.failed_requests.append(f"{response.status} {request.method} {response.url}")

    def _ended(self, request: Any) -> None:
        self._in_flight.discard(request)
        self._network_at = time.monotonic()

    def _failed(self, request: Any) -> None:
        self._ended(request)
        if self._ignored(request.url) or request in self._answered_error:
            return  # blocked on purpose, or already counted by its error status
        index, _ = self._exchange_of.get(request, (None, None))
        if index is not None:
            self.exchanges[index] += f" -> failed ({request.failure})"
        self.failed_requests.append(f"{request.failure} {request.method} {request.url}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()

    # -- what a person does ------------------------------------------------
    def open(self, path: str = "/") -> None:
        """Load ``path`` and wait for its load event (every script run)."""
        self.page.goto(urllib.parse.urljoin(self.base_url, path.lstrip("/")), wait_until="load")

    def reload(self) -> None:
        self.page.reload(wait_until="load")

    def button(self, label: str) -> Any:
        """The button a person reads ``label`` on (by its accessible name, exactly)."""
        return self.page.get_by_role("button", name=label, exact=True)

    def ready(self, label: str) -> None:
        """Wait until the button ``label`` is visible (the page has rendered)."""
        self._visible(self.button(label).first, f"the page shows no {label!r} button")

    def _visible(self, locator: Any, failure: str) -> None:
        self._until(lambda ms: locator.wait_for(state="visible", timeout=ms), failure)

    def textboxes(self) -> list[Any]:
        """The visible text fields, in document order (role ``textbox``)."""
        return self.page.get_by_role("textbox").all()

    def values(self) -> list[str]:
        """What each visible text field holds."""
        return [self._value(box) for box in self.textboxes()]

    def _value(self, box: Any) -> str:
        # An <input> or <textarea> holds a value; another role=textbox element, its text.
        try:
            return box.input_value(timeout=1000)
        except self._errors():
            return box.inner_text(timeout=1000)

    def fill_first(self, text: str) -> None:
        """Type ``text`` into the first text field of the page (where a person starts)."""
        boxes = self.textboxes()
        if not boxes:
            raise Deviation("the page shows no text field to type a length into")
        boxes[0].fill(text)

    def fill_showing(self, shown: str, text: str) -> None:
        """Replace the text of the field that shows ``shown`` with ``text``."""
        for box in self.textboxes():
            if self._value(box) == shown:
                box.fill(text)
                return
        raise Deviation(f"no text field shows {shown!r} any more")

    def press(self, label: str) -> str:
        """Click the button ``label`` and wait until the request it sends to the
        target is answered; return that request as ``METHOD path -> status``."""
        failure = f"pressing {label!r} sent no request to the target"
        button = self.button(label).first
        self._visible(button, f"the page shows no {label!r} button")
        before = len(self._sent)
        try:
            button.click()
        except self._errors() as error:
            raise Deviation(f"{failure} ({_timeout_or(error)})") from None
        sent = self._until(lambda ms: self._poll(lambda: self._sent[before:][:1], ms), failure)
        request = sent[0]
        response = request.response()
        if response is None:
            return f"{request.method} {self._path(request.url)} -> failed ({request.failure})"
        response.finished()
        return f"{request.method} {self._path(request.url)} -> {response.status}"

    def _to_target(self, request: Any) -> bool:
        return origin(request.url) == self.origin and request.resource_type in (
            "xhr",
            "fetch",
            "document",
        )

    def wait_for_dialog(self) -> str:
        """The first dialog the page opened since it loaded, waiting for one if need be."""
        opened = self._until(
            lambda ms: self._poll(lambda: self.dialogs[:1], ms), "the page opened no dialog"
        )
        return opened[0]

    def wait_for_shown(self, besides: str) -> str:
        """Wait until a visible text field shows something other than ``besides``; return it."""
        try:
            handle = self._until(
                lambda ms: self.page.wait_for_function(_SHOWN, arg=besides, timeout=ms),
                "no text field showed a string",
            )
        except AssertionError as error:
            raise Deviation(f"{error}; the text fields hold {self.values()}") from None
        return handle.json_value()

    def wait_until_not_shown(self, text: str) -> None:
        """Wait until no visible text field shows ``text``."""
        self._until(
            lambda ms: self.page.wait_for_function(_NOT_SHOWN, arg=text, timeout=ms),
            f"a text field still shows {text!r}",
        )

    # -- waiting -------------------------------------------------------------
    def _until(self, attempt: Callable[[float], _T], failure: str) -> _T:
        """What ``attempt(milliseconds)`` returns once it returns within them (a
        Playwright timeout means "not yet"); a ``Deviation`` saying ``failure`` and
        why once the timeout has passed or the page has settled without it."""
        from playwright.sync_api import TimeoutError as NotYet

        deadline = time.monotonic() + self.timeout
        while True:
            remaining_ms = (deadline - time.monotonic()) * 1000
            try:
                return attempt(max(1.0, min(_SLICE_MS, remaining_ms)))
            except NotYet:
                pass
            except self._errors() as error:  # the page or the browser went away
                raise Deviation(f"{failure} ({_one_line(error)[:160]})") from None
            if time.monotonic() >= deadline:
                raise Deviation(f"{failure} (within {self.timeout:g} s)")
            if self._settled():
                raise Deviation(f"{failure} (the page settled for {SETTLED_S:g} s without it)")

    def _poll(self, found: Callable[[], list[_T]], ms: float) -> list[_T]:
        """``found()`` once it is not empty, letting the page's events in for
        ``ms`` at most; a Playwright timeout when it stays empty."""
        from playwright.sync_api import TimeoutError as NotYet

        if not found():
            self.page.wait_for_timeout(ms)
        if not found():
            raise NotYet(f"Timeout {ms:.0f}ms exceeded.")
        return found()

    def _settled(self) -> bool:
        """Whether the page has settled (the module's docstring) for ``SETTLED_S``."""
        if self._in_flight or time.monotonic() - self._network_at < SETTLED_S:
            return False
        try:
            # A page whose main thread is busy cannot answer: that is not settled.
            return bool(self.page.wait_for_function(_SETTLED, arg=SETTLED_S * 1000, timeout=100))
        except self._errors():
            return False

    def shows(self, text: str) -> bool:
        """Whether the page shows ``text``, in a text field or as text."""
        return text in self.values() or text in self.page.inner_text("body")

    @staticmethod
    def _errors() -> tuple[type[BaseException], ...]:
        from playwright.sync_api import Error

        return (Error,)

    @property
    def blocked_hosts(self) -> list[str]:
        return sorted({urllib.parse.urlsplit(u).netloc for u in self.blocked})

    def problems(self) -> list[str]:
        """What a clean page does not do, one item each."""
        found = [f"failed request: {e}" for e in self.failed_requests]
        found += [f"uncaught error: {e}" for e in self.page_errors]
        found += [f"console error: {e}" for e in self.console_errors]
        return found

    def evidence(self) -> dict[str, Any]:
        """What this visit saw, as JSON values (empty lists left out)."""
        observed = {
            "console_errors": self.console_errors + [f"uncaught: {e}" for e in self.page_errors],
            "failed_requests": self.failed_requests,
            "page_http": self.exchanges,
            "dialogs": self.dialogs,
            "routed_to_vendored": self.routed,
            "blocked_hosts": self.blocked_hosts,
        }
        return {k: v for k, v in observed.items() if v}

    def screenshot(self, path: Path) -> str | None:
        """Save the page as it is now; the file's path, or None if the page is gone."""
        try:
            self.page.screenshot(path=str(path), full_page=True, timeout=5000)
        except Exception:  # the page or browser already closed
            return None
        return str(path)

    def cookies(self) -> list[Mapping[str, Any]]:
        return self.context.cookies()

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the browser already went away
            self.context.close()


#: The visible elements of role ``textbox`` (ARIA: text inputs, textareas, role=textbox).
_TEXTBOXES = """
  [...document.querySelectorAll('input, textarea, [role=textbox]')]
    .filter(e => e.tagName !== 'INPUT'
                 || ['', 'text', 'search', 'email', 'url', 'tel'].includes(
                      (e.getAttribute('type') || '').toLowerCase()))
    .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
    .map(e => (e.value !== undefined ? e.value : e.textContent))
"""
_SHOWN = f"besides => ({_TEXTBOXES}).find(v => v && v.trim() && v !== besides) || null"
_NOT_SHOWN = f"text => !({_TEXTBOXES}).includes(text)"


#: Run in every document before its own scripts: what ``_SETTLED`` asks.  Its
#: timer wrappers keep the page's own timers' behaviour and only count them.
_SETTLING = """
(() => {
  if (window.__conformanceSettled) return;
  const now = () => performance.now();
  let changed = now();
  const pending = new Set();
  // The timers are wrapped to count what is pending; what they run, and when, is the page's.
  // (setTimeout and setInterval share their ids, and either clear* cancels either.)
  const counted = (schedule, cancel, once) => {
    const original = window[schedule], cancelOriginal = window[cancel];
    window[schedule] = function (handler, ...rest) {
      if (typeof handler !== 'function') return original.call(window, handler, ...rest);
      const key = {};
      const id = original.call(window, function (...args) {
        if (once) pending.delete(key);
        return handler.apply(this, args);
      }, ...rest);
      key.id = id;
      pending.add(key);
      return id;
    };
    window[cancel] = function (id) {
      for (const key of pending) if (key.id === id) pending.delete(key);
      return cancelOriginal.call(window, id);
    };
    return original;
  };
  counted('setInterval', 'clearInterval', false);
  counted('setTimeout', 'clearTimeout', true);
  // A message posted is a task to come (React's scheduler slices its work so): a change.
  for (const owner of [window, MessagePort.prototype]) {
    const post = owner.postMessage;
    owner.postMessage = function (...args) {
      changed = now();
      return post.apply(this, args);
    };
  }
  new MutationObserver(() => { changed = now(); }).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
  window.__conformanceSettled = quietMs => {
    const t = now();
    const animating = document.getAnimations().some(a => a.playState === 'running');
    return pending.size === 0 && !animating && t - changed >= quietMs;
  };
})();
"""
_SETTLED = "ms => !!(window.__conformanceSettled && window.__conformanceSettled(ms))"


def _timeout_or(error: Any) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    match = re.match(r"^.*?Timeout (\d+)ms exceeded", text)
    if match:
        return f"within {int(match.group(1)) / 1000:g} s"
    return text[:160]


def _one_line(error: Any) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__
