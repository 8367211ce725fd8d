"""The coach in the chat: a fallback for free text nothing else took, and the role-play
that continues across turns (kept in coach_sessions, so any bot process goes on with it).

Every reply is composed by the pure coach (coaching/coach) over the asker's scope:
their own deals, or a manager's team's; nothing outside it can be named. With a model
configured, a question is first put to it (before the transaction, see bot/coach/model.py);
its answer is shown only when every figure and name in it is in what its tools returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.coach.model import ModelReply, ModelStep
from bot.coach.render import as_message
from bot.coach.scope import asker, load_scope
from bot.engine.feature import Feature
from bot.engine.messages import Message
from bot.engine.turn import Turn
from bot.infra.services import Context
from coaching.coach import (
    CoachKit,
    CoachReply,
    IntentBook,
    RolePlayState,
    Scope,
    default_intents,
    default_kit,
    find_attendee,
    read_intent,
    respond,
    roleplay_turn,
)
from coaching.playbook import Playbook
from coaching.risk import RiskEngine, load_risk_config, load_wording
from storage import checkins
from storage import coach as store

ROLE_PLAY = "role_play"
ROLE_PLAY_IDLE = dt.timedelta(hours=2)  # a role-play left this long is over


@dataclass
class CoachDesk:
    playbook: Playbook
    engine: RiskEngine
    kit: CoachKit
    intents: IntentBook
    model: ModelStep | None = None

    def feature(self) -> Feature:
        return Feature(
            name="coach",
            follow_ups=(self.continue_roleplay,),
            fallbacks=(self.answer,),
            fallback_preparers=(self.model.prepare,) if self.model is not None else (),
            help_notes=("help_coach",),
            parts=(self,),
        )

    def scope(self, turn: Turn) -> Scope:
        return load_scope(turn.session, turn.person, turn.now, self.playbook, self.engine)

    def answer(self, turn: Turn, text: str) -> bool:
        """Any free text: the coach's reply (a review, a prep, a role-play's opening, a
        manager's answer, small talk, "did you mean", or what it can do); the model's
        checked answer when one was prepared for this text."""
        prepared = turn.prepared
        if isinstance(prepared, ModelReply) and prepared.question == text:
            turn.out.send(Message.text(prepared.answer))
            return True
        reply = self.reply(turn, text)
        if reply.roleplay is not None:
            store.save_session(
                turn.session,
                turn.person.id,
                kind=ROLE_PLAY,
                deal_id=reply.roleplay.deal_id,
                state=reply.roleplay.as_dict(),
                now=turn.now,
            )
        elif reply.kind == "role_play":
            store.end_session(turn.session, turn.person.id)
        turn.out.send(as_message(reply.reply))
        return True

    def reply(self, turn: Turn, text: str) -> CoachReply:
        """The deterministic reply to `text` over the asker's scope."""
        return respond(
            text,
            asker(turn.person),
            self.scope(turn),
            self.kit,
            self.intents,
            today=turn.today,
            commands=turn.commands,
        )

    def continue_roleplay(self, turn: Turn, text: str) -> bool:
        """The rep's line in a role-play in progress: the stakeholder's next objection,
        or the debrief at the end (or on `end`). A new request to role-play starts over;
        a check-in question asked since the last line ends it (the answer is for that)."""
        stored = store.open_session(turn.session, turn.person.id)
        if stored is None or stored.kind != ROLE_PLAY:
            return False
        view = next(
            (view for view in self.scope(turn).views if view.deal.id == stored.deal_id), None
        )
        stale = turn.now - stored.updated_at > ROLE_PLAY_IDLE
        asked = checkins.asked_question(turn.session, turn.person.id)
        checkin_since = asked is not None and (asked.asked_at or turn.now) >= stored.updated_at
        if view is None or stale or checkin_since or self._new_request(text):
            store.end_session(turn.session, turn.person.id)
            return False
        state = RolePlayState.from_dict(stored.state)
        attendee = find_attendee(view, state.who, self.kit.roles)
        state, reply = roleplay_turn(state, view, self.kit, attendee, text)
        if state.done:
            store.end_session(turn.session, turn.person.id)
        else:
            store.save_session(
                turn.session,
                turn.person.id,
                kind=ROLE_PLAY,
                deal_id=state.deal_id,
                state=state.as_dict(),
                now=turn.now,
            )
        turn.out.send(as_message(reply))
        return True

    def _new_request(self, text: str) -> bool:
        return read_intent(text, self.intents).kind in ("role_play", "meeting_prep")


def build_coach_desk(ctx: Context) -> CoachDesk:
    services = ctx.services
    engine = RiskEngine(
        load_risk_config(services.settings.risk_rules_path), load_wording(), services.playbook
    )
    kit, intents = default_kit(engine.wording), default_intents()
    chat_model = ctx.chat_model()
    model = None
    if chat_model is not None:
        from prompts.llm import ModelCoach

        model = ModelStep(services, engine, kit, intents, ModelCoach(chat_model))
    return CoachDesk(services.playbook, engine, kit, intents, model)
