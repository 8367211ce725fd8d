"""A role-play in progress, and the model's line in it, before the transaction.

With a model configured, the rep's line in a role-play goes to the model, which
speaks the stakeholder's next line in the scene the deterministic role-play sets (the
concern to press, from the deal's gaps). The line is kept only if every figure and
name in it is in what the model was given; otherwise, on a timeout or on any model
error, the deterministic role-play answers that turn. The debrief is never a model's.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from bot.coach.scope import load_scope
from bot.engine.messages import Incoming
from bot.infra.services import Services
from coaching.coach import (
    CoachKit,
    DealView,
    IntentBook,
    RolePlayState,
    find_attendee,
    read_intent,
    scene,
)
from coaching.coach.grounding import COACH_DIR, ungrounded, yaml_texts
from coaching.risk import RiskEngine
from storage import checkins, people
from storage import coach as store

if TYPE_CHECKING:
    from prompts.llm import ModelRolePlayer

log = logging.getLogger(__name__)
ROLE_PLAY = "role_play"
ROLE_PLAY_IDLE = dt.timedelta(hours=2)  # a role-play left this long is over


def in_play(
    session: Session,
    stored: store.StoredSession,
    person_id: int,
    now: dt.datetime,
    *,
    text: str,
    views: tuple[DealView, ...],
    intents: IntentBook,
) -> DealView | None:
    """The deal of the stored role-play when `text` continues it; None when it is over:
    its deal is out of scope, it was left idle, a check-in question was asked since, or
    `text` asks for a new role-play or prep."""
    if stored.kind != ROLE_PLAY or now - stored.updated_at > ROLE_PLAY_IDLE:
        return None
    asked = checkins.asked_question(session, person_id)
    if asked is not None and (asked.asked_at or now) >= stored.updated_at:
        return None
    if read_intent(text, intents).kind in ("role_play", "meeting_prep"):
        return None
    return next((view for view in views if view.deal.id == stored.deal_id), None)


@dataclass(frozen=True, slots=True)
class RolePlayLine:
    """The model's checked line for the rep's text `said`, in the role-play stored as
    `before` (used only if the role-play is still there, unchanged)."""

    said: str
    before: dict[str, Any]
    text: str


@dataclass
class RolePlayModel:
    services: Services
    engine: RiskEngine
    kit: CoachKit
    intents: IntentBook
    player: ModelRolePlayer

    @cached_property
    def allowed(self) -> tuple[str, ...]:
        """The roles' own vocabulary (titles, objections) a model may use besides the scene."""
        return tuple(yaml_texts([COACH_DIR / "roles.yaml"]))

    def prepare(self, incoming: Incoming) -> RolePlayLine | None:
        """The stakeholder's next line from the model, when a role-play goes on."""
        text = (incoming.text or "").strip()
        services = self.services
        now = services.clock.now()
        with services.database.transaction() as session:
            person = people.person(session, incoming.person_id)
            stored = store.open_session(session, person.id)
            if stored is None or stored.kind != ROLE_PLAY:
                return None
            scope = load_scope(session, person, now, services.playbook, self.engine)
            view = in_play(
                session, stored, person.id, now, text=text, views=scope.views, intents=self.intents
            )
        if view is None:
            return None
        state = RolePlayState.from_dict(stored.state)
        setting = scene(state, view, self.kit, find_attendee(view, state.who, self.kit.roles), text)
        if setting is None:
            return None  # the debrief
        from prompts.llm import ModelCallError

        try:
            spoken = self.player.speak(setting)
        except ModelCallError as exc:
            log.warning("role-play: the model gave no line, the playbook plays: %s", exc)
            return None
        problems = ungrounded(spoken.text, [*setting.texts(), *self.allowed])
        if problems:
            log.warning(
                "role-play: %s's line states what it was not given (%s); the playbook plays",
                spoken.prompt_id,
                ", ".join(problems[:5]),
            )
            return None
        usage = self.player.usage
        log.info(
            "role-play: %s spoke (%d calls, %d tokens so far)",
            spoken.prompt_id,
            usage.calls,
            usage.total_tokens,
        )
        return RolePlayLine(text, stored.state, spoken.text)
