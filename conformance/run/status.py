"""The exit status of a run, decided in one place.

``0`` every selected check at or above the level passed; ``1`` one of them
failed; ``2`` the run could not be made (a usage error, an unusable target,
no check selected, the run timeout, an interruption, a kit crash).  The JSON
report's ``exit_status`` and the process's exit code both come from
``conclude``, so they cannot disagree.
"""

from __future__ import annotations

PASSED = 0
FAILED = 1
UNUSABLE = 2

INTERRUPTED = "the run was interrupted"

#: pytest's exit codes that mean "the run itself could not be made", and what to say.
_PYTEST_UNUSABLE = {
    2: INTERRUPTED,
    3: "internal error in pytest or the kit; please report it",
    4: "pytest usage error (see the message above)",
    5: "no check matched the selection; check the -k/-m expression and --tutorial",
}


def conclude(
    pytest_status: int, fatal: str | None, binding_failures: int
) -> tuple[int, str | None]:
    """The run's exit status and, when it is 2, the one line that says why.

    ``fatal`` is what the kit already knows went wrong (an unusable target,
    the run timeout); it wins over what pytest's status says.
    """
    if fatal is not None:
        return UNUSABLE, fatal
    reason = _PYTEST_UNUSABLE.get(int(pytest_status))
    if reason is not None:
        return UNUSABLE, reason
    return (FAILED if binding_failures else PASSED), None
