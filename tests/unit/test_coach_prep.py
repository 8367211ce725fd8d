"""Meeting prep: agenda, questions, the objections of that role on this deal, the ask."""

import datetime as dt

from coach_support import KIT, OWN_TEXTS, cited, globex, late_deal, sections, view
from risk_support import answer

from coaching.coach import check_reply, compose_prep, find_attendee

THURSDAY = dt.date(2026, 11, 26)


def prep(who: str, deal_view=None, when=THURSDAY):  # type: ignore[no-untyped-def]
    deal_view = deal_view or globex()
    attendee = find_attendee(deal_view, who, KIT.roles)
    return compose_prep(deal_view, KIT, attendee, when=when, meeting="call")


def test_prep_for_the_cfo_who_decides() -> None:
    reply = prep("the CFO")
    assert reply.title.text == (
        "Prep: call with Ines Duarte (Chief Financial Officer) · Globex fleet rollout"
        " · Thursday 26 November"
    )
    assert "is the decision maker, and your exposure is 2 of 5" in reply.lead.text
    found = sections(reply)
    assert set(found) == {"Agenda", "Questions to ask", "Objections to expect", "The ask"}
    assert found["Agenda"][0] == (
        "Open with their deadline (Their carrier contract ends in April) and check it still holds."
    )
    assert (
        "Cover what matters to finance: payback, cash, and the risk of a wrong bet."
        in found["Agenda"]
    )
    assert [item.split(":")[0] for item in found["Objections to expect"]] == [
        "Payback",
        "Barely met",
        "Risk of failure",
    ]
    close = globex().cite("deal.close_date")
    assert close is not None
    assert found["The ask"] == [
        f"Ask Ines Duarte to confirm the decision by {close.shown} "
        "and what they need from you to sign."
    ]


def test_prep_for_the_champion_asks_for_the_introduction() -> None:
    found = sections(prep("Omar"))
    assert found["The ask"] == [
        "Ask Omar Haddad to introduce you to Ines Duarte, with a date for that meeting."
    ]
    assert found["Questions to ask"][0].startswith(
        "Would it help if I spent 20 minutes with Ines Duarte"
    )


def test_prep_for_someone_the_deal_does_not_know_says_so() -> None:
    reply = prep("the COO", when=None)
    assert reply.title.text == "Prep: call with the COO · Globex fleet rollout"
    assert reply.lead.text.startswith("This deal has no one on record as the COO")
    assert "Cover what matters to operations" in " ".join(sections(reply)["Agenda"])


def test_questions_come_from_the_deals_gaps_for_that_role() -> None:
    open_money = view(late_deal(), [answer("authority", "Ines Duarte")])
    questions = sections(prep("the CFO", open_money))["Questions to ask"]
    assert (
        "If you decide this is the right thing to do, where will the money come from?" in questions
    )
    assert len(questions) <= 4


def test_a_prep_is_grounded() -> None:
    deal_view = globex()
    reply = prep("the CFO", deal_view)

    def resolve(fact):  # type: ignore[no-untyped-def]
        if fact.source == "request.when":
            return THURSDAY.isoformat()
        if fact.source == "request.meeting":
            return "call"
        return cited(deal_view)(fact)

    assert check_reply(reply, OWN_TEXTS, resolve) == []
