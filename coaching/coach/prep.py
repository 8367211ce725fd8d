"""Meeting prep: "prep me for the call with the CFO on Thursday".

An agenda, the questions to ask, the objections to expect from that role on this
deal, and the ask, from the deal's risks and gaps and the role table. What the deal
does not know (who "the CFO" is) is said, not guessed.
"""

from __future__ import annotations

import datetime as dt

from coaching.briefing.deterministic import day
from coaching.coach.attendees import Attendee
from coaching.coach.deal_view import DealView
from coaching.coach.kit import CoachKit
from coaching.coach.objections import choose_objections, says
from coaching.coach.plays import Action, choose_actions
from coaching.coach.slots import deal_slots
from coaching.coach.text import Fact, Line, Reply, Section, Slot, fill, line

QUESTIONS_SHOWN = 4
REQUEST_WHEN = "request.when"
REQUEST_MEETING = "request.meeting"


def described(attendee: Attendee, kit: CoachKit) -> Line:
    """`Maria Lopez (CFO)`, `Maria Lopez`, `CFO` (the rep's words), or `the buyer`."""
    words = kit.wording
    if attendee.name and attendee.title:
        return words.fill("people.named_titled", name=attendee.name, title=attendee.title)
    if attendee.name or attendee.title:
        return line(attendee.name or attendee.title)  # type: ignore[arg-type]
    return words.fill("people.someone")


def compose_prep(
    view: DealView,
    kit: CoachKit,
    attendee: Attendee,
    *,
    when: dt.date | None = None,
    meeting: str | None = None,
) -> Reply:
    """Agenda, questions, objections to expect and the ask for a meeting on this deal."""
    words = kit.wording
    slots = deal_slots(view, words)
    who = described(attendee, kit)
    kind: Slot = Fact(REQUEST_MEETING, meeting, meeting) if meeting else words.text("prep.meeting")
    title_slots: dict[str, Slot] = {"meeting": kind, "who": who, "deal": slots["deal"]}
    if when is not None:
        title = words.fill(
            "prep.title_dated", when=Fact(REQUEST_WHEN, when.isoformat(), day(when)), **title_slots
        )
    else:
        title = words.fill("prep.title", **title_slots)
    role = kit.roles.role(attendee.role)
    actions = [
        action
        for action in choose_actions(view, kit.plays, words, slots)
        if _for(action, attendee, slots)
    ]
    sections = (
        Section(
            words.fill("prep.agenda_heading"),
            _agenda(view, kit, role.label, role.cares_about, slots),
        ),
        Section(
            words.fill("prep.questions_heading"), _questions(view, kit, attendee, actions, slots)
        ),
        Section(words.fill("prep.objections_heading"), _objections(view, kit, attendee, slots)),
        Section(words.fill("prep.ask_heading"), (_ask(view, kit, attendee, slots),)),
    )
    return Reply("meeting_prep", title, sections, _lead(attendee, kit, who))


def _lead(attendee: Attendee, kit: CoachKit, who: Line) -> Line:
    words = kit.wording
    if attendee.name is None and attendee.title is not None:
        return words.fill("prep.unknown_person", who=attendee.title)
    if attendee.name is None:
        return words.fill("prep.nobody_named")
    if attendee.is_decision_maker and attendee.exposure is not None:
        return words.fill("prep.lead_decision_maker", who=who, exposure=attendee.exposure)
    if attendee.is_decision_maker:
        return words.fill("prep.lead_decision_maker_unrated", who=who)
    if attendee.is_champion:
        return words.fill("prep.lead_champion", who=who)
    return Line()


def _for(action: Action, attendee: Attendee, slots: dict[str, Slot]) -> bool:
    """Whether the action's words are meant for this attendee."""
    to = action.say_to.facts
    champion, decision_maker = slots["champion"], slots["decision_maker"]
    if isinstance(champion, Fact) and champion in to:
        return attendee.is_champion
    if isinstance(decision_maker, Fact) and decision_maker in to:
        return attendee.is_decision_maker
    return True


def _agenda(
    view: DealView, kit: CoachKit, label: str, cares_about: str, slots: dict[str, Slot]
) -> tuple[Line, ...]:
    words = kit.wording
    opener = (
        "prep.agenda_open_event" if view.cite("answer.compelling_event") else "prep.agenda_open"
    )
    decision_known = not view.unknown("decision_date") and not view.unknown("authority")
    decision = "prep.agenda_confirm_decision" if decision_known else "prep.agenda_map_decision"
    return (
        words.fill(opener, **slots),
        words.fill("prep.agenda_role", role=label, cares_about=cares_about),
        words.fill(decision, **slots),
        words.fill("prep.agenda_close"),
    )


def _questions(
    view: DealView,
    kit: CoachKit,
    attendee: Attendee,
    actions: list[Action],
    slots: dict[str, Slot],
) -> tuple[Line, ...]:
    role = kit.roles.role(attendee.role)
    asked = [action.say for action in actions[:2]]
    for gap in view.gaps:
        key = gap.spec.key
        if gap.status != "stale" and key in role.asks_about and key in kit.plays.buyer_questions:
            asked.append(fill(kit.plays.buyer_questions[key], slots))
    asked += [fill(question, slots) for question in role.questions]
    unique: list[Line] = []
    for question in asked:
        if question.text not in {seen.text for seen in unique}:
            unique.append(question)
    return tuple(unique[:QUESTIONS_SHOWN])


def _objections(
    view: DealView, kit: CoachKit, attendee: Attendee, slots: dict[str, Slot]
) -> tuple[Line, ...]:
    chosen = choose_objections(view, attendee, kit.roles)
    if not chosen:
        return (kit.wording.fill("prep.no_objections"),)
    items = []
    for key in chosen:
        objection = kit.roles.objections[key]
        items.append(
            kit.wording.fill(
                "prep.objection",
                label=objection.label,
                says=says(objection, view, slots),
                tip=objection.tip,
            )
        )
    return tuple(items)


def _ask(view: DealView, kit: CoachKit, attendee: Attendee, slots: dict[str, Slot]) -> Line:
    words = kit.wording
    name: Slot = attendee.name or attendee.title or words.text("people.them")
    values = dict(slots) | {"name": name}
    power_gap = bool(view.signals & {"low_exposure", "exposure_dropped", "authority_unknown"})
    if attendee.is_champion and (power_gap or view.unknown("authority")):
        return words.fill("prep.ask_champion_intro", **values)
    who = "decision_maker" if attendee.is_decision_maker else "other"
    return words.fill(f"prep.ask_{who}_{view.group}", **values)
