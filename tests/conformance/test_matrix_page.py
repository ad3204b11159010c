"""The comparison matrix as a teacher sees it: in a real browser, with 3 and with 30 columns.

The results are built from checks of every outcome (the page is what is
tested, not the runs); the page is opened from a file in headless Chromium,
screenshotted into the test's folder (``matrix-3.png``, ``matrix-30.png``),
and must fit the window, show a symbol in every cell, and open a cell's details
without any script.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conformance.results import html
from conformance.results.model import Check, Result
from conformance.run import status
from conformance.spec import catalogue

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARGS += ["--disable-component-update", "--disable-sync", "--no-first-run"]
OUTCOMES = ("pass",) * 12 + ("fail", "error", "skip")


def results(count: int) -> list[Result]:
    draw = random.Random(count)
    made = []
    for n in range(count):
        checks = [
            Check(f"test_{r.id}", [r.id], t, draw.choice(OUTCOMES), message=f"{r.id} said no")
            for r in catalogue.requirements().values()
            for t in r.tutorials
        ]
        made.append(
            Result.build(
                checks,
                range(1, 13),
                {"kind": "command", "name": f"student-{n + 1:02d}", "command": f"python s{n}.py"},
                "should",
                0.0,
                1.0,
                conclude=lambda failures: status.conclude(0, None, failures),
                known={
                    (r.id, r.tutorials[0]): "accepted"
                    for r in list(catalogue.requirements().values())[:3]
                },
            )
        )
    return made


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium not found: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.mark.parametrize("columns", [3, 30])
def test_the_matrix_fits_the_window_and_reads_without_colour(browser, tmp_path, columns):
    page_file = tmp_path / f"matrix-{columns}.html"
    page_file.write_text(html.render(results(columns)), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(page_file.as_uri())
    shot = tmp_path / f"matrix-{columns}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 1000
    assert page.evaluate("document.documentElement.scrollWidth") <= 1600
    headers = page.locator("th.impl").all_inner_texts()
    assert headers == [f"student-{n + 1:02d}" for n in range(columns)]
    verdicts = page.locator("table").first.locator("tbody tr").count()
    assert verdicts == columns
    cells = page.locator("td.cell").all_inner_texts()
    assert cells and all(text.strip() for text in cells)
    assert set("".join(cells)) >= {"✓", "✗", "!"}
    failing = page.locator("td.cell.fail details").first
    failing.locator("summary").click()
    assert failing.get_attribute("open") is not None
    assert "said no" in failing.inner_text()
    assert "<script" not in page_file.read_text(encoding="utf-8")
    page.close()
    Path(shot).replace(tmp_path / shot.name)


def test_a_run_that_judged_nothing_reads_not_run_not_a_must_failure():
    # Without a browser: the verdict table's words for a cell that cannot run
    # (the version matrix's "cannot run: ..." columns) against one that failed.
    def made(name: str, outcome: str, fatal: str | None) -> Result:
        checks = [] if fatal else [Check("test_root", ["root-hello"], 1, outcome)]
        return Result.build(
            checks,
            [1],
            {"kind": "command", "name": name, "command": f"python {name}.py"},
            "should",
            0.0,
            1.0,
            conclude=lambda failures: status.conclude(0 if checks else 2, fatal, failures),
        )

    page = html.render([made("broken", "fail", None), made("absent", "skip", "cannot run: x")])
    broken, absent = page.split("<th>broken</th>")[1], page.split("<th>absent</th>")[1]
    assert "✗ MUST" in broken.split("</tr>")[0] and "1 binding failure(s)" in broken
    row = absent.split("</tr>")[0]
    assert "not run" in row and "not judged" in row and "✗ MUST" not in row, row
