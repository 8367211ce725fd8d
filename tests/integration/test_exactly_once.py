"""Several bot processes on one database, and a process killed mid-round:
every check-in is delivered, none twice."""

import datetime as dt
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support import bare_environment

from storage.db import Database
from storage.models import CheckIn, Deal, Person

pytestmark = pytest.mark.serial

WORKER = Path(__file__).resolve().parents[1] / "workers" / "checkin_worker.py"
REPS = 500
START = dt.datetime(2026, 11, 24, 9, 5, tzinfo=dt.UTC)  # five minutes after everyone's slot


def seed_reps(database: Database, count: int) -> None:
    """`count` reps due at 09:00 UTC every day, each with one open deal."""
    with database.transaction() as session:
        session.execute(
            Person.__table__.insert(),
            [
                {
                    "name": f"Rep {number}",
                    "email": f"rep{number}@example.com",
                    "role": "rep",
                    "timezone": "UTC",
                    "working_days": "mon-sun",
                    "checkin_days": "mon-sun",
                    "checkin_time": "09:00",
                    "active": True,
                    "created_at": START,
                }
                for number in range(count)
            ],
        )
        ids = session.scalars(select(Person.id)).all()
        session.execute(
            Deal.__table__.insert(),
            [
                {
                    "crm_id": f"D-{rep}",
                    "name": f"Deal {rep}",
                    "stage": "Negotiation",
                    "owner_id": rep,
                    "status": "open",
                    "currency": "USD",
                    "amount": 1000 + rep,
                    "updated_at": START,
                }
                for rep in ids
            ],
        )


def start_worker(database: Database, journal: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(journal), START.isoformat(), *extra],
        env=bare_environment(DEALCOACH_DATABASE_URL=database.url),
        stderr=subprocess.PIPE,
    )


def journal_keys(journal: Path) -> Counter[str]:
    lines = journal.read_text().splitlines() if journal.exists() else []
    return Counter(line.split("\t")[0] for line in lines)


def checkins_started(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).where(CheckIn.status == "open")) or 0


def finish(process: subprocess.Popen[bytes]) -> None:
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors.decode()


@pytest.mark.slow
def test_two_processes_running_the_same_schedule_ask_each_checkin_once(
    database: Database, tmp_path: Path
) -> None:
    seed_reps(database, REPS)
    journal = tmp_path / "journal.tsv"
    workers = [start_worker(database, journal) for _ in range(2)]
    for worker in workers:
        finish(worker)
    delivered = journal_keys(journal)
    assert len(delivered) == REPS
    assert max(delivered.values()) == 1
    assert checkins_started(database) == REPS
    senders = Counter(line.split("\t")[2] for line in journal.read_text().splitlines())
    print(f"messages sent per process: {sorted(senders.values())}")


@pytest.mark.slow
def test_a_process_killed_mid_round_delivers_each_checkin_once_after_restart(
    database: Database, tmp_path: Path
) -> None:
    seed_reps(database, REPS)
    journal = tmp_path / "journal.tsv"
    victim = start_worker(database, journal, "--send-delay", "0.01")
    deadline = time.monotonic() + 60
    while sum(journal_keys(journal).values()) < 100:
        assert victim.poll() is None, "the worker finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    killed_at = sum(journal_keys(journal).values())
    assert killed_at < REPS
    finish(start_worker(database, journal))
    delivered = journal_keys(journal)
    assert len(delivered) == REPS
    assert max(delivered.values()) == 1
    assert checkins_started(database) == REPS
