"""Settings shared by every test run from the repository root, and the coverage floors."""

from __future__ import annotations

import io
import os

import pytest

# cheroot's webtest prompts on stdin after a failed assertion (a hang under -s).
os.environ.setdefault("WEBTEST_INTERACTIVE", "false")

#: Per package, the least share of lines and branches the README's test command
#: accepts (pytest-cov's --cov-fail-under knows only the total).  They apply
#: whenever --cov-fail-under is set above 0, as the README's command sets it.
COVERAGE_FLOORS = {"reference_app": 100.0, "conformance": 95.0}


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtestloop(session: pytest.Session):
    # Outside pytest-cov's own wrapper: when this resumes, it has combined the
    # data of every process (subprocess servers and CLI runs included).
    yield
    plugin = session.config.pluginmanager.getplugin("_cov")
    controller = getattr(plugin, "cov_controller", None)
    if controller is None or getattr(session.config, "workerinput", None) is not None:
        return
    if session.config.option.collectonly:
        return
    if not getattr(session.config.option, "cov_fail_under", None):
        return
    reporter = session.config.pluginmanager.getplugin("terminalreporter")
    for package, floor in COVERAGE_FLOORS.items():
        try:
            total = controller.cov.report(include=[f"{package}/*"], file=io.StringIO())
        except Exception:  # coverage.exceptions.NoDataError: nothing of it ran
            total = 0.0
        if total < floor:
            reporter.write(
                f"\nERROR: coverage of {package} is {total:.2f} %, below its floor of {floor:g} %\n",
                red=True,
                bold=True,
            )
            session.testsfailed += 1
