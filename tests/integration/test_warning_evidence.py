"""Each warning quotes its evidence (date, source, words): in the manager's post, in the
digest and in `dealcoach warnings --json`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from manager_support import add_deal, add_person, desk
from support import bare_environment, texts

from coaching.clock import FixedClock
from storage.answers import record_answer
from storage.db import Database
from storage.importers.activity_import import ActivityImportOptions, import_activities

DEALCOACH = Path(sys.executable).with_name("dealcoach")
QUOTE = "Finance says the budget is frozen until Q2"


def seeded(database: Database, clock: FixedClock, folder: Path) -> int:
    """A middle-stage deal: the rep said the money is confirmed, a later note says frozen."""
    manager = add_person(database, "Dana Manager", role="manager")
    rep = add_person(database, "Alex Rep", manager=manager)
    today = clock.now().date()
    deal = add_deal(database, rep, "Acme rollout", today=today, stage="Solution")
    with database.transaction() as session:
        record_answer(
            session,
            deal_id=deal,
            field="money",
            value="confirmed",
            source="checkin",
            person_id=rep,
            now=clock.now() - dt.timedelta(days=6),
        )
    on = (today - dt.timedelta(days=3)).isoformat()
    ahead = (today + dt.timedelta(days=5)).isoformat()
    log = folder / "log.csv"
    log.write_text(
        "activity_id,type,status,direction,date,deal_id,contact,notes\n"
        f"N1,note,completed,,{on} 15:00,CRM-Acme rollout,,{QUOTE}.\n"
        f"M1,meeting,completed,in,{on} 10:00,CRM-Acme rollout,Priya Shah,Pricing review\n"
        f"M2,meeting,scheduled,in,{ahead} 10:00,CRM-Acme rollout,Priya Shah,Next review\n",
        encoding="utf-8",
    )
    import_activities(database, log, ActivityImportOptions(), now=clock.now())
    return manager


def test_the_post_the_digest_and_the_json_quote_the_note(
    sqlite_database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    manager = seeded(sqlite_database, clock, tmp_path)
    managers = desk(sqlite_database, clock)
    assert managers.scan.run(clock.now()).posted == 1

    [post] = texts(sqlite_database, f"person:{manager}")
    assert "Optimism gap" in post
    assert "rep: Budget confirmed" in post and f"'{QUOTE}'" in post
    on = (clock.now().date() - dt.timedelta(days=3)).isoformat()
    assert f"note of {on}: “{QUOTE}”" in post  # the evidence block, dated

    with sqlite_database.transaction() as session:
        figures = managers.digests.compose(session, manager, clock.now())
    assert figures is not None
    [deal] = figures["at_risk"]["shown"]
    [gap] = [warning for warning in deal["warnings"] if warning["rule"] == "optimism_gap"]
    assert gap["evidence"] == [
        {"kind": "budget_blocked", "date": on, "source": "note", "quote": QUOTE}
    ]
    assert QUOTE in gap["reason"]

    env = bare_environment(
        DEALCOACH_DATABASE_URL=f"sqlite:///{tmp_path / 'dealcoach.sqlite3'}",
        DEALCOACH_DATA_DIR=str(tmp_path),
        DEALCOACH_LOG_LEVEL="WARNING",
    )
    done = subprocess.run(
        [str(DEALCOACH), "warnings", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [listed] = [w for w in json.loads(done.stdout)["warnings"] if w["rule"] == "optimism_gap"]
    assert listed["evidence"] == gap["evidence"]
    assert listed["signals"] == ["money_contradicted"]
