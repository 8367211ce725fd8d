"""People: one by id, all of them, and the columns that say where their messages go."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ChatIdentity, Person


def person(session: Session, person_id: int) -> Person:
    """The person with this id (it must exist: ids come from our own rows)."""
    return session.get_one(Person, person_id)


def find(session: Session, person_id: int) -> Person | None:
    """The person with this id, or None."""
    return session.get(Person, person_id)


def everyone(session: Session) -> list[Person]:
    return list(session.scalars(select(Person).order_by(Person.id)))


def timezones(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    """person id -> their time zone name (one statement)."""
    query = select(Person.id, Person.timezone).where(Person.id.in_(list(person_ids)))
    return dict(session.execute(query).all())


def digest_channels(session: Session, person_ids: Iterable[int]) -> dict[int, str | None]:
    """person id -> the channel their warnings and digests go to, as stored (one statement)."""
    query = select(Person.id, Person.digest_channel).where(Person.id.in_(list(person_ids)))
    return dict(session.execute(query).all())


def chat_platforms(
    session: Session, person_ids: Iterable[int], platforms: Iterable[str]
) -> list[tuple[int, str]]:
    """(person id, platform) for every identity these people have on these platforms."""
    query = select(ChatIdentity.person_id, ChatIdentity.platform).where(
        ChatIdentity.person_id.in_(list(person_ids)), ChatIdentity.platform.in_(list(platforms))
    )
    return [(person_id, platform) for person_id, platform in session.execute(query)]
