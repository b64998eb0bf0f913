"""The garbage collector during start-up: held back while the app imports and builds its first
screen, resumed once the queue is on screen.

Start-up allocates a few hundred thousand objects that live as long as the process (modules,
classes, the config's validators, the widgets): at its usual pace the collector walks them over
and over before the first paint, some 30 ms of a start of about 300. Importing this module (the
command line does, first) calls `hold()`; `resume()` freezes what start-up built (the
collector need not walk it again, ever) and lets it run again. Commands other than the app resume
at once; the app resumes after its first frame.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Hold the collector until `resume()`."""
    global _held
    if gc.isenabled():
        _held = True
        gc.disable()


def resume() -> None:
    """Let the collector run again (once; later calls do nothing)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


hold()
