"""Chat identities: who a person is on a chat platform, and where their DMs go."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import ChatIdentity, Person


def person_for(session: Session, platform: str, tenant: str, external_id: str) -> int | None:
    """The person linked to this platform user, if any."""
    return session.scalar(
        select(ChatIdentity.person_id).where(
            ChatIdentity.platform == platform,
            ChatIdentity.tenant == tenant,
            ChatIdentity.external_id == external_id,
        )
    )


def active_person_for(session: Session, platform: str, tenant: str, external_id: str) -> int | None:
    """The active person linked to this platform user (an inactive one is nobody)."""
    return session.scalar(
        select(ChatIdentity.person_id)
        .join(Person, Person.id == ChatIdentity.person_id)
        .where(
            ChatIdentity.platform == platform,
            ChatIdentity.tenant == tenant,
            ChatIdentity.external_id == external_id,
            Person.active.is_(True),
        )
    )


def active_person_by_email(session: Session, email: str) -> Person | None:
    """The active person with this email (any case)."""
    return session.scalars(
        select(Person)
        .where(func.lower(Person.email) == email.strip().lower(), Person.active.is_(True))
        .order_by(Person.id)
        .limit(1)
    ).first()


def has_identity(session: Session, person_id: int, platform: str) -> bool:
    """Whether the person is linked to anyone on this platform yet."""
    found = session.scalar(
        select(ChatIdentity.id)
        .where(ChatIdentity.person_id == person_id, ChatIdentity.platform == platform)
        .limit(1)
    )
    return found is not None


def identities_of(session: Session, person_id: int, platform: str) -> list[ChatIdentity]:
    """The person's identities on one platform, oldest first."""
    return list(
        session.scalars(
            select(ChatIdentity)
            .where(ChatIdentity.person_id == person_id, ChatIdentity.platform == platform)
            .order_by(ChatIdentity.id)
        )
    )


def link(
    session: Session,
    *,
    person_id: int,
    platform: str,
    tenant: str,
    external_id: str,
    now: dt.datetime,
    dm_channel: str | None = None,
) -> int | None:
    """Link a platform user to a person (moving the link if it pointed at someone else).

    Returns the person the user was linked to before, when that was someone else."""
    identity = session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.platform == platform,
            ChatIdentity.tenant == tenant,
            ChatIdentity.external_id == external_id,
        )
    )
    if identity is None:
        session.add(
            ChatIdentity(
                person_id=person_id,
                platform=platform,
                tenant=tenant,
                external_id=external_id,
                dm_channel=dm_channel,
                created_at=now,
            )
        )
        session.flush()
        return None
    previous = identity.person_id
    identity.person_id = person_id
    if dm_channel:
        identity.dm_channel = dm_channel
    return previous if previous != person_id else None


def set_dm_channel(session: Session, identity_id: int, dm_channel: str) -> None:
    session.get_one(ChatIdentity, identity_id).dm_channel = dm_channel


def person_email(session: Session, person_id: int) -> str | None:
    person = session.get(Person, person_id)
    return person.email if person is not None else None


def unlink(session: Session, *, platform: str, tenant: str, external_id: str) -> int:
    """Remove a platform user's link; returns how many links went (0 or 1)."""
    result = session.execute(
        delete(ChatIdentity).where(
            ChatIdentity.platform == platform,
            ChatIdentity.tenant == tenant,
            ChatIdentity.external_id == external_id,
        )
    )
    return result.rowcount  # type: ignore[attr-defined]
