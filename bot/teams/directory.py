"""Who is who on Teams, and where to reach them: the database side of the Teams transport.

Synchronous (the handler calls it in a worker thread) and free of the Bot Framework SDK.
A Teams user is matched to a rep or manager by a linked id (AAD object id, else the
Bot Framework user id), else by the email or UPN a member lookup returns, and then
linked for good. Welcomes go through the outbox like every other message.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.engine.messages import Message
from bot.engine.outgoing import Outgoing, person_address
from bot.engine.replies import say
from bot.infra.first_link import announce_first_link
from coaching.clock import Clock
from storage import identities, people
from storage import teams_conversations as stored
from storage.db import Database
from storage.teams_conversations import Conversation

TRANSPORT = "teams"


def channel_address(conversation_id: str) -> str:
    return f"channel:{conversation_id}"


@dataclass(frozen=True, slots=True)
class Member:
    """A Teams user as an activity, a member lookup or a team roster describes them."""

    user_id: str
    aad_object_id: str | None = None
    email: str | None = None
    user_principal_name: str | None = None

    @property
    def external_id(self) -> str:
        """What a link stores: the AAD object id when Teams gives one (it is stable
        across bots), else the Bot Framework user id (the Emulator's case)."""
        return self.aad_object_id or self.user_id


class TeamsDirectory:
    """People and conversation references, read and written in short transactions."""

    def __init__(self, database: Database, clock: Clock, *, notify_by_email: bool = False) -> None:
        self.database = database
        self.clock = clock
        self.notify_by_email = notify_by_email  # a first link is told to the person by email

    def find(self, tenant: str, member: Member) -> int | None:
        """The linked person's id, without any lookup."""
        with self.database.transaction() as session:
            person = stored.find_person(session, tenant, (member.aad_object_id, member.user_id))
            return person.id if person else None

    def match(self, tenant: str, member: Member) -> int | None:
        """A linked person, else one with the member's email or UPN (then linked)."""
        with self.database.transaction() as session:
            person = stored.find_person(
                session, tenant, (member.aad_object_id, member.user_id)
            ) or stored.find_person_by_email(session, (member.email, member.user_principal_name))
            if person is None:
                return None
            if not identities.has_identity(session, person.id, TRANSPORT):
                announce_first_link(
                    session,
                    person,
                    transport=TRANSPORT,
                    workspace=f"Teams tenant {tenant or '(none)'}",
                    account=member.user_principal_name or member.email or member.external_id,
                    now=self.clock.now(),
                    by_email=self.notify_by_email,
                )
            identities.link(
                session,
                person_id=person.id,
                platform="teams",
                tenant=tenant,
                external_id=member.external_id,
                now=self.clock.now(),
            )
            return person.id

    def remember(self, conversation: Conversation, person_id: int | None) -> None:
        """Store or refresh a conversation's reference (a personal chat with its person)."""
        personal = conversation.kind == "personal"
        with self.database.transaction() as session:
            owner = person_id if personal else None
            stored.remember(session, conversation, owner, self.clock.now())
            if personal and person_id is not None:
                stored.set_direct_chat(session, person_id, conversation.conversation_id)

    def forget(self, conversation_id: str, team_id: str | None) -> int:
        with self.database.transaction() as session:
            return stored.forget(session, conversation_id, team_id)

    def has_personal_chat(self, person_id: int) -> bool:
        with self.database.transaction() as session:
            return stored.personal_chat(session, person_id) is not None

    def welcome(self, person_id: int, conversation_id: str) -> None:
        """Greet a person who installed the app (once per chat: the outbox key says so)."""
        with self.database.transaction() as session:
            person = people.person(session, person_id)
            out = self._outgoing(session, person_address(person_id), f"welcome:{conversation_id}")
            greeting = "greeting_manager" if person.role == "manager" else "greeting"
            out.send(Message.text(say(greeting, name=person.name.split()[0])))

    def welcome_team(self, channel_id: str) -> None:
        """Introduce the bot in a team it was added to (once per channel)."""
        with self.database.transaction() as session:
            out = self._outgoing(session, channel_address(channel_id), f"welcome:{channel_id}")
            out.send(Message.text(say("teams_team_welcome")))

    def _outgoing(self, session: Session, recipient: str, key: str) -> Outgoing:
        return Outgoing(
            session,
            transport=TRANSPORT,
            recipient=recipient,
            key_prefix=f"teams:{key}",
            now=self.clock.now(),
        )
