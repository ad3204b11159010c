"""HTTP as the checks speak it: clients that record what they send.

Every request has a timeout and ignores proxy settings from the environment.
A ``Recorder`` keeps the exchanges of one check so that a failure can be
reported with a reproduction (see ``reproduce``).  A request the target does
not answer properly (refused, reset, timed out, not HTTP) raises
``Deviation``: the target broke the check, the kit did not.  A ``Mirror``
sends what a client sends the target to the embedded reference as well
(``--differential``) and keeps the inputs the two answer differently.
"""

from __future__ import annotations

import dataclasses
import http.client
import io
import re
import select
import socket
import string
import threading
import urllib.parse
import weakref
from collections.abc import Mapping

import requests
import requests.adapters
import requests.cookies
import requests.structures
import requests.utils
import urllib3
import urllib3.exceptions

#: Headers ``requests`` adds on its own; a reproduction leaves them out.
_CLIENT_DEFAULT_HEADERS = {
    "user-agent",
    "accept-encoding",
    "connection",
    "content-length",
    "cookie",
}


class Deviation(AssertionError):
    """The target answered wrongly or not at all: a failed check, not a kit error."""


@dataclasses.dataclass
class Exchange:
    """One request as sent and the status it got (None when it got no answer)."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    client: int
    raw_path: bool = False
    status: int | None = None


class Recorder:
    """The exchanges of one check, in the order they were sent."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []
        #: Requests sent over the whole check, across restarts (for the run's statistics).
        self.sent = 0
        self._clients = 0
        self._lock = threading.Lock()

    def new_client_id(self) -> int:
        with self._lock:
            self._clients += 1
            return self._clients

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            self.exchanges.append(exchange)
            self.sent += 1

    def tally(self, requests: int) -> None:
        """Count ``requests`` sent by clients this recorder does not keep (a load run's),
        so that the run's statistics count every request the check sent."""
        with self._lock:
            self.sent += requests

    def restart(self) -> None:
        """Forget what was sent so far: a new attempt (e.g. a Hypothesis example) begins."""
        with self._lock:
            self.exchanges.clear()


def _explicit_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() not in _CLIENT_DEFAULT_HEADERS}


def _describe(method: str, url: str, error: Exception) -> str:
    path = urllib.parse.urlsplit(url).path or "/"
    # socket.timeout is TimeoutError from Python 3.10 on, its own class on 3.9.
    if isinstance(error, (requests.Timeout, TimeoutError, socket.timeout)):
        return f"{method} {path}: no answer within the timeout"
    if isinstance(error, (requests.ConnectionError, ConnectionError)):
        reason = str(error).splitlines()[0][:160]
        return f"{method} {path}: connection failed ({reason})"
    return f"{method} {path}: {type(error).__name__}: {str(error)[:160]}"


class _Connection(http.client.HTTPConnection):
    """One keep-alive connection: sends at once (``TCP_NODELAY``, as urllib3's do)
    and acknowledges every answer at once."""

    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def getresponse(self) -> http.client.HTTPResponse:
        # A server that writes an answer's head and body in two sends without
        # TCP_NODELAY (wsgiref, Django's runserver) holds the body back until
        # the head is acknowledged, and a keep-alive client delays that ACK by
        # up to 40 ms: measured 44 ms a request against Django's runserver,
        # 1.8 ms with this.  Nothing sent or received changes, only when the
        # ACK leaves.  Linux only; elsewhere the option does not exist.
        for option in _PROMPT_ACK:
            self.sock.setsockopt(*option)
        return super().getresponse()


#: Empty where ``TCP_QUICKACK`` does not exist (it is Linux's).
_PROMPT_ACK = (
    [(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)] if hasattr(socket, "TCP_QUICKACK") else []
)


def _dropped(sock: socket.socket) -> bool:
    """Whether an idle keep-alive connection was closed (or written to) by the server:
    readable while no answer is awaited (urllib3's test before reusing one)."""
    try:
        poller = select.poll()
    except AttributeError:  # no poll() (Windows)
        return bool(select.select([sock], [], [], 0)[0])
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class _Idle:
    """The idle connections of an adapter, per origin; ``close`` drops them all,
    and a connection taken before a ``close`` is not kept when it is given back."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._by_origin: dict[tuple[str, int], list[_Connection]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def take(self, origin: tuple[str, int], timeout: float | None) -> tuple[_Connection, int]:
        with self._lock:
            generation = self._generation
            idle = self._by_origin.get(origin, [])
            while idle:
                connection = idle.pop()
                if connection.sock is not None and not _dropped(connection.sock):
                    return connection, generation
                connection.close()
        return _Connection(*origin, timeout=timeout), generation

    def give(self, origin: tuple[str, int], connection: _Connection, generation: int) -> None:
        with self._lock:
            idle = self._by_origin.setdefault(origin, [])
            if generation == self._generation and len(idle) < self.maxsize:
                idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        with self._lock:
            self._generation += 1
            dropped = [c for idle in self._by_origin.values() for c in idle]
            self._by_origin.clear()
        for connection in dropped:
            connection.close()


class _Response(requests.Response):
    """A ``requests.Response`` whose ``cookies`` are read off the answer when first asked
    for: ``requests`` reads them into the session's jar anyway, and few checks look at
    the answer's own (reading them costs a tenth of a millisecond a request)."""

    @property
    def cookies(self) -> requests.cookies.RequestsCookieJar:
        if self._cookies_unread:
            self._cookies_unread = False
            requests.cookies.extract_cookies_to_jar(self._cookies, self.request, self.raw)
        return self._cookies

    @cookies.setter
    def cookies(self, jar: requests.cookies.RequestsCookieJar) -> None:
        self._cookies, self._cookies_unread = jar, False


class _Answered:
    """What ``requests`` reads of an answer after the adapter returns it (its cookies)."""

    def __init__(self, original: http.client.HTTPResponse) -> None:
        self._original_response = original

    def close(self) -> None:
        """Nothing to release: the body was read whole and the connection given back."""


#: An obsolete line fold in a field value, with the blanks before it (urllib3's pattern).
_OBSOLETE_FOLD = re.compile(r"(?:(?<![ \t])[ \t]+)?\r\n[ \t]+")

#: The User-Agent urllib3 sends when a request has none (``headers={"User-Agent": None}``).
_URLLIB3_USER_AGENT = f"python-urllib3/{urllib3.__version__}"


class KeepAliveAdapter(requests.adapters.HTTPAdapter):
    """Keep-alive connections to plain-HTTP targets that acknowledge every answer at
    once (see ``_Connection``); HTTPS, streaming and unusual bodies as ``requests`` does.

    A plain-HTTP request is sent on one ``http.client`` connection of the adapter's
    own, and its answer becomes the same ``requests.Response`` urllib3's would (the
    same bytes on the wire, headers joined the same way, the body decoded the same
    way, the same exceptions): urllib3's pool, retry and response layers cost the
    client about 0.6 ms of CPU a request (1.8-2.0 ms with them, 1.3 ms without, a
    bare ``http.client`` loop 0.4 ms).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._idle = _Idle(self._pool_maxsize)
        # An adapter dropped without close() closes its connections, as urllib3's pools do.
        weakref.finalize(self, self._idle.close)

    def close(self) -> None:
        super().close()
        self._idle.close()

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
        plain = request.url.startswith("http://") and not stream and not proxies
        if not plain or not isinstance(body, (bytes, type(None))):
            return super().send(request, stream, timeout, verify, cert, proxies)
        if isinstance(timeout, tuple):
            connect_timeout, read_timeout = timeout
        elif timeout is None or isinstance(timeout, (int, float)):
            connect_timeout = read_timeout = timeout
        else:
            return super().send(request, stream, timeout, verify, cert, proxies)
        parts = urllib.parse.urlsplit(request.url)
        origin = (parts.hostname or "", parts.port or 80)
        connection, generation = self._idle.take(origin, connect_timeout)
        try:
            if connection.sock is None:
                connection.connect()
        except (TimeoutError, socket.timeout) as error:
            connection.close()
            raise requests.ConnectTimeout(error, request=request) from None
        except OSError as error:
            connection.close()
            raise requests.ConnectionError(
                f"{origin[0]}:{origin[1]}: Failed to establish a new connection: {error}",
                request=request,
            ) from None
        try:
            answer, content = self._exchange(connection, request, body, read_timeout)
        except (TimeoutError, socket.timeout) as error:
            connection.close()
            raise requests.ReadTimeout(error, request=request) from None
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            aborted = urllib3.exceptions.ProtocolError("Connection aborted.", error)
            raise requests.ConnectionError(aborted, request=request) from None
        if answer.will_close:
            connection.close()
        else:
            self._idle.give(origin, connection, generation)
        return self._response(request, answer, content)

    @staticmethod
    def _exchange(
        connection: _Connection, request, body: bytes | None, timeout: float | None
    ) -> tuple[http.client.HTTPResponse, bytes]:
        connection.sock.settimeout(timeout)
        headers = request.headers
        keys = {name.lower() for name in headers}
        connection.putrequest(
            request.method,
            request.path_url,
            skip_host="host" in keys,
            skip_accept_encoding="accept-encoding" in keys,
        )
        if body is not None and not keys & {"content-length", "transfer-encoding"}:
            connection.putheader("Content-Length", str(len(body)))
        if "user-agent" not in keys:
            connection.putheader("User-Agent", _URLLIB3_USER_AGENT)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        answer = connection.getresponse()
        return answer, answer.read()

    def _response(
        self, request, answer: http.client.HTTPResponse, content: bytes
    ) -> requests.Response:
        # urllib3's own field dictionary (repeated fields joined with ", " under the first
        # one's spelling), built from the parsed head as urllib3's connection builds it.
        items = answer.msg.items()
        if any("\r\n" in value for _, value in items):
            # An obsolete line fold (RFC 9112, 5.2) reads as one space, in the fields and
            # in the head the cookie jar reads, as current urllib3 reads it.
            items = [(name, _OBSOLETE_FOLD.sub(" ", value)) for name, value in items]
            for name, _ in items:
                del answer.msg[name]
            for name, value in items:
                answer.msg[name] = value
        fields = urllib3.HTTPHeaderDict(items)
        headers = requests.structures.CaseInsensitiveDict(fields)
        coding = headers.get("content-encoding", "identity").strip().lower()
        if content and coding != "identity":
            decoder = urllib3.HTTPResponse(
                body=io.BytesIO(content),
                headers=fields,
                status=answer.status,
                preload_content=False,
                decode_content=True,
            )
            try:
                content = decoder.read()
            except urllib3.exceptions.DecodeError as error:
                raise requests.exceptions.ContentDecodingError(error, request=request) from None
        response = _Response()
        response.status_code = answer.status
        response.headers = headers
        response.encoding = requests.utils.get_encoding_from_headers(headers)
        response.raw = _Answered(answer)
        response.reason = answer.reason
        response.url = request.url
        response.request = request
        response.connection = self
        response._content = content
        response._content_consumed = True
        response._cookies_unread = True
        return response


def session(adapter: requests.adapters.HTTPAdapter | None = None) -> requests.Session:
    """A ``requests`` session that ignores proxy settings and speaks through
    ``adapter`` (a ``KeepAliveAdapter`` of its own when None)."""
    made = requests.Session()
    made.trust_env = False
    adapter = adapter if adapter is not None else KeepAliveAdapter()
    made.mount("http://", adapter)
    made.mount("https://", adapter)
    return made


class Client:
    """One user agent: its own cookie jar, keep-alive connections shared per target.

    ``get``/``post``/... take a path relative to the target's base URL and
    return a ``requests.Response``.  ``accept`` sets the Accept header the
    client sends by default (``None``: send none at all).
    """

    def __init__(
        self,
        base_url: str,
        recorder: Recorder,
        adapter: requests.adapters.HTTPAdapter | None,
        timeout: float,
        mirror: Mirror | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.recorder = recorder
        self.timeout = timeout
        self.id = recorder.new_client_id()
        self.session = session(adapter)
        self.mirror = mirror

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        url = self.url(path)
        asked = dict(kwargs)
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("allow_redirects", False)
        prepared = prepare(self.session, method, url, _request_args(kwargs))
        body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        exchange = Exchange(
            method, prepared.url, _explicit_headers(prepared.headers), body, self.id
        )
        self.recorder.add(exchange)
        send_args = {k: kwargs[k] for k in ("timeout", "allow_redirects") if k in kwargs}
        try:
            response = self.session.send(prepared, **send_args)
        except requests.RequestException as error:
            raise Deviation(_describe(method, url, error)) from None
        exchange.status = response.status_code
        if self.mirror is not None:
            self.mirror.request(exchange, Answer.of(response), method, path, asked)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def head(self, path: str, **kwargs) -> requests.Response:
        return self.request("HEAD", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def cookies(self) -> dict[str, str]:
        """The cookies this client would send, by name."""
        return {c.name: c.value for c in self.session.cookies}

    def close(self) -> None:
        self.session.close()


def prepare(
    session: requests.Session, method: str, url: str, args: Mapping
) -> requests.PreparedRequest:
    """What ``session.prepare_request(requests.Request(method, url, **args))`` builds,
    header for header and byte for byte (``args``: ``params``, ``data``, ``headers``,
    ``cookies``).

    For the sessions the kit makes (no auth, parameters or hooks of their own, the
    environment ignored) it skips the merge of settings they do not have: under
    requests 2.34 on Python 3.11 that merge (runtime protocol checks, a copy of the
    cookie jar) took a fifth of the client's CPU per request (2.0 ms a GET with it,
    1.6 ms without).  Any other session or argument goes through requests itself.
    """
    headers = args.get("headers")
    params = args.get("params")
    if (
        args.get("cookies")
        or session.auth
        or session.params
        or session.trust_env
        or any(session.hooks.values())
        or not isinstance(headers, (dict, type(None)))
        or not isinstance(params, (dict, type(None)))
    ):
        return session.prepare_request(requests.Request(method, url, **args))
    merged = requests.structures.CaseInsensitiveDict(session.headers)
    merged.update(headers or {})
    jar = requests.cookies.RequestsCookieJar()
    jar.update(session.cookies)
    data = args.get("data")
    prepared = requests.PreparedRequest()
    prepared.prepare(
        method=method.upper(),
        url=url,
        headers={k: v for k, v in merged.items() if v is not None},
        data=[] if data is None else data,
        params=params,
        cookies=jar,
    )
    return prepared


def _request_args(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if k in ("params", "data", "headers", "cookies")}


@dataclasses.dataclass
class RawResponse:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def raw_request(
    base_url: str,
    recorder: Recorder,
    method: str,
    target: str,
    headers: Mapping[str, str] | None,
    timeout: float,
    mirror: Mirror | None = None,
) -> RawResponse:
    """Send ``target`` as the request-target exactly as given (no normalisation of ``..``)."""
    parts = urllib.parse.urlsplit(base_url)
    exchange = Exchange(
        method, base_url.rstrip("/") + target, dict(headers or {}), None, 0, raw_path=True
    )
    recorder.add(exchange)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        raise Deviation(_describe(method, target, error)) from None
    finally:
        conn.close()
    exchange.status = response.status
    answer = RawResponse(response.status, response.headers, body)
    if mirror is not None:
        mirror.raw(exchange, Answer.of(answer), method, target, headers)
    return answer


@dataclasses.dataclass(frozen=True)
class Answer:
    """What a differential comparison looks at: status, media type, body."""

    status: int | None
    media_type: str
    body: bytes

    @classmethod
    def of(cls, response: requests.Response | RawResponse) -> Answer:
        if isinstance(response, RawResponse):
            status, headers, body = response.status, response.headers, response.body
        else:
            status, headers, body = response.status_code, response.headers, response.content
        media_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return cls(status, media_type, body)

    def to_dict(self) -> dict:
        text = self.body.decode("utf-8", "replace")
        excerpt = text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"
        return {"status": self.status, "media_type": self.media_type, "body": excerpt}


_EXCERPT = 200
#: The differing inputs a check keeps with both answers (the rest are only counted).
KEPT_DIFFERENCES = 10


class Differences:
    """The inputs of one check the target answered differently from the reference."""

    def __init__(self) -> None:
        self.kept: list[dict] = []
        self._seen: set[tuple] = set()
        self._lock = threading.Lock()

    def note(self, exchange: Exchange, differs: list[str], target: Answer, reference: Answer):
        request = urllib.parse.urlsplit(exchange.url)
        path = request.path + (f"?{request.query}" if request.query else "")
        key = (exchange.method, path, tuple(sorted(exchange.headers.items())), exchange.body)
        with self._lock:
            if key in self._seen:
                return  # the same input again (Hypothesis shrinking, a replay)
            self._seen.add(key)
            if len(self.kept) < KEPT_DIFFERENCES:
                self.kept.append(
                    {
                        "request": " ".join(
                            [exchange.method, path]
                            + [f"{k}: {v}" for k, v in exchange.headers.items()]
                            + ([f"body {exchange.body[:_EXCERPT]!r}"] if exchange.body else [])
                        ),
                        "differs": differs,
                        "target": target.to_dict(),
                        "reference": reference.to_dict(),
                    }
                )

    @property
    def count(self) -> int:
        return len(self._seen)

    def evidence(self) -> dict | None:
        """The JSON evidence of these differences (None when there are none)."""
        if not self._seen:
            return None
        return {"count": self.count, "first": list(self.kept)}


_HEXDIGITS = frozenset(string.hexdigits)


def _may_be_generated(body: bytes) -> bool:
    """Whether ``body`` could be a generated string: distinct characters of string.hexdigits.

    Such a body is random, and two short ones agree by chance (two strings of
    length 1 do so once in 22 draws), so agreement does not make it deterministic.
    """
    text = body.decode("ascii", "replace")
    return bool(text) and set(text) <= _HEXDIGITS and len(set(text)) == len(text)


class Mirror:
    """The embedded reference, sent what one client sends the target.

    Two reference clients, each with a cookie jar of its own, receive every
    request in the order the target received it, so the reference's state
    follows what the target's should be.  Status and media type are always
    compared; a body only where both answers are successes, the two reference
    clients answered it byte for byte alike and it cannot be a generated string
    (which is random; an error page is the framework's own, which no
    requirement pins).
    """

    def __init__(
        self,
        base_url: str,
        differences: Differences,
        adapter: requests.adapters.HTTPAdapter | None,
        timeout: float,
    ) -> None:
        self.differences = differences
        self.timeout = timeout
        self._clients = [Client(base_url, Recorder(), adapter, timeout) for _ in range(2)]

    def request(
        self, exchange: Exchange, target: Answer, method: str, path: str, kwargs: dict
    ) -> None:
        answers = self._answers(lambda client: client.request(method, path, **dict(kwargs)))
        self._compare(exchange, target, answers)

    def raw(
        self,
        exchange: Exchange,
        target: Answer,
        method: str,
        path: str,
        headers: Mapping[str, str] | None,
    ) -> None:
        answers = self._answers(
            lambda client: raw_request(
                client.base_url, Recorder(), method, path, headers, self.timeout
            )
        )
        self._compare(exchange, target, answers)

    def _answers(self, send) -> list[Answer]:
        """Each reference client's answer to ``send(client)`` (no answer: status None)."""
        answers = []
        for client in self._clients:
            try:
                answers.append(Answer.of(send(client)))
            except Deviation:
                answers.append(Answer(None, "", b""))
        return answers

    def _compare(self, exchange: Exchange, target: Answer, answers: list[Answer]) -> None:
        reference, again = answers
        differs = []
        if target.status != reference.status:
            differs.append("status")
        if target.media_type != reference.media_type:
            differs.append("media type")
        successes = all(a.status is not None and 200 <= a.status < 300 for a in (target, reference))
        deterministic = reference.body == again.body and not _may_be_generated(reference.body)
        if successes and deterministic and target.body != reference.body:
            differs.append("body")
        if differs:
            self.differences.note(exchange, differs, target, reference)
