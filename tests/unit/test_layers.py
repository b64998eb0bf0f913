"""The layers point down (ui -> service -> core; the simulator on its own), checked on every
import statement of the package, type-only and function-level ones included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "queue_tui"

# (modules under, may import nothing of these)
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("queue_tui.core", ("textual", "httpx", "jira", "rich", "queue_tui.service", "queue_tui.ui", "queue_tui.sandbox",
                        "queue_tui.config", "queue_tui.cli", "queue_tui.doctor")),
    ("queue_tui.service", ("textual", "queue_tui.ui", "queue_tui.sandbox", "queue_tui.cli", "queue_tui.doctor")),
    ("queue_tui.ui", ("httpx", "jira", "queue_tui.sandbox")),
    ("queue_tui.doctor", ("queue_tui.ui", "textual")),
]


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, relative ones resolved."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{a.name}") for a in node.names]  # `from queue_tui import ui`
    return out


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def violations(root: Path = PACKAGE) -> list[str]:
    """One line per import statement that points the wrong way."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        for line, imported in imports(path, root):
            banned = [b for layer, bs in RULES if within(name, layer) for b in bs]
            if within(name, "queue_tui.sandbox"):  # the simulator shares nothing with the app
                banned += ["queue_tui"] if not within(imported, "queue_tui.sandbox") else []
            if any(within(imported, b) for b in banned):
                found.setdefault(f"{name}:{line}", f"{name}:{line} imports {imported}")
    return sorted(found.values())


def test_every_layer_imports_only_what_is_below_it() -> None:
    assert violations() == []


@pytest.mark.parametrize(("layer", "statement"), [
    ("core", "from textual.widget import Widget"),
    ("core", "import rich.text"),
    ("core", "from queue_tui.service.gateway import Gateway"),
    ("core", "from ..ui import app"),
    ("service", "from queue_tui.ui.app import QueueApp"),
    ("service", "from textual import work"),
    ("ui", "import httpx"),
    ("sandbox", "from queue_tui.core.sla import remaining"),
])
def test_an_upward_import_is_caught(tmp_path: Path, layer: str, statement: str) -> None:
    """The check finds a planted import, inside a function too, in a copy of the package layout."""
    root = tmp_path / "queue_tui"
    (root / layer).mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / layer / "__init__.py").write_text("")
    (root / layer / "planted.py").write_text(f"def later() -> None:\n    {statement}\n", encoding="utf-8")
    assert [v.split(" imports ")[0] for v in violations(root)] == [f"queue_tui.{layer}.planted:2"]
