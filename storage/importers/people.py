"""Finding the people a file names: by email (any case), or else by name (any case)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.importers.deal_rows import OwnerRef
from storage.models import Base

if TYPE_CHECKING:
    from storage.importers.deal_rows import DealRecord

PEOPLE = Base.metadata.tables["people"]

T = TypeVar("T")


class PeopleIndex(Generic[T]):
    """People by email and by name; when two share a name, the first added wins."""

    def __init__(self) -> None:
        self._by_email: dict[str, T] = {}
        self._by_name: dict[str, T] = {}

    def add(self, name: str | None, email: str | None, person: T) -> None:
        if email:
            self._by_email.setdefault(email.casefold(), person)
        if name:
            self._by_name.setdefault(" ".join(name.split()).casefold(), person)

    def find(self, name: str | None, email: str | None) -> T | None:
        if email and (person := self._by_email.get(email.casefold())) is not None:
            return person
        if name:
            return self._by_name.get(" ".join(name.split()).casefold())
        return None


@dataclass(frozen=True, slots=True)
class KnownOwner:
    """A person a deal can belong to; without a manager they are not placed in a team."""

    id: int
    name: str
    placed: bool


class OwnerResolver:
    """Owners of deal records: existing people by email then name, new reps otherwise.

    The people table is read once; the reps an import creates are inserted chunk by
    chunk and remembered, so a name seen again maps to the same new person.
    """

    def __init__(self, session: Session, default_timezone: str) -> None:
        self._session = session
        self._timezone = default_timezone
        self.index: PeopleIndex[KnownOwner] = PeopleIndex()
        self.created: list[str] = []
        rows = session.execute(
            select(
                PEOPLE.c.id, PEOPLE.c.name, PEOPLE.c.email, PEOPLE.c.manager_id, PEOPLE.c.role
            ).order_by(PEOPLE.c.id)
        )
        for person_id, name, email, manager_id, role in rows:
            placed = manager_id is not None or role == "manager"
            self.index.add(name, email, KnownOwner(person_id, name, placed))

    def resolve(
        self, records: Sequence[DealRecord], unplaced_rows: Counter[str]
    ) -> dict[int, int | None]:
        """Owner id per record line (None: the row names nobody); counts unplaced owners."""
        found: dict[int, KnownOwner | OwnerRef | None] = {}
        pending: PeopleIndex[OwnerRef] = PeopleIndex()
        new: list[OwnerRef] = []
        for record in records:
            ref = record.owner
            if not record.owner_given or ref is None:
                found[record.line] = None
                continue
            owner = self.index.find(ref.name, ref.email) or pending.find(ref.name, ref.email)
            if owner is None:
                owner = ref
                pending.add(ref.name, ref.email, ref)
                new.append(ref)
            found[record.line] = owner
        created = self._create(new)
        ids: dict[int, int | None] = {}
        for line, owner in found.items():
            person = created[_key(owner)] if isinstance(owner, OwnerRef) else owner
            ids[line] = person.id if person else None
            if person is not None and not person.placed:
                unplaced_rows[person.name] += 1
        return ids

    def _create(self, refs: list[OwnerRef]) -> dict[tuple[str | None, str | None], KnownOwner]:
        if not refs:
            return {}
        people: list[dict[str, str | None]] = [
            {
                "name": ref.name or str(ref.email)[:200],
                "email": ref.email,
                "role": "rep",
                "timezone": self._timezone,
            }
            for ref in refs
        ]
        ids = self._session.scalars(
            insert(PEOPLE).returning(PEOPLE.c.id, sort_by_parameter_order=True), people
        ).all()
        created = {}
        for ref, person, person_id in zip(refs, people, ids, strict=True):
            owner = KnownOwner(person_id, str(person["name"]), placed=False)
            self.index.add(ref.name, ref.email, owner)
            self.created.append(owner.name)
            created[_key(ref)] = owner
        return created


def _key(owner: OwnerRef) -> tuple[str | None, str | None]:
    return (
        " ".join(owner.name.split()).casefold() if owner.name else None,
        owner.email.casefold() if owner.email else None,
    )
