"""Playbook files: the default pack shipped with the app, then the team's own directory.

Reads each `*.toml` and hands its text to `queue_tui.core.playbook.parse_playbook`. A broken
file is reported (file, line, problem) and the others still load; a team file with the same id
as a pack file replaces it.
"""

from __future__ import annotations

from pathlib import Path

from queue_tui.core.playbook import Playbook, PlaybookError, parse_playbook

PACK = Path(__file__).resolve().parents[1] / "playbooks"


def playbook_dirs(config_dir: Path) -> list[Path]:
    """The default pack, then the team's own directory (which adds or overrides by id)."""
    return [PACK, config_dir / "playbooks"]


def load_dir(directory: Path) -> tuple[list[Playbook], list[str]]:
    out: list[Playbook] = []
    problems: list[str] = []
    if not directory.is_dir():
        return out, problems
    for path in sorted(directory.glob("*.toml")):
        try:
            out.append(parse_playbook(path.read_text(encoding="utf-8"), str(path)))
        except PlaybookError as exc:
            problems.append(str(exc))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: cannot read: {exc}")
    return out, problems


def load_all(dirs: list[Path]) -> tuple[dict[str, Playbook], list[str]]:
    """Playbooks from each directory in order; a later one with the same id overrides."""
    books: dict[str, Playbook] = {}
    problems: list[str] = []
    for d in dirs:
        found, probs = load_dir(d)
        problems += probs
        for pb in found:
            books[pb.id] = pb
    return books, problems
