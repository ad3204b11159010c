"""Command line: ``python -m reference_app list`` and
``python -m reference_app serve N [--host H] [--port P] [--production] [--db PATH]``.

Bad input (an unknown tutorial, a bad port, ``--db`` for a tutorial without
a database, an address that cannot be bound, a database file SQLite cannot
use) prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from typing import NoReturn

from . import TITLES, server

__all__ = ["main"]

PROG = "python -m reference_app"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {message}\n")


def _decimal(text: str) -> bool:
    return text.isascii() and text.isdecimal()


def _tutorial(text: str) -> int:
    if _decimal(text) and int(text) in TITLES:
        return int(text)
    raise argparse.ArgumentTypeError(f"unknown tutorial {text!r}: choose 1 to 12")


def _port(text: str) -> int:
    if _decimal(text) and int(text) <= 65535:
        return int(text)
    raise argparse.ArgumentTypeError(f"invalid port {text!r}: give an integer from 0 to 65535")


def _parser() -> _Parser:
    parser = _Parser(prog=PROG, description="The CherryPy tutorials as runnable applications.")
    commands = parser.add_subparsers(dest="command", metavar="{list,serve}", required=True)
    commands.add_parser("list", help="print each tutorial's number and title")
    serve = commands.add_parser("serve", help="serve one tutorial until SIGTERM or Ctrl-C")
    serve.add_argument("number", type=_tutorial, metavar="N", help="the tutorial, 1 to 12")
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    serve.add_argument("--port", type=_port, default=8080, help="default: 8080; 0: any free port")
    serve.add_argument("--production", action="store_true", help="no tracebacks in error pages")
    serve.add_argument(
        "--db",
        dest="db_path",
        metavar="PATH",
        help="SQLite file of tutorials 9-11 (default: a temporary file, removed at exit)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "list":
        for number, title in TITLES.items():
            print(f"{number:>2}  {title}")
        return 0
    options = {}
    if args.db_path is not None:
        if args.number not in server.DATABASE_TUTORIALS:
            parser.error(f"tutorial {args.number} has no database: --db is for tutorials 9 to 11")
        options["db_path"] = args.db_path
    try:
        server.serve(args.number, args.host, args.port, args.production, **options)
    except (OSError, sqlite3.Error) as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
