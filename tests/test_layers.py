"""The layer rule: each lepta package imports only from the layers below it."""

import ast
from pathlib import Path

import lepta

SRC = Path(lepta.__file__).parent

# Lower layers first; a package may import from packages at its own index or before.
LAYERS = [
    ["reactive"],
    ["store"],
    ["view", "ssr", "dom"],
    ["router", "meta", "server_fn", "browser"],
    ["server"],
    ["build"],
    ["cli", "dev"],
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


def core_globals() -> set[str]:
    """The reactive core's private module-level variables (the running scope, the
    tracking hook, the queue...): state only lepta.reactive may touch."""
    tree = ast.parse((SRC / "reactive" / "_core.py").read_text())
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names |= {t.id for t in targets if isinstance(t, ast.Name) and t.id.startswith("_")}
    return names


def core_global_uses(source: str, private: set[str]) -> list[str]:
    """Where `source` reads or writes one of `private` through the core module, or
    imports one; string constants (generated code) count too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in private:
            found.append(node.attr)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_core"):
            found += [a.name for a in node.names if a.name in private]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [name for name in private if "_core." + name in node.value]
    return found


def test_no_module_outside_the_reactive_core_touches_its_private_globals():
    private = core_globals()
    assert {"_scope", "_track", "_queue"} <= private
    problems = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "reactive":
            continue
        for name in core_global_uses(path.read_text(), private):
            problems.append("%s uses the core's %s" % (rel, name))
    assert problems == [], "run code under an owner with enter_scope / Owner.run instead"


def test_the_private_globals_check_sees_reads_writes_imports_and_generated_code():
    private = {"_scope"}
    assert core_global_uses("x = _core._scope", private) == ["_scope"]
    assert core_global_uses("_core._scope = None", private) == ["_scope"]
    assert core_global_uses("from ..reactive._core import _scope", private) == ["_scope"]
    assert core_global_uses("line('__lepta_core._scope = s')", private) == ["_scope"]


def test_the_server_and_the_dom_renderers_do_not_import_each_other():
    # What both must agree on (attribute, URL and escaping rules, node kinds) lives
    # in lepta.view; each renderer builds on it alone.
    for one, other in (("ssr", "dom"), ("dom", "ssr")):
        for path in (SRC / one).rglob("*.py"):
            assert other not in imports_of(path), "%s imports lepta.%s" % (path, other)
