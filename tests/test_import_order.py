"""Imports flow one way: notifications -> appraisal -> nightlog -> residency (STYLE.md).

Every module of the four apps and the project package is parsed with ``ast``, deferred
imports inside functions included. An earlier app never imports a later one, nor names it
in a string (``"nightlog.demo.seed"``, ``get_model("nightlog", ...)``, a template path),
and no import cycle exists between modules, deferred or not. Migrations are history and
are left out."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["residency", "nightlog", "appraisal", "notifications"]
RANK = {app: rank for rank, app in enumerate(ORDER)}
PACKAGES = [*ORDER, "tongxiang"]


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(node: ast.AST) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING")


def imports_of(module: str) -> set[str]:
    """The project modules ``module`` imports, at the top or deferred (inside functions);
    ``if TYPE_CHECKING:`` blocks aside, since they never run."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    type_only = {id(n) for block in ast.walk(tree) if _is_type_checking(block)
                 for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue  # ``if TYPE_CHECKING:`` imports never run
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node, path.name == "__init__.py")
            names = [f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                     for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def strings_naming_apps(module: str) -> list[tuple[str, str]]:
    """(app, string) for every string constant, docstrings aside, that names an app as a
    dotted path, a template folder or a ``get_model`` label."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(), filename=str(path))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            for app in ORDER:
                text = node.value
                if text == app or re.match(rf"^{app}[./:]", text):
                    found.append((app, text))
    return found


def app_of(module: str) -> str | None:
    head = module.split(".")[0]
    return head if head in RANK else None


def test_every_app_and_room_is_parsed():
    assert "residency.roster.planner" in MODULES and "notifications.tasks" in MODULES
    assert len(MODULES) > 150


@pytest.mark.parametrize("module", sorted(m for m in MODULES if app_of(m)))
def test_no_module_imports_a_later_app(module):
    mine = RANK[app_of(module)]
    later = sorted(m for m in imports_of(module) if app_of(m) and RANK[app_of(m)] > mine)
    assert later == [], f"{module} imports later app module(s) {later}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if app_of(m)))
def test_no_module_names_a_later_app_in_a_string(module):
    mine = RANK[app_of(module)]
    named = [text for app, text in strings_naming_apps(module) if RANK[app] > mine]
    assert named == [], f"{module} names a later app by string: {named}"


def test_no_template_of_an_app_includes_a_later_apps_template():
    offenders = []
    for app in ORDER:
        for path in (ROOT / "templates" / app).rglob("*.html"):
            text = path.read_text()
            for later in ORDER[RANK[app] + 1:]:
                if re.search(rf"""["']{later}/""", text) or re.search(rf"{{% load [^%]*{later}_", text):
                    offenders.append(f"{path.relative_to(ROOT)} -> {later}")
    assert offenders == []


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_cycle_finder_finds_a_cycle_and_nothing_else():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_there_is_no_import_cycle_deferred_imports_included():
    graph = {module: imports_of(module) for module in MODULES}
    assert find_cycles(graph) == []


def test_a_later_import_is_caught(tmp_path):
    """The checks can fail: a residency module importing nightlog is reported."""
    tree = ast.parse("def f():\n    from nightlog.models import Household\n")
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom))
    assert _resolve("residency.x", node, False) == "nightlog.models"
