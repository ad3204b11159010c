"""The catalogue and the checks agree: every requirement is checked, every citation is known."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import conformance
from conformance.spec import catalogue

PACKAGE = Path(conformance.__file__).parent


class _Collector:
    def __init__(self) -> None:
        self.items = []

    def pytest_collection_modifyitems(self, items):
        self.items = list(items)


@pytest.fixture(scope="module")
def collected_checks():
    collector = _Collector()
    status = pytest.main(
        [
            "-c",
            str(PACKAGE / "pytest.ini"),
            "--rootdir",
            str(PACKAGE),
            "--collect-only",
            "-q",
            "--pyargs",
            "conformance.checks",
        ],
        plugins=[collector],
    )
    assert status == 0, f"collecting the checks failed with status {status}"
    return collector.items


def cited(items) -> dict[str, list[str]]:
    cites: dict[str, list[str]] = {}
    for item in items:
        for mark in item.iter_markers("requirement"):
            for rid in mark.args:
                cites.setdefault(rid, []).append(item.nodeid)
    return cites


def test_every_requirement_has_at_least_one_check(collected_checks):
    missing = set(catalogue.requirements()) - set(cited(collected_checks))
    assert not missing, f"requirements with no check: {sorted(missing)}"


def test_every_check_cites_only_known_requirements(collected_checks):
    unknown = set(cited(collected_checks)) - set(catalogue.requirements())
    assert not unknown, f"checks cite unknown ids: {sorted(unknown)}"


def test_every_check_cites_a_requirement(collected_checks):
    bare = [i.nodeid for i in collected_checks if not i.get_closest_marker("requirement")]
    assert not bare, f"checks that cite no requirement: {bare}"


def test_a_check_never_mixes_levels(collected_checks):
    mixed = {}
    for item in collected_checks:
        ids = [a for m in item.iter_markers("requirement") for a in m.args]
        if len({catalogue.get(r).level for r in ids}) > 1:
            mixed[item.nodeid] = ids
    assert not mixed, f"checks citing requirements of different levels: {mixed}"


def test_catalogue_entries_are_well_formed():
    data = json.loads(catalogue.CATALOGUE_FILE.read_text(encoding="utf-8"))
    ids = [e["id"] for e in data["requirements"]]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for entry in data["requirements"]:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["id"]), entry["id"]
        assert entry["level"] in catalogue.LEVELS, entry
        assert entry["tutorials"] and all(1 <= t <= 12 for t in entry["tutorials"]), entry
        assert entry["statement"].endswith("."), entry["id"]
        assert entry["source"], entry["id"]
        assert (entry["level"] == "INFO") == entry["id"].startswith("info-"), entry["id"]


def test_info_requirements_never_fail_a_run():
    info = [r for r in catalogue.requirements().values() if r.level == "INFO"]
    assert info and not any(r.binding_at("should") or r.binding_at("must") for r in info)
    assert all(r.binding_at("info") for r in info)


def _check_name(item) -> str:
    """``conformance/checks/test_rest.py::test_x`` for a collected check ``item``."""
    module = Path(item.module.__file__).relative_to(PACKAGE.parent).as_posix()
    return f"{module}::{item.originalname}"


def test_the_catalogue_names_exactly_the_checks_that_cite_each_requirement(collected_checks):
    cites: dict[str, list[str]] = {}
    for item in collected_checks:
        for mark in item.iter_markers("requirement"):
            for rid in mark.args:
                name = _check_name(item)
                if name not in cites.setdefault(rid, []):
                    cites[rid].append(name)
    wrong = {
        rid: {"catalogue": list(req.checks), "checks": sorted(cites.get(rid, []))}
        for rid, req in catalogue.requirements().items()
        if sorted(req.checks) != sorted(cites.get(rid, []))
    }
    assert not wrong, f"catalogue.json's 'checks' disagree with the @requirement marks: {wrong}"


def test_every_check_the_catalogue_names_exists():
    for req in catalogue.requirements().values():
        for name in req.checks:
            path, _, function = name.partition("::")
            source = (PACKAGE.parent / path).read_text(encoding="utf-8")
            assert f"def {function}(" in source, f"{req.id}: {name} does not exist"
