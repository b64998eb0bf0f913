"""Private local files: folders 0700 and files 0600 from the moment they exist, written atomically,
and read back with their shape checked.

Audit lines, drafts and logs hold ticket text, so no other local user may read them. Modes are
given at creation (mkdir/open/mkstemp with a mode), never fixed afterwards with a window in
between. A file of the wrong shape is set aside with one line saying so; the app starts fresh.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DIR_MODE = 0o700
FILE_MODE = 0o600
Shape = Mapping[str, type | tuple[type, ...]]


def private_dir(path: Path) -> Path:
    """`path` and any missing parents, created 0700; a folder of ours left wider by an older version is narrowed."""
    missing: list[Path] = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, DIR_MODE)
        except FileExistsError:
            pass
    st = path.stat()
    if not missing and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(st.st_mode) & ~0o077)
    return path


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step (a crash leaves the old file or the new, never half); 0600."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_APPEND) -> int:
    """A file descriptor on `path`, created 0600 if absent (a file of ours left wider is narrowed)."""
    private_dir(path.parent)
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    st = os.fstat(fd)
    if stat.S_IMODE(st.st_mode) & 0o077 and st.st_uid == os.getuid():
        os.fchmod(fd, FILE_MODE)
    return fd


def append_line(path: Path, line: str) -> None:
    """Append one line and make it durable."""
    fd = open_private(path)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def touch_private(path: Path) -> Path:
    """Make sure `path` exists as a 0600 file (for writers, like logging, that open files themselves)."""
    os.close(open_private(path))
    return path


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number", dict: "a table", list: "a list"}
    kinds = t if isinstance(t, tuple) else (t,)
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def set_aside(path: Path, why: str) -> str:
    """Move a bad file out of the way; the one line that says so."""
    aside = path.with_name(path.name + ".corrupt")
    try:
        os.replace(path, aside)
    except OSError:
        return f"{path.name} {why}; ignored it and started fresh"
    return f"{path.name} {why}; set it aside as {aside.name} and started fresh"


def read_json(path: Path, shape: Shape | None = None) -> tuple[dict[str, Any], str | None]:
    """The file's JSON object (empty when absent) and None; a file that cannot be read, or whose keys
    in `shape` have the wrong type, is set aside and comes back empty with a one-line message."""
    if not path.exists():
        return {}, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        return {}, set_aside(path, f"was unreadable ({type(exc).__name__})")
    if not isinstance(data, dict):
        return {}, set_aside(path, "is not a JSON object")
    for key, kind in (shape or {}).items():
        if key in data and not isinstance(data[key], kind):
            return {}, set_aside(path, f"has '{key}' that is not {_type_name(kind)}")
    return data, None
