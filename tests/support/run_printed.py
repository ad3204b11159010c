"""Run a tutorial file exactly as printed, on a given port.

Usage: ``python run_printed.py tutNN.py PORT``

The only changes to the printed program are made through CherryPy's global
config before the file runs: ``server.socket_port`` (the tutorials use 8080),
``server.socket_host`` pinned to 127.0.0.1 (CherryPy's default too), and
``engine.autoreload.on`` off (the autoreloader would re-exec the process and
watch files for nothing). The file itself is run unchanged by
``runpy.run_path(..., run_name="__main__")``, with ``sys.argv`` and
``sys.path[0]`` set as ``python tutNN.py`` would set them. CherryPy's own
signal handling stays in place: SIGTERM stops the engine, which runs the
tutorial's ``stop`` subscribers (tutorial 9 drops its table).
"""

import os
import runpy
import sys


def main(argv: "list[str] | None" = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not args[1].isdigit():
        sys.exit("usage: run_printed.py tutNN.py PORT")
    script = os.path.abspath(args[0])
    port = int(args[1])

    import cherrypy

    cherrypy.config.update(
        {
            "server.socket_port": port,
            "server.socket_host": "127.0.0.1",
            "engine.autoreload.on": False,
        }
    )
    sys.argv = [script]
    sys.path[0] = os.path.dirname(script)
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
