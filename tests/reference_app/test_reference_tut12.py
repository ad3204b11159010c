"""Tutorial 12: its CPWebCase test module passes, in a pytest process of its own."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


@pytest.mark.slow
def test_the_tutorial_12_test_module_passes_in_its_own_pytest():
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            str(HERE / "test_tut12.py"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "3 passed" in completed.stdout  # test_index, test_generate and CPWebCase's test_gc


def test_the_tutorial_12_test_module_is_not_collected_with_the_others(request):
    names = {item.path.name for item in request.session.items}
    assert "test_tut12.py" not in names
