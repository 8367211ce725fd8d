"""Role-play: the coach plays a skeptical stakeholder built from the deal's real gaps.

The objections are chosen from the deal's risks and the attendee's role (see
objections.py), raised one at a time. An answer that makes enough of the points a
good answer makes is handled; one that doesn't gets one push-back, then counts as
missed. `stop` (or the last objection) ends it with a debrief. The state is plain
data (`as_dict`/`from_dict`), so any bot process can continue the conversation.

With a model, the stakeholder's words for a turn may be the model's (`roleplay_turn`'s
`spoken`, built from `scene`); which objection is handled, pressed or raised next stays
decided here, so the debrief is always grounded.
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
KEPT_LINES = 12  # the conversation kept for a model: the last lines
KEPT_CHARS = 600  # of each line
Speaker = Literal["rep", "stakeholder"]
Reaction = Literal["convinced", "not_convinced", "push_back"]


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
    transcript: tuple[tuple[Speaker, str], ...] = ()  # the last lines, for a model

    @property
    def done(self) -> bool:
        return self.index >= len(self.objections)

    def heard(self, *lines: tuple[Speaker, str]) -> RolePlayState:
        """This state with `lines` added to the conversation (the last ones kept)."""
        added = tuple((who, text[:KEPT_CHARS]) for who, text in lines)
        return replace(self, transcript=(*self.transcript, *added)[-KEPT_LINES:])

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
            "transcript": [list(item) for item in self.transcript],
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
            transcript=tuple((who, str(text)) for who, text in data.get("transcript", [])),
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
    words = _words(state, view, kit)
    opening = Reply("role_play", intro, lead=_says(words, attendee, kit))
    return state.heard(("stakeholder", words.text)), opening


def ends(state: RolePlayState, text: str) -> bool:
    """Whether the rep's `text` ends the role-play (the debrief follows)."""
    return " ".join(text.lower().split()).strip(".!") in STOP_WORDS or state.done


def roleplay_turn(
    state: RolePlayState,
    view: DealView,
    kit: CoachKit,
    attendee: Attendee,
    text: str,
    *,
    spoken: str | None = None,
) -> tuple[RolePlayState, Reply]:
    """The stakeholder's answer to the rep's reply (in the words `spoken`, a model's,
    when given); the debrief when it is over."""
    if ends(state, text):
        finished = replace(state, index=len(state.objections))
        return finished, debrief(finished, view, kit, attendee)
    objection = kit.roles.objections[state.objections[state.index]]
    made = points_made(objection, text, view)
    if not handled(objection, made) and not state.pushed:
        push = line(spoken or objection.push)
        pushed = replace(state, pushed=True).heard(("rep", text), ("stakeholder", push.text))
        return pushed, Reply("role_play", _says(push, attendee, kit))
    outcome: Outcome = "handled" if handled(objection, made) else "missed"
    result = Result(state.objections[state.index], outcome, tuple(made))
    moved = replace(state, index=state.index + 1, pushed=False, results=(*state.results, result))
    if moved.done:
        return moved, debrief(moved, view, kit, attendee)
    if spoken:
        reply, words = Reply("role_play", _says(line(spoken), attendee, kit)), spoken
    else:
        acks = kit.wording.texts(f"roleplay.{outcome}")
        ack, asked = line(acks[state.index % len(acks)]), _words(moved, view, kit)
        reply = Reply("role_play", ack, lead=_says(asked, attendee, kit))
        words = f"{ack.text} {asked.text}"
    return moved.heard(("rep", text), ("stakeholder", words)), reply


@dataclass(frozen=True, slots=True)
class Scene:
    """What a model needs to play the stakeholder's next line: who they are, the deal,
    their concerns (the objections chosen from the deal's gaps), the one to press now,
    and how the rep's last answer landed."""

    who: str
    deal: str
    concerns: tuple[str, ...]
    press: str
    reaction: Reaction
    conversation: tuple[str, ...]
    said: str

    def texts(self) -> tuple[str, ...]:
        """Every text given to the model: all a grounded reply may draw on."""
        return (self.who, self.deal, *self.concerns, self.press, *self.conversation, self.said)


def scene(
    state: RolePlayState, view: DealView, kit: CoachKit, attendee: Attendee, text: str
) -> Scene | None:
    """The scene of the stakeholder's reply to `text`; None when the turn ends the
    role-play (the debrief is never a model's)."""
    after, _ = roleplay_turn(state, view, kit, attendee, text)
    if ends(state, text) or after.done:
        return None
    slots = deal_slots(view, kit.wording)
    concerns = tuple(says(kit.roles.objections[key], view, slots).text for key in state.objections)
    reaction: Reaction = "push_back"
    if after.pushed:
        press = kit.roles.objections[state.objections[state.index]].push
    else:
        press = concerns[after.index]
        reaction = "convinced" if after.results[-1].outcome == "handled" else "not_convinced"
    speaker = _speaker(attendee, kit).text
    conversation = tuple(
        f"{speaker if who == 'stakeholder' else 'Rep'}: {line_}" for who, line_ in state.transcript
    )
    return Scene(
        described(attendee, kit).text,
        line(slots["deal"]).text,
        concerns,
        press,
        reaction,
        conversation,
        text,
    )


def _speaker(attendee: Attendee, kit: CoachKit) -> Line:
    return line(attendee.name) if attendee.name else described(attendee, kit)


def _words(state: RolePlayState, view: DealView, kit: CoachKit) -> Line:
    """How the stakeholder raises the objection the role-play is at."""
    objection = kit.roles.objections[state.objections[state.index]]
    return says(objection, view, deal_slots(view, kit.wording))


def _says(words: Line, attendee: Attendee, kit: CoachKit) -> Line:
    return kit.wording.fill("roleplay.says", who=_speaker(attendee, kit), line=words)


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
