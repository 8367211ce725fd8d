"""Role-play: a skeptical stakeholder from the deal's gaps, turn by turn, then a debrief."""

import json

from coach_support import KIT, OWN_TEXTS, cited, globex, sections

from coaching.coach import (
    RolePlayState,
    check_reply,
    find_attendee,
    roleplay_turn,
    scene,
    start_roleplay,
)
from coaching.coach.roleplay import KEPT_LINES

PAYBACK = "It pays back in 7 months: today you lose 6% of revenue in penalties."
BARELY_MET = (
    "Fair point, which is why I'd like to walk you through the business case in your numbers."
)
RISK = "We start with one depot as a pilot, and you can call two customers like you."


def play(*replies: str):  # type: ignore[no-untyped-def]
    """Start a role-play with the CFO on Globex; the state is stored as JSON between turns."""
    deal_view = globex()
    state, reply = start_roleplay(deal_view, KIT, find_attendee(deal_view, "the CFO", KIT.roles))
    said = [reply]
    for text in replies:
        stored = json.loads(json.dumps(state.as_dict()))
        state = RolePlayState.from_dict(stored)
        attendee = find_attendee(deal_view, state.who, KIT.roles)
        state, reply = roleplay_turn(state, deal_view, KIT, attendee, text)
        said.append(reply)
    return state, said


def test_the_opening_says_who_is_played_and_raises_the_first_objection() -> None:
    state, (opening,) = play()
    assert opening.title.text.startswith(
        "Role-play: I'm Ines Duarte (Chief Financial Officer) on Globex"
    )
    assert opening.lead.text.startswith("Ines Duarte: “$84,000 is real money.")
    assert state.objections == ("payback", "barely_met", "risk")


def test_a_good_answer_moves_on_and_a_weak_one_gets_pushed_back_once() -> None:
    state, said = play(PAYBACK, "trust me", "it's a great product")
    assert said[1].title.text in KIT.wording.texts("roleplay.handled")
    assert said[1].lead.text.startswith("Ines Duarte: “We've hardly spoken before today.")
    assert (
        said[2].title.text
        == "Ines Duarte: “You still haven't told me why I should trust your view.”"
    )
    assert said[3].title.text in KIT.wording.texts("roleplay.missed")
    assert said[3].lead.text.startswith("Ines Duarte: “I've seen projects like this fail.")
    assert [result.outcome for result in state.results] == ["handled", "missed"]


def test_the_debrief_says_what_was_handled_with_what_and_what_was_missed() -> None:
    state, said = play(PAYBACK, "trust me", "still trust me", RISK)
    assert state.done
    debrief = said[-1]
    assert debrief.kind == "role_play_debrief"
    assert debrief.lead.text == "You handled 2 of 3 objections."
    found = sections(debrief)
    assert found["Handled"] == [
        "Payback: you gave a figure, what it costs them today, a payback period.",
        "Risk of failure: you gave a safe first step, proof from others.",
    ]
    assert found["Missed"] == [
        "Barely met: Acknowledge it, then make the business case in their numbers "
        "and offer a reference."
    ]
    assert found["Next"] == ["Work on what you missed, then run it again before the meeting."]


def test_stop_ends_early_with_what_was_not_reached() -> None:
    state, said = play(PAYBACK, "stop")
    assert state.done
    found = sections(said[-1])
    assert found["Not reached"] == ["Barely met, Risk of failure"]
    assert said[-1].lead.text == "You handled 1 of 3 objections."


def test_all_handled_means_ready() -> None:
    _, said = play(PAYBACK, BARELY_MET, RISK)
    assert sections(said[-1])["Next"][0].startswith("You're ready for these")


def test_the_same_answers_give_the_same_role_play() -> None:
    first = [reply.text() for reply in play(PAYBACK, "no idea", "no idea", RISK)[1]]
    second = [reply.text() for reply in play(PAYBACK, "no idea", "no idea", RISK)[1]]
    assert first == second


def test_every_line_of_a_role_play_is_grounded() -> None:
    deal_view = globex()
    _, said = play(PAYBACK, "trust me", "trust me", RISK)

    def resolve(fact):  # type: ignore[no-untyped-def]
        counts = {"roleplay.handled": "2", "roleplay.objections": "3"}
        return counts.get(fact.source) or cited(deal_view)(fact)

    for reply in said:
        assert check_reply(reply, OWN_TEXTS, resolve) == []


def test_the_scene_for_a_model_is_the_turn_the_playbook_would_play() -> None:
    deal_view = globex()
    state, _ = play()
    cfo = find_attendee(deal_view, state.who, KIT.roles)
    weak = scene(state, deal_view, KIT, cfo, "trust me")
    assert weak is not None
    assert (weak.who, weak.deal) == (
        "Ines Duarte (Chief Financial Officer)",
        "Globex fleet rollout",
    )
    assert weak.reaction == "push_back"
    assert weak.press == KIT.roles.objections["payback"].push
    assert weak.conversation == (f"Ines Duarte: {weak.concerns[0]}",)
    good = scene(state, deal_view, KIT, cfo, PAYBACK)
    assert good is not None
    assert (good.reaction, good.press) == ("convinced", good.concerns[1])
    assert scene(state, deal_view, KIT, cfo, "end") is None  # the debrief is the playbook's
    last, _ = play(PAYBACK, BARELY_MET)
    assert scene(last, deal_view, KIT, cfo, RISK) is None


def test_a_models_line_is_spoken_and_kept_in_the_conversation() -> None:
    deal_view = globex()
    state, _ = play()
    cfo = find_attendee(deal_view, state.who, KIT.roles)
    state, reply = roleplay_turn(state, deal_view, KIT, cfo, "trust me", spoken="Numbers, please.")
    assert reply.title.text == "Ines Duarte: “Numbers, please.”"
    assert state.pushed and state.transcript[-2:] == (
        ("rep", "trust me"),
        ("stakeholder", "Numbers, please."),
    )
    older = {key: value for key, value in state.as_dict().items() if key != "transcript"}
    assert RolePlayState.from_dict(older).transcript == ()  # a session stored before
    for turn in range(KEPT_LINES):
        state = state.heard(("rep", f"line {turn}"))
    assert len(state.transcript) == KEPT_LINES
