"""Serve one broken variant: ``python tests/conformance/variants/run.py NAME PORT``."""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from reference_app import server
    from tests.conformance import variants

    variant = variants.load(sys.argv[1])
    variant.deviate()
    server.serve(variant.TUTORIAL, port=int(sys.argv[2]))
