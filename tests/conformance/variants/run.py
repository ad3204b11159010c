"""Serve one broken variant: ``python tests/conformance/variants/run.py NAME PORT``."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

if __name__ == "__main__":
    # Temporary files (a database tutorial's folder for my.db) go in the folder the
    # run started this command in, which the kit's test owns and removes: a crash
    # check's SIGKILL skips the server's own clean-up, and left them in /tmp.
    tempfile.tempdir = os.getcwd()
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from reference_app import server
    from tests.conformance import variants

    variant = variants.load(sys.argv[1])
    variant.deviate()
    server.serve(variant.TUTORIAL, port=int(sys.argv[2]))
