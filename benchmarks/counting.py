"""Measuring helpers: statements issued, wall time, peak Python memory."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event


@dataclass
class Measurement:
    seconds: float = 0.0
    statements: int = 0
    peak_mib: float = 0.0


@contextmanager
def counting_statements(engine: Engine) -> Iterator[Measurement]:
    """Count every statement sent to the database while the block runs."""
    measurement = Measurement()

    def count(*_args: Any) -> None:
        measurement.statements += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield measurement
    finally:
        event.remove(engine, "before_cursor_execute", count)


def measure(engine: Engine, action: Callable[[], object], *, memory: bool = True) -> Measurement:
    """Wall time and statements of `action`; then, in a second run-free pass, nothing else.

    Peak memory is traced in the same run (tracemalloc slows Python down, so time is
    measured without it when `memory` is False).
    """
    with counting_statements(engine) as measurement:
        if memory:
            tracemalloc.start()
        started = time.perf_counter()
        action()
        measurement.seconds = time.perf_counter() - started
        if memory:
            measurement.peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    return measurement
