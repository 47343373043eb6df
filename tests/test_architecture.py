"""The layering the README's architecture note promises, checked on the source itself.

index <- ingest <- assistant core <- CLI commands / TUI: imports only ever point left.
Only the index touches Chroma. Imports inside ``if TYPE_CHECKING:`` are annotations, not
dependencies, and are ignored; imports inside functions (lazy ones) count.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGES = ("index", "ingest", "assistant", "prompts")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, module: str) -> set[str]:
    """Modules ``path`` imports (absolute names), outside TYPE_CHECKING blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.rsplit(".", node.level)[0]
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _modules() -> dict[str, set[str]]:
    out = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            rel = path.relative_to(REPO).with_suffix("")
            name = ".".join(rel.parts).removesuffix(".__init__")
            out[name] = _imports(path, name)
    return out


MODULES = _modules()


def _project(names: set[str]) -> set[str]:
    """The imported names that are project modules."""
    return {n for n in names if n in MODULES}


def _offenders(prefix: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    out = {}
    for module, names in MODULES.items():
        if module == prefix or module.startswith(prefix + "."):
            bad = sorted(n for n in names if n.split(".")[0] in forbidden or n in forbidden)
            bad = [n for n in bad if any(n == f or n.startswith(f + ".") for f in forbidden)]
            if bad:
                out[module] = bad
    return out


def test_index_imports_neither_ingest_nor_assistant():
    assert _offenders("index", ("ingest", "assistant")) == {}


def test_ingest_never_imports_assistant():
    assert _offenders("ingest", ("assistant",)) == {}


def test_only_the_index_imports_chromadb():
    users = {m for m, names in MODULES.items() if any(n.startswith("chromadb") for n in names)}
    assert users and all(m.startswith("index.") for m in users), users


def test_core_never_imports_a_user_interface():
    ui = ("assistant.cli", "assistant.commands", "assistant.tui")
    core = [
        m
        for m in MODULES
        if m.startswith("assistant.") and not m.startswith(ui) and m != "assistant.__main__"
    ]
    bad = {
        m: sorted(n for n in MODULES[m] if n.startswith(ui))
        for m in core
        if any(n.startswith(ui) for n in MODULES[m])
    }
    assert bad == {}


def test_no_command_imports_another_command():
    bad = {}
    for module, names in MODULES.items():
        if module.startswith("assistant.commands."):
            others = sorted(
                n for n in _project(names) if n.startswith("assistant.commands.") and n != module
            )
            if others:
                bad[module] = others
    assert bad == {}


def test_the_chat_never_imports_the_command_line():
    bad = {
        m: sorted(n for n in names if n.startswith(("assistant.cli", "assistant.commands")))
        for m, names in MODULES.items()
        if m.startswith("assistant.tui")
        and any(n.startswith(("assistant.cli", "assistant.commands")) for n in names)
    }
    assert bad == {}


def test_no_import_cycles():
    graph = {m: _project(names) - {m} for m, names in MODULES.items()}
    # A package's __init__ importing its own submodules is not a cycle worth the name.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                walk(nxt, path + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert cycles == []
