"""The filter line under the queue (`/`): words, `is:ready`, `is:followup`; hidden when empty."""

from __future__ import annotations

from textual import on
from textual.widgets import Input


class FilterBox(Input):
    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(placeholder="Filter: words to match in key, summary, organization, assignee…", id=id)

    def on_mount(self) -> None:
        self.display = False

    @property
    def shown(self) -> bool:
        return bool(self.display)

    def open(self, text: str | None = None) -> None:
        """Show the box; with `text`, filter by it at once (the keys stay where they are)."""
        self.display = True
        if text is None:
            self.focus()
        else:
            self.value = text

    def close(self) -> bool:
        """Empty and hide the box; False when it was not shown."""
        if not self.display:
            return False
        self.value = ""
        self.display = False
        return True

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.display = False
