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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
#: Where Debian installs Chromium, when ``chromium`` is not on PATH.
DEBIAN_CHROMIUM = "/usr/bin/chromium"
GET_CHROMIUM = "apt-get install chromium, or give --chromium PATH"
GET_PLAYWRIGHT = "pip install playwright (never `playwright install`: Debian's chromium is used)"
#: Request headers a reproduction keeps from the page's requests.
_KEPT_HEADERS = ("content-type", "accept", "x-requested-with")


class BrowserUnavailable(Exception):
    """No browser can be driven here; the message is one line saying how to get one."""


def default_chromium() -> str:
    """``chromium`` found on PATH, else Debian's path (which may not exist)."""
    return shutil.which("chromium") or DEBIAN_CHROMIUM


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
        self.executable = executable or default_chromium()
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
                reason = f"no Chromium at {self.executable}: {GET_CHROMIUM}"
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
        context.set_default_timeout(timeout * 1000)
        context.route("**/*", self._route)
        self.page = context.new_page()
        page = self.page
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(_one_line(error)))
        page.on("request", self._request)
        page.on("response", self._response)
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
        if origin(request.url) != self.origin:
            return
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

    def _failed(self, request: Any) -> None:
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
        try:
            self.button(label).first.wait_for(state="visible")
        except self._errors() as error:
            raise Deviation(f"the page shows no {label!r} button ({_timeout_or(error)})") from None

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
        button = self.button(label)
        try:
            button.first.wait_for(state="visible")
        except self._errors() as error:
            raise Deviation(f"the page shows no {label!r} button ({_timeout_or(error)})") from None
        try:
            with self.page.expect_request(self._to_target) as sent:
                button.first.click()
        except self._errors() as error:
            raise Deviation(
                f"pressing {label!r} sent no request to the target ({_timeout_or(error)})"
            ) from None
        request = sent.value
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
        if not self.dialogs:
            try:
                self.page.wait_for_event("dialog")
            except self._errors() as error:
                raise Deviation(f"the page opened no dialog ({_timeout_or(error)})") from None
        return self.dialogs[0]

    def wait_for_shown(self, besides: str) -> str:
        """Wait until a visible text field shows something other than ``besides``; return it."""
        try:
            handle = self.page.wait_for_function(_SHOWN, arg=besides)
        except self._errors() as error:
            raise Deviation(
                f"no text field showed a string ({_timeout_or(error)}; the text fields hold "
                f"{self.values()})"
            ) from None
        return handle.json_value()

    def wait_until_not_shown(self, text: str) -> None:
        """Wait until no visible text field shows ``text``."""
        try:
            self.page.wait_for_function(_NOT_SHOWN, arg=text)
        except self._errors() as error:
            raise Deviation(f"a text field still shows {text!r} ({_timeout_or(error)})") from None

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


def _timeout_or(error: Any) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    match = re.match(r"^.*?Timeout (\d+)ms exceeded", text)
    if match:
        return f"within {int(match.group(1)) / 1000:g} s"
    return text[:160]


def _one_line(error: Any) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__
