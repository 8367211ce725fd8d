"""Stored answers outside what the wording knows (a custom playbook's option, an old
value) are cited as they are: one odd answer must not stop the scan for everyone."""

from risk_support import answer, case, deal, rule


def test_a_champion_test_answered_with_a_value_the_wording_does_not_know() -> None:
    answers = [
        answer("champion", "Hannah Moss"),
        answer("champion_prefers_us", "yes"),
        answer("champion_can_fund", "partly"),
        answer("champion_sells", "yes"),
    ]
    found = rule("no_tested_champion", case(deal(stage="Negotiation"), answers))
    assert found is not None
    assert found.reason == "in Negotiation: champion Hannah Moss untested (can get budget: partly)"
