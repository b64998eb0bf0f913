"""The app reaches Textual through its public API only: none of the private Textual names it once
used (or that Textual's table and app are known to keep) appears anywhere in the package."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "queue_tui"

# Private names of Textual's App, DataTable and ScrollView that a subclass or caller is tempted by.
PRIVATE = ("_handle_exception", "_fatal_error", "_exception", "_exit_renderables", "_return_code", "_driver",
           "_render_cell", "_clear_caches", "_data", "_y_offsets", "_update_dimensions", "_row_locations")
_PATTERN = re.compile(r"\b(" + "|".join(PRIVATE) + r")\b")


def uses(root: Path = PACKAGE) -> list[str]:
    """One line per line of code that names a private Textual attribute."""
    return [f"{path.relative_to(root.parent)}:{n}: {line.strip()}"
            for path in sorted(root.rglob("*.py"))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if _PATTERN.search(line)]


def test_no_private_textual_attribute_appears_in_the_code() -> None:
    assert uses() == []


@pytest.mark.parametrize("line", [
    "driver = app._driver",
    "    def _handle_exception(self, error: Exception) -> None:",
    "rows = self._data[key]",
    "self._clear_caches()",
])
def test_a_private_name_is_caught_and_a_name_that_only_contains_one_is_not(tmp_path: Path, line: str) -> None:
    root = tmp_path / "queue_tui"
    root.mkdir()
    (root / "planted.py").write_text(f"{line}\nlending_driver = my_data = clear_caches_now = None\n", encoding="utf-8")
    assert uses(root) == [f"queue_tui/planted.py:1: {line.strip()}"]
