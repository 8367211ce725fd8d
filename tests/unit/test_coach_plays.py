"""Next best actions: chosen by the kind of risk, worded with the deal's own facts."""

import datetime as dt
from pathlib import Path

import pytest
from coach_support import HEALTHY, KIT, globex, late_deal, person, view
from risk_support import TODAY, answer, days_ago, deal, pushed

from coaching.coach.deal_view import DealView
from coaching.coach.plays import Action, PlaysError, choose_actions, load_plays
from coaching.coach.slots import deal_slots


def actions(deal_view: DealView, limit: int = 3) -> list[Action]:
    return choose_actions(
        deal_view, KIT.plays, KIT.wording, deal_slots(deal_view, KIT.wording), limit
    )


def plays(deal_view: DealView) -> list[str]:
    return [action.play for action in actions(deal_view)]


def test_far_from_the_decision_maker_ask_the_champion_for_the_introduction() -> None:
    first = actions(globex())[0]
    assert first.play == "reach_decision_maker"
    assert first.do.text.startswith("Find the 5: ask Omar Haddad to introduce you to Ines Duarte")
    assert "your exposure is 2 of 5" in first.do.text
    assert first.say_to.text == "Omar Haddad"
    assert "20 minutes with Ines Duarte" in first.say.text
    assert first.why is not None and first.why.source == "risk.no_power.reason"


def test_the_champion_test_asks_about_the_first_test_not_passed() -> None:
    test = next(action for action in actions(globex()) if action.play == "test_champion")
    assert test.say.text.startswith("Have you got something this size approved before?")
    funded = globex([answer("champion_can_fund", "yes", 1)])
    test = next(action for action in actions(funded) if action.play == "test_champion")
    assert test.say.text.startswith("Would you share the business case with Ines Duarte")
    doubted = globex([answer("champion_prefers_us", "no", 1)])
    test = next(action for action in actions(doubted) if action.play == "test_champion")
    assert test.say.text == "If you could not buy from us, what would you do instead?"


def test_decision_maker_unknown_in_a_late_deal_find_them_through_the_champion() -> None:
    deal_view = view(late_deal(), [answer("champion", "Omar Haddad")])
    find = next(action for action in actions(deal_view) if action.play == "find_decision_maker")
    assert (
        find.do.text == "Find the decision maker: ask Omar Haddad who signs and who else has a say."
    )
    assert find.say_to.text == "Omar Haddad"


def test_a_competitors_head_start_is_flanked_with_an_executive_sponsor() -> None:
    tested_champion = [
        answer("champion", "Omar Haddad"),
        *(
            answer(test, "yes")
            for test in ("champion_prefers_us", "champion_can_fund", "champion_sells")
        ),
    ]
    deal_view = view(
        late_deal(),
        [
            answer("late_entry", "yes"),
            answer("authority", "Ines Duarte"),
            answer("exposure", "4"),
            *tested_champion,
        ],
    )
    flank = actions(deal_view)[0]
    assert flank.play == "flank"
    assert "change the decision criteria toward our unique value" in flank.do.text
    assert flank.say_to.text == "Ines Duarte"
    assert "one of our executives" in flank.say.text


def test_status_quo_restates_the_problem_and_the_cost_of_doing_nothing() -> None:
    deal_view = view(
        late_deal(),
        [
            answer("money", "next_year"),
            answer("need", "pain"),
            answer("compelling_event", "Their carrier contract ends in April"),
        ],
    )
    status_quo = next(action for action in actions(deal_view, 5) if action.play == "status_quo")
    assert "cost of doing nothing" in status_quo.do.text
    assert status_quo.say.text == (
        "You told us about this: Their carrier contract ends in April. "
        "What does it cost you if nothing has changed by then?"
    )
    assert "Their carrier contract ends in April" in [fact.value for fact in status_quo.say.facts]


def test_indecision_takes_risk_off_the_table_and_recommends_one_option() -> None:
    deal_view = view(
        late_deal(),
        [
            answer("champion", "unknown"),
            answer("competitors", "Routeify, Fleetly, doing nothing"),
            answer("authority", "Ines Duarte"),
            answer("exposure", "4"),
        ],
    )
    indecision = next(action for action in actions(deal_view, 5) if action.play == "indecision")
    assert "phased rollout, references, a guarantee" in indecision.do.text
    assert indecision.say.text.startswith("You're weighing Routeify, Fleetly, doing nothing.")
    assert "Shall we take that option forward?" in indecision.say.text


def test_status_quo_and_indecision_get_opposite_remedies() -> None:
    status_quo = KIT.plays.plays["status_quo"]
    indecision = KIT.plays.plays["indecision"]
    assert "cost of doing nothing" in status_quo.do
    assert "take the risk off the table" in indecision.do.lower()
    assert status_quo.group == indecision.group  # one of the two per review, the worse first


def test_a_buyer_nobody_can_find_is_qualified_out_first() -> None:
    quiet = deal(
        stage="Needs Analysis",
        stage_entered_on=days_ago(50),
        created_on=days_ago(80),
        last_activity_on=days_ago(20),
        close_date=TODAY - dt.timedelta(days=5),
    )
    chosen = actions(view(quiet))
    assert chosen[0].play == "qualify_out"
    assert "lose early" in chosen[0].do.text
    assert len(chosen) == 2  # qualifying out leaves room for one other action


def test_without_risks_the_unknowns_become_questions_for_the_buyer() -> None:
    chosen = actions(view(deal(name="Initech portal", account="Initech")))
    assert [action.play for action in chosen] == [
        "find_out:need",
        "find_out:next_step",
        "find_out:money",
    ]
    assert chosen[0].say_to.text == "your contact at Initech"
    assert chosen[2].say.text.startswith("If you decide this is the right thing to do")


def test_when_everything_is_known_but_old_the_action_is_a_refresh() -> None:
    old = [answer(key, value, 200) for key, value in HEALTHY.items()]
    chosen = actions(view(deal(), old))
    assert [action.play for action in chosen] == ["refresh"]
    assert "out of date" in chosen[0].do.text


def test_at_most_three_actions_one_per_group() -> None:
    busy = view(
        late_deal(stage_entered_on=days_ago(70), last_activity_on=days_ago(40)),
        [
            answer("late_entry", "yes"),
            answer("money", "none"),
            answer("need", "research"),
            answer("authority", "Ines Duarte"),
            answer("champion", "Omar Haddad"),
        ],
        close_date_changes=pushed(
            TODAY, TODAY + dt.timedelta(days=14), TODAY + dt.timedelta(days=30)
        ),
    )
    chosen = actions(busy)
    assert len(chosen) == 3
    groups = [
        KIT.plays.plays[action.play].group for action in chosen if action.play in KIT.plays.plays
    ]
    assert len(groups) == len(set(groups))
    assert [action.relevance for action in chosen] == sorted(
        (action.relevance for action in chosen), reverse=True
    )


def test_exposure_of_one_in_a_middle_stage_coaches_even_before_a_risk_fires() -> None:
    middle = deal(stage="Value Proposition")
    deal_view = view(
        middle,
        [
            answer("authority", "Ines Duarte"),
            answer("exposure", "1"),
            answer("champion", "Omar Haddad"),
            answer("next_step", "workshop"),
            answer("next_step_date", (TODAY + dt.timedelta(days=7)).isoformat()),
        ],
        (person("Ines Duarte", "VP Operations", "decision_maker", 1),),
    )
    assert not deal_view.findings
    assert plays(deal_view)[0] == "reach_decision_maker"


def test_a_broken_plays_file_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "plays.yaml"
    path.write_text("plays:\n  x:\n    kind: X\n", encoding="utf-8")
    with pytest.raises(PlaysError, match=r"plays\.yaml are invalid"):
        load_plays(path)
