"""The config reference in the README, generated from the config model so it cannot drift.

`python -m queue_tui.config_doc` prints it; a test checks the README holds exactly this text.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from queue_tui.config import Config


def _default(field: Any) -> str:
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel):
            return ""
    else:
        value = field.default
    return json.dumps(value) if not isinstance(value, str) else f'"{value}"'


def _rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = []
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            rows.append(f"| **[{prefix}{name}]** | | {ann.__doc__ or ''} |")
            rows += _rows(ann, f"{prefix}{name}.")
            continue
        desc = (field.description or "").replace("|", "\\|")
        rows.append(f"| `{prefix}{name}` | `{_default(field)}` | {desc} |")
    return rows


def reference() -> str:
    lines = ["| setting | default | what it does |", "|---|---|---|", *_rows(Config, "")]
    return "\n".join(lines)


if __name__ == "__main__":
    print(reference())
