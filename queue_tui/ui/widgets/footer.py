"""The key line at the bottom: the keys that fit its width, in the registry's order, never cut.

Textual's footer scrolls what does not fit off the right edge, so at 100 columns the last key
read "m▏" and Help was gone. This line leaves keys out whole instead of cutting one, and always
keeps Help (which lists every key), Quit and the SOP panel's way back to the queue. It reads the screen's active bindings, as the footer
does, and redraws when they change or the width does.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widget import Widget

# Help and Quit, and the way back from the SOP panel (over the whole width of a narrow terminal
# it covers the queue: the agent must always see how to get back).
ALWAYS = ("help", "app.help", "quit", "app.quit", "back_to_queue")


class KeyLine(Widget):
    DEFAULT_CSS = """
    KeyLine { dock: bottom; height: 1; width: 1fr; background: $footer-background; color: $footer-foreground; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)

    def _changed(self, _screen: Any) -> None:
        self.refresh()

    def entries(self) -> list[tuple[str, str, bool]]:
        """(key as shown, description, always kept) for each binding the footer would show."""
        seen: set[str] = set()
        out = []
        for _node, binding, enabled, _tip in self.screen.active_bindings.values():
            if binding.show and enabled and binding.action not in seen:
                seen.add(binding.action)
                out.append((self.app.get_key_display(binding), binding.description, binding.action in ALWAYS))
        return out

    def render(self) -> Text:
        entries = self.entries()
        width = self.size.width
        budget = width - sum(len(k) + len(d) + 3 for k, d, keep in entries if keep)
        line = Text(no_wrap=True, overflow="crop")
        for key, desc, keep in entries:
            cost = len(key) + len(desc) + 3
            if not keep:
                if cost > budget:
                    continue
                budget -= cost
            line.append(f" {key} ", style="bold reverse")
            line.append(f"{desc} ")
        return line
