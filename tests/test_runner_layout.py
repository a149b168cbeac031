"""The runner's modules are peers: no import cycle among the report layer's modules that
involves the runner, and no module of ``impact.report`` uses another's private names (the
Dask backend once called the runner's ``_make`` and ``_settle``, and the two imported each
other)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parents[1] / "src" / "impact" / "report"


def module_name(path: Path) -> str:
    parts = ("impact", "report", *path.relative_to(REPORT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in REPORT.rglob("*.py")}


def resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def imports(module: str) -> list[tuple[str, str | None, ast.AST]]:
    """(imported module, name taken from it or None, node) for every import, at any depth
    (imports inside functions count: they are cycles waiting to happen)."""
    path = MODULES[module]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = resolve(module, path, node)
            for alias in node.names:
                if f"{source}.{alias.name}" in MODULES:
                    found.append((f"{source}.{alias.name}", None, node))
                else:
                    found.append((source, alias.name, node))
    return [(target, name, node) for target, name, node in found if target in MODULES]


def graph() -> dict[str, set[str]]:
    return {m: {t for t, _name, _node in imports(m) if t != m} for m in MODULES}


def cycles_through(graph: dict[str, set[str]], prefix: str) -> list[list[str]]:
    """Every module of ``prefix`` that can reach itself again, with the path."""
    found = []
    for start in sorted(m for m in graph if m.startswith(prefix)):
        stack, seen = [(start, [start])], set()
        while stack:
            here, path = stack.pop()
            for following in graph[here]:
                if following == start:
                    found.append([*path, start])
                elif following not in seen:
                    seen.add(following)
                    stack.append((following, [*path, following]))
    return found


def test_the_runner_has_no_import_cycle():
    assert cycles_through(graph(), "impact.report.runner") == []


def test_the_cluster_backend_and_the_local_one_do_not_import_each_other():
    edges = graph()
    local, dask = "impact.report.runner.backends.local", "impact.report.runner.backends.dask"
    assert dask not in edges[local] and local not in edges[dask]


def private_uses(module: str) -> list[str]:
    """``from .x import _name`` and ``x._name`` where ``x`` is another module of the report
    layer."""
    found = []
    bound: dict[str, str] = {}
    for target, name, node in imports(module):
        if name is None:
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                if alias.asname or "." not in alias.name:
                    bound[local] = target
        elif name.startswith("_") and not name.startswith("__") and target != module:
            found.append(f"{module}: from {target} import {name}")
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{module}: {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_is_used_across_modules(module):
    assert private_uses(module) == []


def test_the_public_names_stay_where_users_import_them():
    from impact.report.runner import STATUSES, Failure, KernelError, Outcome, run

    assert callable(run) and Outcome and KernelError and Failure
    assert STATUSES == ("ok", "skipped", "failed", "invalid", "not-run")
