"""The coach in the chat: a fallback for free text nothing else took, and the role-play
that continues across turns (kept in coach_sessions, so any bot process goes on with it).

Every reply is composed by the pure coach (coaching/coach) over the asker's scope:
their own deals, or a manager's team's; nothing outside it can be named. With a model
configured, a question is first put to it (before the transaction, see bot/coach/model.py);
its answer is shown only when every figure and name in it is in what its tools returned.
So is a rep's line in a role-play (bot/coach/roleplay_model.py): the model speaks the
stakeholder, grounded in the scene the deterministic role-play sets.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.model import ModelReply, ModelStep
from bot.coach.render import as_message
from bot.coach.roleplay_model import ROLE_PLAY, RolePlayLine, RolePlayModel, in_play
from bot.coach.scope import asker, load_scope
from bot.engine.feature import Feature, PrepareFallback
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
    respond,
    roleplay_turn,
)
from coaching.playbook import Playbook
from coaching.risk import RiskEngine, load_risk_config, load_wording
from storage import coach as store


@dataclass
class CoachDesk:
    playbook: Playbook
    engine: RiskEngine
    kit: CoachKit
    intents: IntentBook
    model: ModelStep | None = None
    roleplay_model: RolePlayModel | None = None

    def feature(self) -> Feature:
        preparers: list[PrepareFallback] = []
        if self.roleplay_model is not None:
            preparers.append(self.roleplay_model.prepare)
        if self.model is not None:
            preparers.append(self.model.prepare)
        return Feature(
            name="coach",
            follow_ups=(self.continue_roleplay,),
            fallbacks=(self.answer,),
            fallback_preparers=tuple(preparers),
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
        """The rep's line in a role-play in progress: the stakeholder's next objection
        (in the model's words when it prepared a grounded line for this very turn), or
        the debrief at the end (or on `end`). A new request to role-play starts over;
        a check-in question asked since the last line ends it (the answer is for that)."""
        stored = store.open_session(turn.session, turn.person.id)
        if stored is None or stored.kind != ROLE_PLAY:
            return False
        view = in_play(
            turn.session,
            stored,
            turn.person.id,
            turn.now,
            text=text,
            views=self.scope(turn).views,
            intents=self.intents,
        )
        if view is None:
            store.end_session(turn.session, turn.person.id)
            return False
        prepared = turn.prepared
        spoken = (
            prepared.text
            if isinstance(prepared, RolePlayLine)
            and prepared.said == text
            and prepared.before == stored.state
            else None
        )
        state = RolePlayState.from_dict(stored.state)
        attendee = find_attendee(view, state.who, self.kit.roles)
        state, reply = roleplay_turn(state, view, self.kit, attendee, text, spoken=spoken)
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


def build_coach_desk(ctx: Context) -> CoachDesk:
    services = ctx.services
    engine = RiskEngine(
        load_risk_config(services.settings.risk_rules_path), load_wording(), services.playbook
    )
    kit, intents = default_kit(engine.wording), default_intents()
    chat_model = ctx.chat_model()
    if chat_model is None:
        return CoachDesk(services.playbook, engine, kit, intents)
    from prompts.llm import ModelCoach, ModelRolePlayer

    coach = ModelCoach(chat_model)
    player = ModelRolePlayer(chat_model, usage=coach.usage)  # one count for the coach
    return CoachDesk(
        services.playbook,
        engine,
        kit,
        intents,
        ModelStep(services, engine, kit, intents, coach),
        RolePlayModel(services, engine, kit, intents, player),
    )
