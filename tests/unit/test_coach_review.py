"""Deal and pipeline reviews: risks with reasons, what is unknown, actions with words."""

import datetime as dt
from decimal import Decimal

from coach_support import HEALTHY, KIT, OWN_TEXTS, cited, globex, late_deal, sections, view
from risk_support import TODAY, answer, days_ago, deal

from coaching.coach import check_reply, compose_pipeline, compose_review
from coaching.coach.text import Fact, Reply, line


def test_a_review_names_the_risks_with_their_reasons() -> None:
    reply = compose_review(globex(), KIT)
    assert reply.title.text.startswith(
        "Globex fleet rollout · Globex Corp · $84,000 · Negotiation/Review"
    )
    risks = sections(reply)["Top risks"]
    assert (
        risks[0] == "warning · No power: in Negotiation/Review: exposure to Ines Duarte is 2 of 5"
    )
    assert risks[1].startswith(
        "warning · No tested champion: in Negotiation/Review: champion Omar Haddad"
    )


def test_a_review_says_what_it_does_not_know() -> None:
    unknown = sections(compose_review(globex(), KIT))["Unknown or out of date"]
    assert "Champion test: can secure budget: never answered" in unknown
    assert "Competitors: never answered" in unknown
    unsure = compose_review(view(late_deal(), [answer("money", "unknown")]), KIT)
    assert "Money: not sure" in sections(unsure)["Unknown or out of date"]


def test_stale_answers_show_their_value_and_age() -> None:
    answers = [answer(key, value) for key, value in HEALTHY.items() if key != "need"]
    reply = compose_review(view(deal(), [*answers, answer("need", "defined", 45)]), KIT)
    assert "Need: “Defined project”, 45 days old" in sections(reply)["Unknown or out of date"]


def test_a_review_has_one_to_three_actions_each_with_the_words_to_use() -> None:
    actions = sections(compose_review(globex(), KIT))["Next best actions"]
    assert 1 <= len(actions) <= 3
    for action in actions:
        assert "\n  Say to " in action and action.endswith("”")


def test_every_fact_in_a_review_comes_from_the_deal_and_the_rest_is_our_wording() -> None:
    deal_view = globex()
    reply = compose_review(deal_view, KIT, show_owner=True)
    assert check_reply(reply, OWN_TEXTS, cited(deal_view)) == []
    sources = {fact.source for fact in reply.facts}
    assert {"deal.name", "deal.amount", "risk.no_power.reason", "answer.authority"} <= sources


def test_the_grounding_check_catches_an_invented_fact_and_invented_words() -> None:
    deal_view = globex()
    reply = compose_review(deal_view, KIT)
    forged = Fact("deal.amount", "99000.00", "$99,000", deal_id=deal_view.deal.id)
    tampered = Reply(
        reply.kind,
        line(reply.title, " with Acme Corp as partner", forged),
    )
    problems = check_reply(tampered, OWN_TEXTS, cited(deal_view))
    assert any("deal.amount" in problem and "84000" in problem for problem in problems)
    assert any("Acme Corp" in problem for problem in problems)


def test_a_paused_deal_says_until_when_and_why() -> None:
    paused = deal(
        paused_until=TODAY + dt.timedelta(days=20), pause_reason="budget freeze until January"
    )
    reply = compose_review(view(paused), KIT)
    until = (TODAY + dt.timedelta(days=20)).strftime("%A %-d %B")
    assert reply.lead.text == f"Paused until {until}: budget freeze until January."


def test_the_pipeline_puts_the_worst_and_largest_first_and_paused_last() -> None:
    risky_small = view(late_deal(id=2, name="Small risky", amount=Decimal(1000)), [])
    risky_big = view(late_deal(id=3, name="Big risky", amount=Decimal(90000)), [])
    calm = view(deal(id=4, name="Calm one", amount=Decimal(5000)), [])
    paused = view(deal(id=5, name="Paused one", paused_until=TODAY + dt.timedelta(days=9)), [])
    reply = compose_pipeline([calm, risky_small, paused, risky_big], KIT)
    assert reply.title.text == "Pipeline: 4 open, $146,000"
    found = sections(reply)
    assert [item.split(" · ")[0] for item in found["At risk (most severe, then largest)"]] == [
        "Big risky",
        "Small risky",
    ]
    assert found["No risk flagged"][0].startswith("Calm one · $5,000 · Prospecting")
    assert found["Paused"][0].startswith("Paused one · $50,000: Paused until")
    assert " First: " in found["At risk (most severe, then largest)"][0]


def test_an_empty_pipeline_says_so() -> None:
    assert compose_pipeline([], KIT).text() == "There are no open deals here."


def test_days_in_stage_counts_from_the_stage_change() -> None:
    deal_view = view(late_deal(stage_entered_on=days_ago(12)))
    fact = deal_view.cite("deal.days_in_stage")
    assert fact is not None and fact.value == "12"
