"""A server under test in its own process (its own interpreter, so the load generator and
the fake Slack in the benchmark process do not share its GIL)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
PASSED_ON = ("PATH", "LANG", "LC_ALL", "TMPDIR", "HOME")  # nothing else leaks in (no SLACK_*)


class ServerFailed(Exception):
    """The server process exited or never listened; the message carries its log."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server_process(code: str, args: list[str], env: dict[str, str], port: int) -> Iterator[None]:
    """Run `python -c code args...` with only `env` (plus PATH and locale), from an empty
    directory (so no .env file is read); wait until it listens on `port`; SIGTERM it after."""
    environment = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    environment |= {"PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"} | env
    with tempfile.TemporaryDirectory(prefix="dealcoach-bench-server-") as folder:
        log_path = Path(folder) / "server.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", code, *args],
                env=environment,
                cwd=folder,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_listening(process, port, log_path)
            yield
        finally:
            _stop(process)
        if process.returncode not in (0, -signal.SIGTERM):
            raise ServerFailed(f"the server exited with {process.returncode}:\n{_tail(log_path)}")


def _wait_listening(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"the server exited at start:\n{_tail(log_path)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise ServerFailed(f"the server did not listen on {port} within {START_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
