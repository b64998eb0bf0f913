"""Reply drafts, one private file per ticket, so that two copies of the app on one account never
erase each other's drafts (each change rewrites only its own ticket's file, atomically).

A draft file of the wrong shape is set aside with a one-line message. Drafts from the former
single `drafts.json` are taken over once.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

from queue_tui.service.local_files import Shape, private_dir, read_json, set_aside, write_atomic

SHAPE: Shape = {"body": str, "public": bool, "kind": str}


def _file_name(key: str) -> str:
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*-\d+", key):
        return f"{key}.json"
    return f"key-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"  # anything odd never becomes a path


class DraftStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        problems = [p for p in (self._take_over(folder.with_name(folder.name + ".json")),) if p]
        if folder.exists():
            for f in sorted(folder.glob("*.json")):
                data, problem = read_json(f, SHAPE)
                if problem is None and not all(k in data for k in SHAPE):
                    problem = set_aside(f, "is missing part of the draft")
                if problem:
                    problems.append(problem)
        self.problem = "; ".join(problems) or None

    def _path(self, key: str) -> Path:
        return self.folder / _file_name(key)

    def _take_over(self, legacy: Path) -> str | None:
        """Drafts of the single-file kind (an older version) become one file each, once."""
        if not legacy.exists():
            return None
        data, problem = read_json(legacy)
        for key, d in data.items():
            if isinstance(d, dict) and all(isinstance(d.get(k), t) for k, t in SHAPE.items()) \
                    and not self._path(key).exists():
                write_atomic(self._path(key), json.dumps(d, ensure_ascii=False))
        if problem is None:
            legacy.replace(legacy.with_name(legacy.name + ".imported"))
        return problem

    def get(self, key: str) -> dict[str, object] | None:
        data, _problem = read_json(self._path(key), SHAPE)
        return data if data and all(k in data for k in SHAPE) else None

    def save(self, key: str, body: str, public: bool, kind: str) -> None:
        private_dir(self.folder)
        data: dict[str, object] = {"body": body, "public": public, "kind": kind}
        was = self.get(key)
        if was is not None and was.get("body") == body and isinstance(was.get("sending"), str):
            data["sending"] = was["sending"]  # the same text: a send of it may still be in Jira
        write_atomic(self._path(key), json.dumps(data, ensure_ascii=False))

    def mark_sending(self, key: str, at: datetime) -> None:
        """Noted before the reply goes out: if the app never hears back (killed, answer lost), the
        next send of this draft first looks for it in Jira."""
        data = self.get(key)
        if data is not None:
            write_atomic(self._path(key), json.dumps({**data, "sending": at.isoformat()}, ensure_ascii=False))

    def sending(self, key: str) -> datetime | None:
        """When a send of this draft began without the app hearing it was done, if one did."""
        data = self.get(key) or {}
        try:
            return datetime.fromisoformat(str(data["sending"])) if isinstance(data.get("sending"), str) else None
        except ValueError:
            return None

    def drop(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
