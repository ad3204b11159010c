"""The import rules of ARCHITECTURE.md, enforced.

Every module of ``conformance`` is parsed (not imported); each import of
another part of the kit must be one its folder's row of the table allows.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import conformance

PACKAGE = Path(conformance.__file__).parent
ARCHITECTURE = PACKAGE.parent / "ARCHITECTURE.md"

#: What each part of the kit may import, besides itself (ARCHITECTURE.md's table).
ALLOWED: dict[str, set[str]] = {
    "spec": set(),
    "oracles": {"spec"},
    "http": set(),
    "results": {"spec", "http", "<root>"},
    "run": {"spec", "http", "results"},
    "properties": {"spec", "run.options"},
    "load": {"spec", "http"},
    "checks": {"spec", "oracles", "http", "properties", "load", "<root>"},
    "plugin": {"spec", "oracles", "http", "properties", "results", "run", "<root>"},
    "cli": {"spec", "oracles", "http", "properties", "results", "run", "plugin", "load", "<root>"},
    "<root>": set(),
    "__main__": {"cli"},
}
#: The parts that may import pytest (the rest of the core knows nothing of it).
PYTEST_IMPORTERS = {"plugin", "cli", "checks", "<root>"}
FOREIGN = {"reference_app", "cherrypy", "cheroot"}
#: The one module that may import Locust (gevent patches the process that does),
#: and that no module of the kit imports: Locust loads it in its own processes.
LOCUSTFILE = "load/locustfile.py"


def part_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    if len(relative.parts) == 1:
        return "<root>" if relative.name == "__init__.py" else relative.stem
    return relative.parts[0]


def imports(path: Path, text: str | None = None) -> list[tuple[str, int]]:
    """``(dotted name inside conformance or a top-level module, line)`` of every import."""
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                names = [module] if node.module else [f"{module}.{a.name}" for a in node.names]
            else:
                names = [node.module]
                if node.module == "conformance":
                    names = [f"conformance.{a.name}" for a in node.names]
                elif node.module and node.module.startswith("conformance."):
                    names += [f"{node.module}.{a.name}" for a in node.names]
            found += [(name, node.lineno) for name in names]
    return found


def target_of(name: str) -> str | None:
    """The part of the kit an import names, or None for anything outside it."""
    parts = name.split(".")
    if parts[0] != "conformance":
        return None
    if len(parts) == 1 or parts[1] in ("requirement", "__version__"):
        return "<root>"
    if parts[1] == "run" and len(parts) > 2 and parts[2] == "options":
        return "run.options"
    return parts[1]


MODULES = sorted(PACKAGE.rglob("*.py"))


def violations(path: Path, text: str | None = None) -> list[str]:
    """What ``path`` (its source, or ``text`` in its place) imports against the rules."""
    part = part_of(path)
    allowed = ALLOWED[part] | {part}
    if "run" in allowed:
        allowed.add("run.options")
    wrong = []
    for name, line in imports(path, text):
        target = target_of(name)
        if target is not None and target not in allowed:
            wrong.append(f"line {line}: {name} ({part} may import {sorted(ALLOWED[part])})")
        top = name.split(".")[0]
        if top == "pytest" and part not in PYTEST_IMPORTERS:
            wrong.append(f"line {line}: pytest (only {sorted(PYTEST_IMPORTERS)} may)")
        if top in FOREIGN and path.name != "embedded.py":
            wrong.append(f"line {line}: {name} (only http/embedded.py may)")
        if top in ("locust", "gevent") and path.relative_to(PACKAGE).as_posix() != LOCUSTFILE:
            wrong.append(f"line {line}: {name} (only {LOCUSTFILE} may, run by Locust itself)")
        if name.endswith("load.locustfile") or name == "conformance.load.locustfile":
            wrong.append(f"line {line}: {name} (Locust loads it; the kit never imports it)")
    return wrong


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_what_its_part_may(path):
    wrong = violations(path)
    assert not wrong, f"{path.relative_to(PACKAGE)} breaks ARCHITECTURE.md: {wrong}"


def test_every_part_of_the_kit_is_in_the_table_and_documented():
    parts = {part_of(p) for p in MODULES}
    assert parts <= set(ALLOWED), f"parts without import rules: {sorted(parts - set(ALLOWED))}"
    text = ARCHITECTURE.read_text(encoding="utf-8")
    folders = {p for p in parts if (PACKAGE / p).is_dir()}
    undocumented = [f for f in sorted(folders) if f"`{f}/`" not in text]
    assert not undocumented, f"ARCHITECTURE.md says nothing of {undocumented}"


@pytest.mark.parametrize(
    ("module", "source", "says"),
    [
        ("results/model.py", "from ..plugin import RunState\n", "conformance.plugin"),
        ("results/model.py", "import pytest\n", "pytest"),
        ("spec/catalogue.py", "from conformance.oracles import accept\n", "conformance.oracles"),
        ("properties/profiles.py", "from ..run.session import Run\n", "conformance.run.session"),
        ("checks/test_x.py", "from conformance import plugin\n", "conformance.plugin"),
        ("oracles/accept.py", "import cherrypy\n", "cherrypy"),
        ("load/scenario.py", "import locust\n", "locust"),
        ("checks/test_x.py", "from conformance.load import locustfile\n", "locustfile"),
        ("load/scenario.py", "from ..run import session\n", "conformance.run"),
    ],
)
def test_the_rules_catch_a_forbidden_import(module, source, says):
    wrong = violations(PACKAGE / module, source)
    assert wrong and says in wrong[0]


def test_the_rules_let_the_allowed_imports_through():
    assert violations(PACKAGE / "properties/profiles.py", "from ..run.options import X\n") == []
    assert violations(PACKAGE / "checks/test_x.py", "from conformance import requirement\n") == []
    assert violations(PACKAGE / "http/embedded.py", "import cherrypy\n") == []


#: The documents a newcomer reads, and the paths of the kit's files they name.
DOCUMENTS = ("README.md", "ARCHITECTURE.md", "tests/README.md")
NAMED_PATH = re.compile(r"`((?:conformance|reference_app|tools|bench|tests)/[\w/]+\.(?:py|json))`")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_file_the_documents_name_exists(document):
    # A module moved to another folder leaves its old path in the prose.
    root = PACKAGE.parent
    named = set(NAMED_PATH.findall((root / document).read_text(encoding="utf-8")))
    assert named, f"{document} names no file of the kit: the pattern is wrong"
    missing = sorted(p for p in named if not (root / p).exists())
    assert not missing, f"{document} names files that do not exist: {missing}"
