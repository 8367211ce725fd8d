"""Teams conversation references and identities: remembered on every turn, found for sends.

A reference is plain JSON here (the Bot Framework shape); only bot/teams/ turns it into
SDK objects. People are matched through `ChatIdentity(platform="teams")`, whose
external id is the user's AAD object id (or, without one, their Bot Framework user id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import ChatIdentity, Person, TeamsConversation

PLATFORM = "teams"


@dataclass(frozen=True, slots=True)
class Conversation:
    """What one turn (or a created chat) tells us about a conversation."""

    conversation_id: str
    kind: str
    service_url: str
    reference: dict[str, Any]
    tenant: str = ""
    team_id: str | None = None
    user_id: str | None = None
    aad_object_id: str | None = None


def remember(
    session: Session, conversation: Conversation, person_id: int | None, now: dt.datetime
) -> None:
    """Insert or refresh a conversation's reference; a known person is never unset."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(TeamsConversation).values(
        conversation_id=conversation.conversation_id,
        kind=conversation.kind,
        tenant=conversation.tenant,
        team_id=conversation.team_id,
        user_id=conversation.user_id,
        aad_object_id=conversation.aad_object_id,
        person_id=person_id,
        service_url=conversation.service_url,
        reference=conversation.reference,
        created_at=now,
        updated_at=now,
    )
    new, old = statement.excluded, TeamsConversation
    refreshed = {
        "kind": new.kind,
        "service_url": new.service_url,
        "reference": new.reference,
        "updated_at": new.updated_at,
        "tenant": func.coalesce(func.nullif(new.tenant, ""), old.tenant),
        "team_id": func.coalesce(new.team_id, old.team_id),
        "user_id": func.coalesce(new.user_id, old.user_id),
        "aad_object_id": func.coalesce(new.aad_object_id, old.aad_object_id),
        "person_id": func.coalesce(new.person_id, old.person_id),
    }
    session.execute(
        statement.on_conflict_do_update(index_elements=["conversation_id"], set_=refreshed)
    )


def forget(session: Session, conversation_id: str, team_id: str | None = None) -> int:
    """Drop a conversation the bot was removed from (with a team: all its channels)."""
    removed = TeamsConversation.conversation_id == conversation_id
    if team_id:
        removed = or_(removed, TeamsConversation.team_id == team_id)
    result = session.execute(delete(TeamsConversation).where(removed))
    return result.rowcount  # type: ignore[attr-defined]


def by_conversation(session: Session, conversation_id: str) -> TeamsConversation | None:
    return session.scalar(
        select(TeamsConversation).where(TeamsConversation.conversation_id == conversation_id)
    )


def personal_chat(session: Session, person_id: int) -> TeamsConversation | None:
    """The person's most recently seen personal chat with the bot, if any."""
    external_ids = select(ChatIdentity.external_id).where(
        ChatIdentity.person_id == person_id, ChatIdentity.platform == PLATFORM
    )
    return session.scalars(
        select(TeamsConversation)
        .where(
            TeamsConversation.kind == "personal",
            or_(
                TeamsConversation.person_id == person_id,
                TeamsConversation.aad_object_id.in_(external_ids),
                TeamsConversation.user_id.in_(external_ids),
            ),
        )
        .order_by(TeamsConversation.updated_at.desc(), TeamsConversation.id.desc())
        .limit(1)
    ).first()


def find_person(session: Session, tenant: str, external_ids: Iterable[str | None]) -> Person | None:
    """The person linked to any of these Teams ids (AAD object id or user id)."""
    ids = [external_id for external_id in external_ids if external_id]
    if not ids:
        return None
    return session.scalars(
        select(Person)
        .join(ChatIdentity, ChatIdentity.person_id == Person.id)
        .where(
            ChatIdentity.platform == PLATFORM,
            ChatIdentity.external_id.in_(ids),
            ChatIdentity.tenant.in_({tenant, ""}),
            Person.active.is_(True),
        )
        .order_by(ChatIdentity.id)
        .limit(1)
    ).first()


def find_person_by_email(session: Session, emails: Iterable[str | None]) -> Person | None:
    """An active person whose email is one of these (any case)."""
    wanted = [email.strip().lower() for email in emails if email and "@" in email]
    if not wanted:
        return None
    return session.scalars(
        select(Person)
        .where(func.lower(Person.email).in_(wanted), Person.active.is_(True))
        .order_by(Person.id)
        .limit(1)
    ).first()


def set_direct_chat(session: Session, person_id: int, conversation_id: str) -> None:
    """Note the personal chat on the person's Teams identities (ChatIdentity.dm_channel)."""
    for identity in session.scalars(
        select(ChatIdentity).where(
            ChatIdentity.person_id == person_id, ChatIdentity.platform == PLATFORM
        )
    ):
        identity.dm_channel = conversation_id
