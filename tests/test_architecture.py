"""The layering the README's architecture note promises, checked on the source itself.

index <- ingest <- assistant core <- CLI commands / TUI: imports only ever point left.
Only the index touches Chroma. Imports inside ``if TYPE_CHECKING:`` are annotations, not
dependencies, and are ignored; imports inside functions (lazy ones) count.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGES = ("vocab", "index", "ingest", "assistant", "prompts")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, module: str, annotations: bool = False) -> set[str]:
    """Modules ``path`` imports (absolute names), outside TYPE_CHECKING blocks unless
    ``annotations``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node) and not annotations:
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


def _paths() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            rel = path.relative_to(REPO).with_suffix("")
            out[".".join(rel.parts).removesuffix(".__init__")] = path
    return out


PATHS = _paths()


def _modules(annotations: bool = False) -> dict[str, set[str]]:
    return {name: _imports(path, name, annotations) for name, path in PATHS.items()}


MODULES = _modules()
WITH_ANNOTATIONS = _modules(annotations=True)


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


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles in ``graph`` (module -> the project modules it imports)."""
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
    return cycles


def test_no_import_cycles():
    graph = {m: _project(names) - {m} for m, names in MODULES.items()}
    # A package's __init__ importing its own submodules is not a cycle worth the name.
    assert _cycles(graph) == []


def test_no_import_cycles_even_in_annotations():
    """``if TYPE_CHECKING`` imports included: a cycle hidden there is still a tangle. A
    package's face importing its own modules is not a cycle (they never import the face)."""

    def own(src: str, dst: str) -> bool:
        return PATHS[src].name == "__init__.py" and dst.startswith(src + ".")

    graph = {
        m: {n for n in _project(names) if n != m and not own(m, n)}
        for m, names in WITH_ANNOTATIONS.items()
    }
    assert _cycles(graph) == []


def test_outside_code_uses_the_index_face():
    """Only ``index`` modules import ``index.<module>``; everyone else imports the face."""
    bad = {
        m: sorted(n for n in names if n.startswith("index.") and n.split(".")[1] in _INDEX_MODS)
        for m, names in WITH_ANNOTATIONS.items()
        if not (m == "index" or m.startswith("index."))
    }
    assert {m: names for m, names in bad.items() if names} == {}


_INDEX_MODS = {p.stem for p in (REPO / "index").glob("*.py") if p.stem != "__init__"}


def test_the_vocabulary_depends_on_nothing_of_ours():
    assert {
        n.split(".")[0]
        for m in PATHS
        if m.startswith("vocab")
        for n in _project(WITH_ANNOTATIONS[m])
    } <= {"vocab"}


def _calls_named(path: Path, name: str) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def test_answers_are_made_only_in_the_answering_package():
    """``Answer(...)`` is called only in ``assistant.answering``; elsewhere an answer comes
    from the engine or one of its named constructors (``Answer.failed``, ``from_json``…)."""
    bad = {
        m: lines
        for m, path in PATHS.items()
        if not m.startswith("assistant.answering") and (lines := _calls_named(path, "Answer"))
    }
    assert bad == {}


def test_no_module_reads_per_call_data_off_a_shared_client():
    """How a model call ended is that call's ``Reply``, never a client's ``last_stats``."""
    users = [m for m, path in PATHS.items() if "last_stats" in path.read_text(encoding="utf-8")]
    assert users == []


def test_modules_stay_readable_and_the_assistant_top_level_small():
    long = {m: n for m, p in PATHS.items() if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}
    top = sorted(p.stem for p in (REPO / "assistant").glob("*.py") if p.stem != "__init__")
    assert len(top) <= 20, top


def test_every_import_of_ours_names_a_module_that_exists():
    """A module moved without its importers updated fails here at once (mypy, with
    ``ignore_missing_imports``, would let ``from index.textfold import fold`` pass)."""
    ours = {p.split(".")[0] for p in PACKAGES}
    bad: dict[str, list[str]] = {}
    for module, path in PATHS.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                wanted = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                # ``from pkg import name``: name may be a module of pkg or a name in it
                wanted = [node.module]
            else:
                continue
            missing = [w for w in wanted if w.split(".")[0] in ours and w not in PATHS]
            if missing:
                bad.setdefault(module, []).extend(missing)
    assert bad == {}


def _value_classes(path: Path) -> list[ast.ClassDef]:
    """The dataclasses (frozen or not) and the classes deriving from the paper declaration."""

    def dataclass_like(node: ast.ClassDef) -> bool:
        named = [ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list]
        bases = [ast.unparse(b) for b in node.bases]
        return any(n.endswith("dataclass") for n in named) or bool(bases)

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and dataclass_like(n)]


def test_no_value_redeclares_a_papers_metadata():
    """A paper's fields are declared once (``vocab.paper.PaperFields``): a value class
    anywhere else that carries them (frozen or mutable, the ingest's record included)
    derives from it rather than declaring its title and two or more other fields again. A
    question's filters (``authors``, ``doi``, ``language``, no title) are not a paper; a
    ``Protocol`` naming what a view reads is not a value."""
    from vocab.paper import PaperFields

    declared = {
        line.target.id
        for cls in ast.parse((REPO / "vocab" / "paper.py").read_text()).body
        if isinstance(cls, ast.ClassDef) and cls.name == PaperFields.__name__
        for line in cls.body
        if isinstance(line, ast.AnnAssign) and isinstance(line.target, ast.Name)
    }
    bad = {}
    for module, path in PATHS.items():
        for cls in _value_classes(path):
            if module == "vocab.paper" and cls.name == PaperFields.__name__:
                continue
            if any(ast.unparse(b).endswith("Protocol") for b in cls.bases):
                continue
            again = sorted(
                s.target.id
                for s in cls.body
                if isinstance(s, ast.AnnAssign)
                and isinstance(s.target, ast.Name)
                and s.target.id in declared
            )
            if "title" in again and len(again) >= 3:
                bad[f"{module}.{cls.name}"] = again
    assert len(declared) >= 9 and bad == {}


def test_exit_codes_live_at_the_command_line_edge():
    """Only ``assistant.exits`` says which exit code an error means: no error class sets an
    ``exit_code`` and no other module defines the codes, so the layers that raise errors
    never depend on the command line."""
    from assistant import exits

    codes = {name for name in vars(exits) if name.startswith("EXIT_")}
    bad: dict[str, list[str]] = {}
    for module, path in PATHS.items():
        if module == "assistant.exits":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for t in targets:
                if isinstance(t, ast.Name) and (t.id in codes or t.id == "exit_code"):
                    bad.setdefault(module, []).append(t.id)
    assert codes and bad == {}
