"""The house stays small enough to find one's way: no module over 400 lines, no screen (or app)
class over 250, the main App at most 150. Checked by reading the source, as a reviewer would."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "queue_tui"
SCREEN_BASES = {"Screen", "ModalScreen", "App", "QueueView"}


def _bases(node: ast.ClassDef) -> set[str]:
    out = set()
    for b in node.bases:
        base = b.value if isinstance(b, ast.Subscript) else b
        if isinstance(base, ast.Name):
            out.add(base.id)
        elif isinstance(base, ast.Attribute):
            out.add(base.attr)
    return out


def sizes(root: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Lines per module, and lines per screen or app class ("module:Class")."""
    modules, classes = {}, {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text()
        rel = str(path.relative_to(root.parent))
        modules[rel] = len(text.splitlines())
        for node in ast.parse(text).body:
            if isinstance(node, ast.ClassDef) and (_bases(node) & SCREEN_BASES or node.name.endswith(("App", "Screen"))):
                classes[f"{rel}:{node.name}"] = (node.end_lineno or node.lineno) - node.lineno + 1
    return modules, classes


def test_no_module_over_400_lines_no_screen_over_250_and_a_small_app() -> None:
    modules, classes = sizes(ROOT)
    assert {m: n for m, n in modules.items() if n > 400} == {}
    assert {c: n for c, n in classes.items() if n > 250} == {}
    assert classes["queue_tui/ui/app.py:QueueApp"] <= 150


def test_an_oversized_screen_is_caught(tmp_path: Path) -> None:
    pkg = tmp_path / "queue_tui"
    pkg.mkdir()
    body = "\n".join(f"    x{n} = {n}" for n in range(260))
    (pkg / "big.py").write_text(f"class Big(ModalScreen[str]):\n{body}\n")
    modules, classes = sizes(pkg)
    assert classes == {"queue_tui/big.py:Big": 261} and modules == {"queue_tui/big.py": 261}
