"""One clock for the simulator and every app process of the soak.

It runs with the wall clock, plus an offset kept in a small shared file: the soak moves the offset
forward (the other teams' delays, a long Retry-After) and every process sees the same time at
once. A sleep waits until the shared clock has passed its end, so a jump ends it early, as time
passing would.
"""

from __future__ import annotations

import asyncio
import fcntl
import mmap
import os
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

from queue_tui.sandbox.clock import Clock

_FMT = "d"
_SIZE = struct.calcsize(_FMT)


class SharedClock(Clock):
    def __init__(self, path: Path, start: datetime | None = None) -> None:
        self.path = path
        if start is not None:  # the soak's own process makes the file; agents open it
            offset = (start - datetime.now(UTC)).total_seconds()
            path.write_bytes(struct.pack(_FMT, offset))
            os.chmod(path, 0o600)
        self._fd = os.open(path, os.O_RDWR)
        self._map = mmap.mmap(self._fd, _SIZE)

    def _offset(self) -> float:
        return float(struct.unpack(_FMT, self._map[:_SIZE])[0])

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self._offset())

    def advance(self, seconds: float = 0.0, **kwargs: float) -> datetime:
        step = timedelta(seconds=seconds, **kwargs).total_seconds()
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            self._map[:_SIZE] = struct.pack(_FMT, self._offset() + max(0.0, step))
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        return self.now()

    async def sleep(self, seconds: float) -> None:
        """Wait until the shared clock has moved `seconds` on (by itself or by a jump)."""
        end = self.now() + timedelta(seconds=max(0.0, seconds))
        while True:
            left = (end - self.now()).total_seconds()
            if left <= 0:
                return
            await asyncio.sleep(min(left, 0.05))
