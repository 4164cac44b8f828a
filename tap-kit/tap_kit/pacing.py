"""Client-side pacing: one pacer per process spaces every request of every stream."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# Server clocks see arrival jitter of a few ms; a 1 % margin keeps a paced client inside a
# rolling-window limit (Statuspage: 60 requests per 60 s) instead of landing exactly on it.
_SAFETY_MARGIN = 1.01


class Pacer:
    """Spaces request starts at least 1/requests_per_second apart, across threads and streams."""

    def __init__(
        self,
        requests_per_second: float | None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if requests_per_second is not None and requests_per_second <= 0:
            msg = f"requests_per_second must be positive, got {requests_per_second}"
            raise ValueError(msg)
        self.interval = _SAFETY_MARGIN / requests_per_second if requests_per_second else 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot: float | None = None
        self.requests = 0
        self.waited_seconds = 0.0

    def acquire(self) -> None:
        """Block until this caller may send its request."""
        with self._lock:
            now = self._clock()
            slot = now if self._next_slot is None else max(now, self._next_slot)
            self._next_slot = slot + self.interval
            self.requests += 1
            delay = slot - now
            if delay > 0:
                self.waited_seconds += delay
        if delay > 0:
            self._sleep(delay)
