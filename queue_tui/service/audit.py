"""The audit log: one JSON line per write the app made to Jira, with its outcome.

Lives in the state directory; the app shows it with `L`. It holds what changed, never a secret.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from queue_tui.service.gateway import WriteResult
from queue_tui.service.local_files import append_line


class AuditLog:
    def __init__(self, path: Path, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.path = path
        self.clock = clock

    def __call__(self, result: WriteResult) -> None:
        entry = {"at": self.clock().isoformat(timespec="seconds"), "action": result.action, "key": result.key,
                 "detail": result.detail, "ok": result.ok, "note": result.note}
        append_line(self.path, json.dumps(entry, ensure_ascii=False) + "\n")  # 0600 in a 0700 folder

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
