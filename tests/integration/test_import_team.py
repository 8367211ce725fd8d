"""Team imports into real databases: the crm-sample teams, re-imports, explicit details."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.importers.deal_import import DealImportOptions, import_deals
from storage.importers.errors import ImportAborted
from storage.importers.team_import import TeamImportReport, import_team
from storage.models import Person


def run(database: Database, path: Path, default_timezone: str = "UTC") -> TeamImportReport:
    return import_team(database, path, encoding=None, default_timezone=default_timezone)


def people(database: Database) -> dict[str, Person]:
    with database.transaction() as session:
        return {person.name: person for person in session.scalars(select(Person))}


def test_the_crm_sample_teams(database: Database, crm_sample: Path) -> None:
    report = run(database, crm_sample / "sales_teams.csv")

    assert report.rows == 30
    assert len(report.reps_created) == 30
    assert report.managers_created == [
        "Rocco Neubert",
        "Summer Sewald",
        "Celia Rouche",
        "Melvin Marxen",
        "Dustin Brinkmann",
        "Cara Losch",
    ]
    assert (report.updated, report.unchanged, report.rejections) == (0, 0, [])
    who = people(database)
    ids = {person.id: name for name, person in who.items()}
    reps = {name: person for name, person in who.items() if person.role == "rep"}
    managers = {name: person for name, person in who.items() if person.role == "manager"}
    assert (len(reps), len(managers)) == (30, 6)
    assert all(rep.manager_id in ids and ids[rep.manager_id] in managers for rep in reps.values())
    donn = who["Donn Cantrell"]
    assert (ids[donn.manager_id], donn.region, donn.timezone) == (  # type: ignore[index]
        "Rocco Neubert",
        "Central",
        "America/Chicago",
    )
    assert (who["James Ascencio"].region, who["James Ascencio"].timezone) == (
        "West",
        "America/Los_Angeles",
    )
    assert (who["Melvin Marxen"].region, who["Melvin Marxen"].timezone) == (
        "East",
        "America/New_York",
    )
    team_sizes = dict.fromkeys(managers, 0)
    for rep in reps.values():
        team_sizes[ids[rep.manager_id]] += 1  # type: ignore[index]
    assert team_sizes == {
        "Rocco Neubert": 5,
        "Summer Sewald": 5,
        "Celia Rouche": 5,
        "Melvin Marxen": 5,
        "Dustin Brinkmann": 5,
        "Cara Losch": 5,
    }


@pytest.mark.slow
def test_teams_after_deals_update_the_reps_the_deal_import_created(
    database: Database, crm_sample: Path
) -> None:
    now = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    import_deals(database, crm_sample / "sales_pipeline.csv", DealImportOptions(), now=now)
    report = run(database, crm_sample / "sales_teams.csv")
    again = run(database, crm_sample / "sales_teams.csv")

    assert (report.reps_created, len(report.managers_created), report.updated) == ([], 6, 30)
    assert (again.reps_created, again.managers_created) == ([], [])
    assert (again.updated, again.unchanged) == (0, 36)
    who = people(database)
    assert len(who) == 36
    assert who["Hayden Neloms"].timezone == "America/Los_Angeles"


def test_explicit_emails_timezones_and_promotions(database: Database, tmp_path: Path) -> None:
    with database.transaction() as session:
        session.add(Person(name="Ann Lee", email="ANN@x.com", timezone="Asia/Tokyo", region="APAC"))
    path = tmp_path / "team.csv"
    path.write_text(
        "Rep,Email,Manager,Manager Email,Region,Timezone\n"
        "Ann Lee,ann@x.com,Mo Chen,mo@x.com,EMEA,Europe/Berlin\n"
        "Cy Dee,,Ann Lee,ann@x.com,Central,\n"
        "Di Fox,di@x.com,Mo Chen,MO@X.COM,Atlantis,\n"
        ",,Mo Chen,,East,\n",
        encoding="utf-8",
    )
    report = run(database, path, default_timezone="Europe/Dublin")

    assert (report.reps_created, report.managers_created) == (["Cy Dee", "Di Fox"], ["Mo Chen"])
    assert report.updated == 1
    assert [(issue.line, issue.reason) for issue in report.rejections] == [(5, "rep is empty")]
    who = people(database)
    assert len(who) == 4
    ann, mo, cy, di = who["Ann Lee"], who["Mo Chen"], who["Cy Dee"], who["Di Fox"]
    assert (ann.role, ann.email, ann.manager_id, ann.region, ann.timezone) == (
        "manager",
        "ANN@x.com",
        mo.id,
        "EMEA",
        "Europe/Berlin",
    )
    assert (mo.role, mo.email, mo.manager_id, mo.region) == ("manager", "mo@x.com", None, None)
    assert (cy.manager_id, cy.timezone) == (ann.id, "America/Chicago")
    assert (di.manager_id, di.region, di.timezone) == (mo.id, "Atlantis", "Europe/Dublin")


def test_a_team_file_without_a_rep_column_writes_nothing(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "team.csv"
    path.write_text("name,boss\nAnn,Mo\n", encoding="utf-8")
    with pytest.raises(ImportAborted, match="no rep column"):
        run(database, path)
    assert people(database) == {}
