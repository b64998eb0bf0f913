"""The command palette (`ctrl+p`): the registry's commands that the current state allows.

What is offered follows the keys: the focused widget's commands (the SOP panel's when it has the
keys), the screen's, then the app's, each only when its `when` holds (no "Assign to me" without
a selected ticket, no "Clear filter" without a filter).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

from queue_tui.ui.commands import Command, in_scope, key_text, scope_of


def focus_chain(screen: Screen[Any]) -> list[DOMNode]:
    """The nodes a key press reaches, most specific first: focused widget, its ancestors, the
    screen, the app."""
    start: DOMNode = screen.focused if screen.focused is not None else screen
    chain = list(start.ancestors_with_self)
    if screen.app not in chain:
        chain.append(screen.app)
    return chain


def offered(screen: Screen[Any]) -> list[tuple[DOMNode, Command]]:
    """(owner, command) for every command the palette offers on `screen` now."""
    out: list[tuple[DOMNode, Command]] = []
    for node in focus_chain(screen):
        scope = scope_of(node)
        if scope is None:
            continue
        out += [(node, c) for c in in_scope(scope) if c.available(node)]
    return out


def keymap_of(app: object) -> dict[str, str]:
    """The agent's `[ui] keymap` when the app has one (the queue app does; `init` does not)."""
    keymap = getattr(app, "keymap", None)
    return dict(keymap) if isinstance(keymap, dict) else {}


class CommandsHere(Provider):
    """Offers the registry's commands by their description, with their key as help."""

    def _hits(self) -> list[tuple[str, str, Any]]:
        keymap = keymap_of(self.app)
        return [(c.description, f"{key_text(c, self.app, keymap)}  ·  {c.id}", partial(self.app.run_action, c.action, node))
                for node, c in offered(self.screen)]

    async def discover(self) -> Hits:
        for description, help_text, run in self._hits():
            yield DiscoveryHit(description, run, text=description, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, help_text, run in self._hits():
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), run, text=description, help=help_text)
