"""Small local state the app remembers between runs (the chosen theme), written atomically.

A state file that cannot be read or has the wrong shape is set aside with a one-line message,
never fatal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from queue_tui.service.local_files import Shape, read_json, write_atomic

__all__ = ["UiState", "read_json", "write_atomic"]

SHAPE: Shape = {"theme": str, "reminders": dict}


class UiState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.data, self.problem = read_json(path, SHAPE)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value
        write_atomic(self.path, json.dumps(self.data, indent=2))
