"""Role-play: the coach plays a skeptical stakeholder built from the deal's real gaps.

The objections are chosen from the deal's risks and the attendee's role (see
objections.py), raised one at a time. An answer that makes enough of the points a
good answer makes is handled; one that doesn't gets one push-back, then counts as
missed. `stop` (or the last objection) ends it with a debrief. The state is plain
data (`as_dict`/`from_dict`), so any bot process can continue the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from coaching.coach.attendees import Attendee
from coaching.coach.deal_view import DealView
from coaching.coach.kit import CoachKit
from coaching.coach.objections import choose_objections, handled, points_made, says
from coaching.coach.prep import described
from coaching.coach.review import derived
from coaching.coach.slots import deal_slots
from coaching.coach.text import Line, Reply, Section, join, line

Outcome = Literal["handled", "missed"]
STOP_WORDS = frozenset(
    {"stop", "end", "done", "quit", "debrief", "stop role-play", "end role-play"}
)


@dataclass(frozen=True, slots=True)
class Result:
    objection: str
    outcome: Outcome
    points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RolePlayState:
    """Where a role-play stands: who is played, the objections, the answers so far."""

    deal_id: int
    who: str
    objections: tuple[str, ...]
    index: int = 0
    pushed: bool = False
    results: tuple[Result, ...] = ()

    @property
    def done(self) -> bool:
        return self.index >= len(self.objections)

    def as_dict(self) -> dict[str, Any]:
        return {
            "deal_id": self.deal_id,
            "who": self.who,
            "objections": list(self.objections),
            "index": self.index,
            "pushed": self.pushed,
            "results": [
                {"objection": item.objection, "outcome": item.outcome, "points": list(item.points)}
                for item in self.results
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RolePlayState:
        return cls(
            deal_id=int(data["deal_id"]),
            who=str(data["who"]),
            objections=tuple(data["objections"]),
            index=int(data["index"]),
            pushed=bool(data["pushed"]),
            results=tuple(
                Result(item["objection"], item["outcome"], tuple(item["points"]))
                for item in data["results"]
            ),
        )


def start_roleplay(
    view: DealView, kit: CoachKit, attendee: Attendee
) -> tuple[RolePlayState, Reply]:
    """The opening: who the coach plays, and the first objection."""
    objections = tuple(choose_objections(view, attendee, kit.roles))
    state = RolePlayState(view.deal.id, attendee.key, objections)
    slots = deal_slots(view, kit.wording)
    who = described(attendee, kit)
    intro = kit.wording.fill("roleplay.intro", who=who, deal=slots["deal"])
    if not objections:
        return replace(state, index=0), Reply(
            "role_play", intro, lead=kit.wording.fill("roleplay.nothing")
        )
    return state, Reply("role_play", intro, lead=_raise(state, view, kit, attendee))


def roleplay_turn(
    state: RolePlayState, view: DealView, kit: CoachKit, attendee: Attendee, text: str
) -> tuple[RolePlayState, Reply]:
    """The stakeholder's answer to the rep's reply; the debrief when it is over."""
    if " ".join(text.lower().split()).strip(".!") in STOP_WORDS or state.done:
        finished = replace(state, index=len(state.objections))
        return finished, debrief(finished, view, kit, attendee)
    objection = kit.roles.objections[state.objections[state.index]]
    made = points_made(objection, text, view)
    if not handled(objection, made) and not state.pushed:
        push = kit.wording.fill(
            "roleplay.says", who=_speaker(attendee, kit), line=line(objection.push)
        )
        return replace(state, pushed=True), Reply("role_play", push)
    outcome: Outcome = "handled" if handled(objection, made) else "missed"
    result = Result(state.objections[state.index], outcome, tuple(made))
    moved = replace(state, index=state.index + 1, pushed=False, results=(*state.results, result))
    if moved.done:
        return moved, debrief(moved, view, kit, attendee)
    acks = kit.wording.texts(f"roleplay.{outcome}")
    reaction = line(acks[state.index % len(acks)])
    return moved, Reply("role_play", reaction, lead=_raise(moved, view, kit, attendee))


def _speaker(attendee: Attendee, kit: CoachKit) -> Line:
    return line(attendee.name) if attendee.name else described(attendee, kit)


def _raise(state: RolePlayState, view: DealView, kit: CoachKit, attendee: Attendee) -> Line:
    objection = kit.roles.objections[state.objections[state.index]]
    said = says(objection, view, deal_slots(view, kit.wording))
    return kit.wording.fill("roleplay.says", who=_speaker(attendee, kit), line=said)


def debrief(state: RolePlayState, view: DealView, kit: CoachKit, attendee: Attendee) -> Reply:
    """What the rep handled (and with what), what they missed (and what works), what
    was not reached."""
    words = kit.wording
    slots = deal_slots(view, words)
    title = words.fill("roleplay.debrief_title", who=described(attendee, kit), deal=slots["deal"])
    done = {result.objection: result for result in state.results}
    handled_ = [result for result in state.results if result.outcome == "handled"]
    lead = words.fill(
        "roleplay.score",
        handled=derived("roleplay.handled", len(handled_)),
        total=derived("roleplay.objections", len(state.objections)),
    )
    sections = []
    if handled_:
        sections.append(
            Section(
                words.fill("roleplay.handled_heading"),
                tuple(_handled(result, kit) for result in handled_),
            )
        )
    missed = [result for result in state.results if result.outcome == "missed"]
    if missed:
        sections.append(
            Section(
                words.fill("roleplay.missed_heading"),
                tuple(_missed(result, kit) for result in missed),
            )
        )
    untouched = [key for key in state.objections if key not in done]
    if untouched:
        labels = join(
            [line(kit.roles.objections[key].label) for key in untouched],
            words.text("list.separator"),
        )
        sections.append(Section(words.fill("roleplay.not_reached_heading"), (labels,)))
    advice = "roleplay.next_retry" if missed or untouched else "roleplay.next_ready"
    sections.append(Section(words.fill("roleplay.next_heading"), (words.fill(advice),)))
    return Reply("role_play_debrief", title, tuple(sections), lead)


def _handled(result: Result, kit: CoachKit) -> Line:
    objection = kit.roles.objections[result.objection]
    points = join(
        [line(objection.points[key].label) for key in result.points],
        kit.wording.text("list.separator"),
    )
    return kit.wording.fill("roleplay.handled_item", label=objection.label, points=points)


def _missed(result: Result, kit: CoachKit) -> Line:
    objection = kit.roles.objections[result.objection]
    if not result.points:
        return kit.wording.fill("roleplay.missed_item", label=objection.label, tip=objection.tip)
    points = join(
        [line(objection.points[key].label) for key in result.points],
        kit.wording.text("list.separator"),
    )
    return kit.wording.fill(
        "roleplay.missed_partly", label=objection.label, tip=objection.tip, points=points
    )
