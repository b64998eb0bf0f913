"""The audit log: one JSON line per write the app made to Jira, with its outcome.

Lives in the state directory; the app shows it with `L`. It holds what changed, never a secret.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from queue_tui.service.gateway import WriteResult


class AuditLog:
    def __init__(self, path: Path, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.path = path
        self.clock = clock

    def __call__(self, result: WriteResult) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"at": self.clock().isoformat(timespec="seconds"), "action": result.action, "key": result.key,
                 "detail": result.detail, "ok": result.ok, "note": result.note}
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())

    def entries(self, limit: int = 500) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines()[-limit:]:
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out
