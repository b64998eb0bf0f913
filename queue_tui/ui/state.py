"""Small local state the app remembers between runs (the chosen theme), written atomically.

A corrupted state file is set aside (renamed) with a message, never fatal.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> tuple[dict[str, Any], str | None]:
    """The file's JSON object (empty when absent); a corrupt file is moved aside with a message."""
    if not path.exists():
        return {}, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return data, None
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        aside = path.with_suffix(path.suffix + ".corrupt")
        try:
            os.replace(path, aside)
        except OSError:
            pass
        return {}, f"{path.name} was unreadable ({exc}); moved it to {aside.name} and started fresh"


class UiState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.data, self.problem = read_json(path)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value
        write_atomic(self.path, json.dumps(self.data, indent=2))
