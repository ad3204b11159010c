"""Reproductions: what a failed check sent, as commands a person can paste.

Two forms of the same exchanges, curl lines (one cookie jar per client) and a
short ``requests`` script (one ``Session`` per client), and the kit command
that re-runs the failed check alone.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from ..http.client import Exchange


def curl(exchanges: Sequence[Exchange]) -> str:
    """curl commands that send the same requests in the same order."""
    lines = []
    for ex in exchanges:
        args = ["curl", "-sS", "-i"]
        if ex.raw_path:
            args.append("--path-as-is")
        if ex.method == "HEAD":
            args.append("-I")
        elif ex.method != "GET" or ex.body is not None:
            args += ["-X", ex.method]
        if ex.client:
            jar = f"jar{ex.client}.txt"
            args += ["-b", jar, "-c", jar]
        for name, value in ex.headers.items():
            args += ["-H", f"{name}: {value}"]
        if ex.body is not None:
            args += ["--data-binary", ex.body.decode("utf-8", "backslashreplace")]
        elif ex.method in ("POST", "PUT"):
            # A bodiless POST/PUT still needs a Content-Length for some servers.
            args += ["--data-binary", ""]
        args.append(ex.url)
        lines.append(" ".join(shlex.quote(a) for a in args))
    return "\n".join(lines)


def python(exchanges: Sequence[Exchange]) -> str:
    """A ``requests`` script that sends the same requests and prints each answer."""
    out = ["import http.client", "import requests", ""]
    clients = sorted({ex.client for ex in exchanges if ex.client})
    for c in clients:
        out += [f"s{c} = requests.Session()", f"s{c}.trust_env = False"]
    for ex in exchanges:
        if ex.raw_path:
            host_url, _, path = ex.url.partition("//")[2].partition("/")
            host, _, port = host_url.partition(":")
            out += [
                f"c = http.client.HTTPConnection({host!r}, {int(port or 80)}, timeout=10)",
                f"c.putrequest({ex.method!r}, {'/' + path!r}, skip_accept_encoding=True)",
                *(f"c.putheader({k!r}, {v!r})" for k, v in ex.headers.items()),
                "c.endheaders()",
                "r = c.getresponse()",
                "print(r.status, r.getheader('Content-Type'), r.read()[:200])",
            ]
            continue
        args = [repr(ex.method), repr(ex.url)]
        if ex.headers:
            args.append(f"headers={ex.headers!r}")
        if ex.body is not None:
            args.append(f"data={ex.body!r}")
        args += ["timeout=10", "allow_redirects=False"]
        out += [
            f"r = s{ex.client}.request({', '.join(args)})",
            "print(r.status_code, r.headers.get('Content-Type'), r.text[:200])",
        ]
    return "\n".join(out) + "\n"


def rerun(tutorial: int, target_args: Sequence[str], check: str) -> str:
    """The kit command that runs the failed check again against the same kind of target."""
    args = ["python", "-m", "conformance", "run", "--tutorial", str(tutorial), *target_args]
    return " ".join(shlex.quote(a) for a in args) + " -- -k " + shlex.quote(check)


def reproduction(
    exchanges: Sequence[Exchange], tutorial: int, target_args: Sequence[str], check: str
) -> dict[str, str]:
    """Every form: the check re-run by the kit, and (when it sent any) its requests."""
    forms = {"rerun": rerun(tutorial, target_args, check)}
    if exchanges:
        forms |= {"curl": curl(exchanges), "python": python(exchanges)}
    return forms
