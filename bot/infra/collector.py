"""Pause Python's cyclic garbage collector while a batch job holds millions of records.

The risk scan and the weekly digests read every open deal, answer and warning into
plain records at once (over a million for 100,000 deals). None of them form reference
cycles, yet each time the heap grows by a quarter the collector walks all of it again,
holding the GIL: about 30% of the scan's and the digests' time on the benchmark's
synthetic pipeline, and pauses the event loop feels. Inside `collector_paused()` the
collector waits; reference counting frees everything as usual, and collection resumes
when the last paused block in the process leaves (blocks may nest or overlap across
threads).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.resume = False

    def enter(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.resume = gc.isenabled()
                gc.disable()
            self.depth += 1

    def leave(self) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0 and self.resume:
                gc.enable()


_PAUSES = _Pauses()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection while the block runs (unless another thread turns it on)."""
    _PAUSES.enter()
    try:
        yield
    finally:
        _PAUSES.leave()
