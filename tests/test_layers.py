"""The layer rule: each lepta package imports only from the layers below it."""

import ast
from pathlib import Path

import lepta

SRC = Path(lepta.__file__).parent

# Lower layers first; a package may import from packages at its own index or before.
LAYERS = [
    ["reactive"],
    ["view", "ssr", "dom"],
    ["router", "meta", "server_fn"],
    ["server"],
    ["build"],
    ["cli"],
    ["testing"],
]
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}


def lepta_imports(source: str, package: list[str]) -> set[str]:
    """The lepta subpackages imported by `source`, a module of dotted package `package`."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names = [module] if node.module or len(base) > 1 else [
                "%s.%s" % (module, a.name) for a in node.names
            ]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "lepta" and len(parts) > 1:
                found.add(parts[1])
    return found


def imports_of(path: Path) -> set[str]:
    package = ["lepta", *path.relative_to(SRC).parts[:-1]]
    return lepta_imports(path.read_text(), package)


def test_every_lepta_package_has_a_layer():
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert packages <= set(RANK), "add %s to LAYERS" % (packages - set(RANK))


def test_each_package_imports_only_from_its_own_layer_or_below():
    problems = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if len(rel.parts) < 2 or rel.parts[0] not in RANK:
            continue
        own = RANK[rel.parts[0]]
        for imported in imports_of(path):
            if imported in RANK and RANK[imported] > own:
                problems.append("%s imports lepta.%s" % (rel, imported))
    assert problems == []


def test_the_reactive_core_imports_nothing_else_from_lepta():
    for path in (SRC / "reactive").rglob("*.py"):
        assert imports_of(path) <= {"reactive"}, path


def test_the_layer_check_sees_absolute_and_relative_imports():
    assert lepta_imports("from lepta.server import app", ["lepta", "reactive"]) == {"server"}
    assert lepta_imports("from ..view import div", ["lepta", "reactive"]) == {"view"}
    assert lepta_imports("from . import _core", ["lepta", "reactive"]) == {"reactive"}
    assert lepta_imports("from .reactive import signal", ["lepta"]) == {"reactive"}
    assert lepta_imports("import lepta.dom.mount", ["lepta", "view"]) == {"dom"}
