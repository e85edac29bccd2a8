"""The package's modules import one another without going round in a circle.

The graph is built from the source with :mod:`ast`: an edge for every import that runs
when a module is imported (at its top level, or in a ``try``/``if`` there), none for an
import inside a function or under ``if TYPE_CHECKING:``. Importing ``a.b.c`` runs the
``__init__`` of ``a`` and ``a.b`` too, so an import of a submodule is also an edge to each
package above it (except the importer's own packages, which are loaded already).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from conftest import EXAMPLES

import indigo_standard

PACKAGE = Path(indigo_standard.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.Module, deferred: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run when the module is imported, and with ``deferred`` those in its
    functions and classes too (which run when they are called)."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if deferred or isinstance(node, ast.ClassDef):
                pending.extend(node.body)
        elif isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name != "TYPE_CHECKING":
                pending.extend(node.body)
            pending.extend(node.orelse)
        elif isinstance(node, ast.Try):
            pending.extend([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                pending.extend(handler.body)
        elif isinstance(node, (ast.With, ast.For, ast.While)):
            pending.extend(node.body)


def import_graph(deferred: bool = False) -> dict[str, set[str]]:
    """Each module of the package, with the modules of the package its import runs (with
    ``deferred``: that it may import at any time, in a function too)."""
    files = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _imports(tree, deferred):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = name.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    origin = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    origin = node.module or ""
                targets = [origin, *(f"{origin}.{alias.name}" for alias in node.names)]
            for target in targets:
                parts = target.split(".")
                for end in range(1, len(parts) + 1):
                    wanted = ".".join(parts[:end])
                    if wanted in files and wanted != name and not name.startswith(wanted + "."):
                        graph[name].add(wanted)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_graph_sees_the_imports_it_should() -> None:
    graph = import_graph()
    assert len(graph) > 50
    # a relative import of a name, of a submodule, and the package above the module imported
    assert "indigo_standard.reading.records" in graph["indigo_standard.flat.reader"]
    assert "indigo_standard.reading" in graph["indigo_standard.flat.reader"]
    assert "indigo_standard.writing.atomic" in graph["indigo_standard.flat.writer"]
    # imports inside a function or for type checking only are not edges
    assert "indigo_standard.flat.sources" not in graph["indigo_standard.reading.inputs"]
    assert "indigo_standard.reading.inputs" not in graph["indigo_standard.reading"]


def test_cycles_are_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_module_imports_itself_round_a_circle() -> None:
    assert cycles(import_graph()) == []


def _package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_no_circle_between_packages_even_through_imports_in_functions() -> None:
    """An import inside a function breaks no circle, it only hides it: ``reading`` once imported
    ``flat`` in its functions while ``flat`` imported ``reading``, tying 19 modules of ``reading``,
    ``flat``, ``checks`` and ``validation`` together. A circle may remain inside one package."""
    graph = import_graph(deferred=True)
    assert graph["indigo_standard.reading.inputs"] >= {"indigo_standard.flat.sources"}
    across = [group for group in cycles(graph) if len({_package_of(name) for name in group}) > 1]
    assert across == []


def test_flat_reads_through_records_and_files_only() -> None:
    """``flat`` may use what a record is and how a file is opened, never the input dispatcher."""
    graph = import_graph(deferred=True)
    flat = [name for name in graph if name.startswith("indigo_standard.flat")]
    used = {target for name in flat for target in graph[name] if target.startswith("indigo_standard.reading")}
    assert flat and used
    allowed = {"indigo_standard.reading", "indigo_standard.reading.records", "indigo_standard.reading.files"}
    assert used <= allowed
    # and the package itself imports none of its modules (it finds its names on first use)
    assert graph["indigo_standard.reading"] == {"indigo_standard.lazy"}
    assert graph["indigo_standard.lazy"] == set()


def test_validating_json_loads_no_spreadsheet_reader() -> None:
    """``validate`` on JSON starts without the flat readers and writers, or openpyxl: only
    :mod:`indigo_standard.reading.inputs` knows them, and imports them for flat input only."""
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "indigo_standard",
            "validate",
            str(EXAMPLES / "project.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = {
        line.rpartition("|")[2].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert {"indigo_standard.reading.inputs", "indigo_standard.reading.json_input"} <= loaded
    heavy = {
        "openpyxl",
        "indigo_standard.flat.sources",
        "indigo_standard.flat.xlsx",
        "indigo_standard.writing.convert",
    }
    assert loaded & heavy == set()
