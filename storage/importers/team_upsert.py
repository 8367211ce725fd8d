"""Write checked team records: create or update reps and managers, link them.

People are matched by email, or else by name (any case). Anyone named as a manager
gets the manager role; nobody is demoted, since a file may cover one team only.
A manager whose reps all share one region gets that region. A timezone cell always
applies; otherwise a new person, or one whose region changes, takes the zone of a
well-known US region (East -> America/New_York...), and new people without one get
the default time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.importers.people import PeopleIndex
from storage.importers.team_rows import ParsedTeam, TeamRecord, region_timezone
from storage.models import Person


@dataclass
class TeamResult:
    """Who the upsert created, and how many existing people changed or did not."""

    reps_created: list[str] = field(default_factory=list)
    managers_created: list[str] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0


class _Team:
    """The people of the database plus those this import creates, found by email or name."""

    def __init__(self, session: Session, default_timezone: str) -> None:
        self.session = session
        self.default_timezone = default_timezone
        self.index: PeopleIndex[Person] = PeopleIndex()
        self.before: dict[int, tuple[object, ...]] = {}
        self.created: list[Person] = []
        self.touched: dict[int, Person] = {}
        for person in session.scalars(select(Person).order_by(Person.id)):
            self.index.add(person.name, person.email, person)
            self.before[person.id] = _state(person)

    def person(self, name: str, email: str | None, role: str) -> Person:
        found = self.index.find(name, email)
        if found is None:
            found = Person(name=name, email=email, role=role, timezone=self.default_timezone)
            self.session.add(found)
            self.created.append(found)
            self.index.add(name, email, found)
        else:
            found.name = name
            if email and email.casefold() != (found.email or "").casefold():
                found.email = email
        self.touched[id(found)] = found
        return found

    def set_region(self, person: Person, region: str | None) -> None:
        if person.region != region or person in self.created:
            person.region = region
            person.timezone = region_timezone(region) or person.timezone


def upsert_team(session: Session, parsed: ParsedTeam, *, default_timezone: str) -> TeamResult:
    """Create or update the people of `parsed` in the caller's transaction."""
    team = _Team(session, default_timezone)
    managers = _managers(team, parsed.records)
    session.flush()
    links_manager = bool({"manager", "manager_email"} & parsed.columns)
    for record in parsed.records:
        rep = team.person(record.rep, record.email, "rep")
        if links_manager:
            manager = managers.get(record.line)
            rep.manager_id = manager.id if manager else None
        if "region" in parsed.columns:
            team.set_region(rep, record.region)
        if record.timezone:
            rep.timezone = record.timezone
    session.flush()
    result = TeamResult()
    for person in team.created:
        names = result.managers_created if person.role == "manager" else result.reps_created
        names.append(person.name)
    for person in team.touched.values():
        if person.id in team.before:
            if _state(person) == team.before[person.id]:
                result.unchanged += 1
            else:
                result.updated += 1
    return result


def _managers(team: _Team, records: list[TeamRecord]) -> dict[int, Person]:
    """The manager of each record line; managers get the role and their team's region."""
    managers: dict[int, Person] = {}
    regions: dict[int, tuple[Person, set[str | None]]] = {}
    for record in records:
        if record.manager or record.manager_email:
            name = record.manager or str(record.manager_email)[:200]
            manager = team.person(name, record.manager_email, "manager")
            manager.role = "manager"
            managers[record.line] = manager
            regions.setdefault(id(manager), (manager, set()))[1].add(record.region)
    for manager, seen in regions.values():
        if len(seen) == 1 and (region := seen.pop()):
            team.set_region(manager, region)
    return managers


def _state(person: Person) -> tuple[object, ...]:
    return (
        person.name,
        person.email,
        person.role,
        person.manager_id,
        person.region,
        person.timezone,
    )
