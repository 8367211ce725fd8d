"""The coach's answer to free text: read the intent, find the deal or person it is
about within what the asker may see, and compose the reply.

`Scope` is built by the caller from the asker's own deals (a rep) or their team's
(a manager); nothing outside it can be named, reviewed or counted here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from coaching.coach.attendees import find_attendee
from coaching.coach.deal_view import DealView
from coaching.coach.intents import Intent, IntentBook, deal_words, read_intent, suggest_command
from coaching.coach.kit import CoachKit
from coaching.coach.managers import (
    CheckinStats,
    compose_one_on_one,
    compose_rep_summary,
    compose_slipping,
)
from coaching.coach.prep import compose_prep
from coaching.coach.review import compose_pipeline, compose_review, deal_heading
from coaching.coach.roleplay import RolePlayState, start_roleplay
from coaching.coach.text import Fact, Line, Reply, Section, line
from coaching.dates import parse_date
from coaching.matching import resolve_deal

NAME_SCORE = 85
OPTIONS_SHOWN = 8


@dataclass(frozen=True, slots=True)
class Asker:
    name: str
    is_manager: bool


@dataclass(frozen=True, slots=True)
class Scope:
    """What the asker may see: their open deals, or their team's; a manager's reps."""

    views: tuple[DealView, ...]
    reps: tuple[tuple[int, str], ...] = ()
    checkins: Mapping[int, CheckinStats] = field(default_factory=dict)

    def of_rep(self, rep_id: int) -> list[DealView]:
        return [view for view in self.views if view.deal.owner_id == rep_id]


@dataclass(frozen=True, slots=True)
class CoachReply:
    """The reply, and a role-play to keep when one starts."""

    reply: Reply
    roleplay: RolePlayState | None = None

    @property
    def kind(self) -> str:
        return self.reply.kind


def respond(
    text: str,
    asker: Asker,
    scope: Scope,
    kit: CoachKit,
    intents: IntentBook,
    *,
    today: dt.date,
    commands: Iterable[str] = (),
) -> CoachReply:
    """The coach's reply to `text` from `asker`, using only `scope`."""
    ask = _Ask(read_intent(text, intents), asker, scope, kit, intents, today, tuple(commands))
    return _ROUTES.get(ask.intent.kind, _Ask.unknown)(ask)


def _say(kit: CoachKit, key: str, kind: str = "chat", **slots: Line | Fact | str) -> CoachReply:
    return CoachReply(Reply(kind, kit.wording.fill(key, **slots)))


@dataclass(frozen=True, slots=True)
class _Ask:
    """One question to the coach, with everything needed to answer it."""

    intent: Intent
    asker: Asker
    scope: Scope
    kit: CoachKit
    intents: IntentBook
    today: dt.date
    commands: tuple[str, ...]

    def small_talk(self) -> CoachReply:
        topic = self.intent.topic or "acknowledge"
        if topic in ("greeting", "capabilities", "identity"):
            return CoachReply(self.capabilities(f"small_talk.{topic}"))
        return _say(self.kit, f"small_talk.{topic}", "small_talk")

    def capabilities(self, key: str) -> Reply:
        words = self.kit.wording
        example = self.scope.views[0].cite("deal.name") if self.scope.views else None
        first = self.asker.name.split()[0] if self.asker.name.split() else self.asker.name
        lead = words.fill(key, name=Fact("asker.name", first, first))
        items = [
            words.fill("capabilities.review", deal=example or words.text("capabilities.a_deal"))
        ]
        items += [line(text) for text in words.texts("capabilities.rep")]
        if self.asker.is_manager:
            items += [line(text) for text in words.texts("capabilities.manager")]
        return Reply(
            "small_talk", lead, (Section(words.fill("capabilities.heading"), tuple(items)),)
        )

    def review(self, view: DealView) -> CoachReply:
        return CoachReply(compose_review(view, self.kit, show_owner=self.asker.is_manager))

    def deal_review(self) -> CoachReply:
        found = self.deal(self.intent.deal)
        return self.review(found) if isinstance(found, DealView) else found

    def pipeline(self) -> CoachReply:
        if self.intent.who and self.intent.who not in ("my", "our"):
            rep = self.rep(self.intent.who)
            if not isinstance(rep, tuple):
                return rep
            views = self.scope.of_rep(rep[0])
            return CoachReply(compose_pipeline(views, self.kit, show_owner=True))
        return CoachReply(compose_pipeline(self.scope.views, self.kit))

    def rep_summary(self) -> CoachReply:
        """ "How is Alex doing?" about a rep; "how is Northwind doing?" about a deal."""
        who = self.intent.who or ""
        if _rep_match(who, self.scope) is None:
            as_deal = self.named_deal(who)
            if as_deal is not None:
                return self.review(as_deal)
        rep = self.rep(who)
        if not isinstance(rep, tuple):
            return rep
        checkins = self.scope.checkins.get(rep[0])
        views = self.scope.of_rep(rep[0])
        return CoachReply(compose_rep_summary(views, self.kit, checkins=checkins))

    def slipping(self) -> CoachReply:
        return CoachReply(compose_slipping(self.scope.views, self.kit, self.today))

    def one_on_one(self) -> CoachReply:
        rep = self.rep(self.intent.who or "")
        if not isinstance(rep, tuple):
            return rep
        return CoachReply(compose_one_on_one(self.scope.of_rep(rep[0]), self.kit))

    def meeting_prep(self) -> CoachReply:
        found = self.deal_for_meeting()
        if not isinstance(found, DealView):
            return found
        attendee = find_attendee(found, self.intent.who, self.kit.roles)
        when = parse_date(self.intent.when, self.today).value if self.intent.when else None
        prep = compose_prep(found, self.kit, attendee, when=when, meeting=self.intent.meeting)
        return CoachReply(prep)

    def role_play(self) -> CoachReply:
        found = self.deal_for_meeting()
        if not isinstance(found, DealView):
            return found
        attendee = find_attendee(found, self.intent.who, self.kit.roles)
        state, reply = start_roleplay(found, self.kit, attendee)
        return CoachReply(reply, None if state.done else state)

    def unknown(self) -> CoachReply:
        """A bare deal name is a review; a mistyped command gets "did you mean"; anything
        else gets an honest "not something I can do", with what I can."""
        named = self.named_deal(self.intent.text)
        if named is not None:
            return self.review(named)
        suggestion = suggest_command(self.intent.text, self.commands)
        if suggestion is not None:
            return _say(self.kit, "ask.did_you_mean", "did_you_mean", command=suggestion)
        return CoachReply(self.capabilities("ask.out_of_scope"))

    def named_deal(self, words: str) -> DealView | None:
        query = deal_words(words, self.intents)
        if not query:
            return None
        choice = resolve_deal(query, [view.deal for view in self.scope.views])
        if choice.deal is None:
            return None
        return next(view for view in self.scope.views if view.deal.id == choice.deal.id)

    def deal(self, words: str | None) -> DealView | CoachReply:
        """The one deal `words` name in scope, or the reply that asks which (or says none)."""
        views = self.scope.views
        if not views:
            return _say(self.kit, "ask.no_deals")
        query = deal_words(words or "", self.intents)
        if not query:
            if len(views) == 1:
                return views[0]
            return _choice(self.kit, "ask.which_deal", views[:OPTIONS_SHOWN], query)
        choice = resolve_deal(query, [view.deal for view in views])
        by_id = {view.deal.id: view for view in views}
        if choice.deal is not None:
            return by_id[choice.deal.id]
        if choice.options:
            options = [by_id[deal.id] for deal in choice.options]
            return _choice(self.kit, "ask.several_deals", options, query)
        return _choice(self.kit, "ask.no_such_deal", views[:OPTIONS_SHOWN], query)

    def deal_for_meeting(self) -> DealView | CoachReply:
        """The deal named; else the only deal where the person named is known."""
        who, views = self.intent.who, self.scope.views
        if self.intent.deal or not who or len(views) <= 1:
            return self.deal(self.intent.deal)
        holding = [view for view in views if find_attendee(view, who, self.kit.roles).name]
        return holding[0] if len(holding) == 1 else self.deal(None)

    def rep(self, who: str) -> tuple[int, str] | CoachReply:
        """The manager's rep `who` names, or the reply saying why not."""
        if not self.asker.is_manager:
            return _say(self.kit, "ask.managers_only")
        if not who:
            return _rep_list(self.kit, "ask.which_rep", self.scope)
        found = _rep_match(who, self.scope)
        if found is None:
            return _rep_list(self.kit, "ask.not_in_team", self.scope, who)
        return found


def _choice(kit: CoachKit, key: str, views: Sequence[DealView], query: str) -> CoachReply:
    words = kit.wording
    typed = Fact("request.deal", query, query)
    items = tuple(
        words.fill(
            "ask.option", deal=deal_heading(view, kit, ("deal", "account")), id=_crm_id(view)
        )
        for view in views
    )
    lead = words.fill(key, query=typed)
    return CoachReply(
        Reply("choose_deal", lead, (Section(words.fill("ask.options_heading"), items),))
    )


def _crm_id(view: DealView) -> Fact:
    fact = view.cite("deal.crm_id")
    assert fact is not None
    return fact


def _rep_match(who: str, scope: Scope) -> tuple[int, str] | None:
    names = {rep_id: name.lower() for rep_id, name in scope.reps}
    wanted = who.lower().removesuffix("'s").strip()
    for rep_id, name in scope.reps:
        if wanted in (name.lower(), name.lower().split()[0]):
            return rep_id, name
    found = process.extractOne(wanted, names, scorer=fuzz.WRatio, score_cutoff=NAME_SCORE)
    if found is None:
        return None
    rep_id = found[2]
    return rep_id, dict(scope.reps)[rep_id]


def _rep_list(kit: CoachKit, key: str, scope: Scope, who: str = "") -> CoachReply:
    words = kit.wording
    names = [line(Fact("team.rep", name, name)) for _, name in scope.reps]
    lead = words.fill(key, who=Fact("request.who", who, who))
    return CoachReply(
        Reply("choose_rep", lead, (Section(words.fill("ask.reps_heading"), tuple(names)),))
    )


_ROUTES: dict[str, Callable[[_Ask], CoachReply]] = {
    "small_talk": _Ask.small_talk,
    "deal_review": _Ask.deal_review,
    "pipeline": _Ask.pipeline,
    "rep_summary": _Ask.rep_summary,
    "slipping": _Ask.slipping,
    "one_on_one": _Ask.one_on_one,
    "meeting_prep": _Ask.meeting_prep,
    "role_play": _Ask.role_play,
}
