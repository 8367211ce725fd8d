"""Managers' questions: a rep's summary, deals that may slip, questions for a 1:1."""

import datetime as dt
from decimal import Decimal

import pytest
from coach_support import KIT, OWN_TEXTS, cited, globex, late_deal, sections, view
from risk_support import TODAY, answer, days_ago, deal

from coaching.coach import (
    CheckinStats,
    check_reply,
    compose_one_on_one,
    compose_rep_summary,
    compose_slipping,
)
from coaching.coach.managers import at_risk, digest_at_risk_lines, quarter_end


def team():  # type: ignore[no-untyped-def]
    """Three deals of Alex (one at risk badly, one mildly, one calm) and one of Sam."""
    urgent = view(
        late_deal(id=2, name="Umbrella renewal", amount=Decimal(20000)), [], owner="Alex Rivera"
    )
    warning = view(
        late_deal(id=3, name="Hooli expansion", amount=Decimal(90000)),
        [
            answer("champion", "Omar Haddad"),
            answer("authority", "Ines Duarte"),
            answer("exposure", "2"),
        ],
        owner="Alex Rivera",
    )
    calm = view(deal(id=4, name="Initech portal", amount=Decimal(7000)), [], owner="Alex Rivera")
    other = view(deal(id=5, name="Vandelay import", owner_id=12), [], owner="Sam Okafor")
    return [urgent, warning, calm], other


def test_deals_at_risk_are_ranked_by_severity_then_value() -> None:
    alex, _ = team()
    assert [view.deal.name for view in at_risk(alex)] == ["Umbrella renewal", "Hooli expansion"]
    assert alex[0].severity == 3 and alex[1].severity == 2


def test_a_rep_summary() -> None:
    alex, _ = team()
    reply = compose_rep_summary(alex, KIT, checkins=CheckinStats(sent=4, answered=3, days=14))
    assert reply.title.text == "Alex Rivera: 3 open, $117,000"
    assert reply.lead.text.startswith("At risk: 2. Qualification: ")
    assert reply.lead.text.endswith("Check-ins: 3 of 4 answered in the last 14 days.")
    found = sections(reply)
    risky = found["Deals at risk (most severe, then largest)"]
    assert risky[0].startswith(
        "Umbrella renewal · $20,000 · Negotiation/Review: No tested champion"
    )
    assert found["No risk flagged"] == ["Initech portal · $7,000"]


@pytest.mark.parametrize(
    ("today", "end"),
    [
        (dt.date(2026, 11, 23), dt.date(2026, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 6, 30), dt.date(2026, 6, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    ],
)
def test_the_quarter_ends_on_its_last_day(today: dt.date, end: dt.date) -> None:
    assert quarter_end(today) == end


def test_deals_that_may_slip_this_quarter_show_why() -> None:
    slipping = view(
        late_deal(id=6, name="Stark upgrade", amount=Decimal(50000), stage_entered_on=days_ago(60)),
        [
            answer("next_step", "Call"),
            answer("next_step_date", (TODAY + dt.timedelta(days=2)).isoformat()),
        ],
        owner="Alex Rivera",
    )
    on_track = view(
        late_deal(id=7, name="Wayne rollout", amount=Decimal(10000)),
        [
            answer("next_step", "Sign"),
            answer("next_step_date", (TODAY + dt.timedelta(days=3)).isoformat()),
        ],
        owner="Sam Okafor",
    )
    next_year = view(
        deal(id=8, name="Later deal", close_date=dt.date(2027, 2, 1)), [], owner="Sam Okafor"
    )
    reply = compose_slipping([on_track, slipping, next_year], KIT, TODAY)
    assert reply.title.text == "May slip: 1 of the 2 deals due by Thursday 31 December"
    found = sections(reply)
    close = slipping.cite("deal.close_date")
    assert close is not None
    assert found["May slip (largest first)"] == [
        f"Stark upgrade · $50,000 · closes {close.shown} (Alex Rivera): Stalled"
    ]
    assert found["Look on track"] == ["Wayne rollout · $10,000"]
    assert reply.lead.text == "At stake: $50,000."


def test_no_dated_next_step_is_a_reason_to_slip() -> None:
    reply = compose_slipping([view(late_deal(), [])], KIT, TODAY)
    assert sections(reply)["May slip (largest first)"][0].endswith("no dated next step")


def test_one_on_one_questions_per_deal_at_risk() -> None:
    alex, _ = team()
    reply = compose_one_on_one(alex, KIT)
    assert reply.title.text == "1:1 with Alex Rivera · at risk: 2"
    found = sections(reply)
    assert found["Hooli expansion · $90,000 · Negotiation/Review"][0] == (
        "When did you last speak to Ines Duarte on Hooli expansion, and who can introduce you?"
    )
    assert "Which deal worries you most that we haven't talked about?" in found["Also ask"]
    assert "Initech portal · $7,000 · Prospecting" not in found


def test_manager_replies_are_grounded() -> None:
    alex, other = team()
    views = {view.deal.id: view for view in [*alex, other]}
    lines = [line for view in alex for line in view.card.lines]
    counts = {
        "rep.fields_known": str(sum(line.status == "known" for line in lines)),
        "rep.fields_asked": str(sum(line.status != "waiting" for line in lines)),
        "rep.open_deals": "3",
        "rep.at_risk": "2",
        "total.USD": "117000",
        "checkins.answered": "3",
        "checkins.sent": "4",
        "checkins.days": "14",
    }

    def resolve(fact):  # type: ignore[no-untyped-def]
        if fact.deal_id is None:
            return counts.get(
                fact.source, fact.value if fact.source.startswith("rep.fields") else None
            )
        return cited(views[fact.deal_id])(fact)

    for reply in (
        compose_rep_summary(alex, KIT, checkins=CheckinStats(4, 3, 14)),
        compose_one_on_one(alex, KIT),
    ):
        assert check_reply(reply, OWN_TEXTS, resolve) == []


def test_globex_is_not_slipping_when_it_closes_next_quarter() -> None:
    assert compose_slipping([globex()], KIT, dt.date(2026, 9, 1)).text().startswith("No open deal")


def test_the_digest_lists_deals_at_risk_one_short_line_each() -> None:
    figures = {
        "deals": 3,
        "warnings": 4,
        "shown": [
            {
                "deal": "Umbrella renewal",
                "owner": "Alex Rivera",
                "stage": "Negotiation",
                "amount": 20000.0,
                "currency": "USD",
                "severity": 3,
                "warnings": [
                    {"rule": "no_tested_champion", "label": "No tested champion", "severity": 3},
                    {"rule": "stalled", "label": "Stalled", "severity": 2},
                    {"rule": "no_power", "label": "No power", "severity": 2},
                ],
            },
            {
                "deal": "Vandelay import",
                "owner": "Sam Okafor",
                "stage": "Demo",
                "amount": None,
                "currency": "USD",
                "severity": 1,
                "warnings": [{"rule": "no_activity", "label": "No activity", "severity": 1}],
            },
        ],
    }
    lines = digest_at_risk_lines(figures, KIT)
    assert [item.text for item in lines] == [
        "urgent · Umbrella renewal · $20,000 · Alex Rivera: No tested champion (+2 more)",
        "watch · Vandelay import · amount unknown · Sam Okafor: No activity",
        "…and 1 more.",
    ]
    assert [fact.source for fact in lines[0].facts] == [
        "digest.at_risk.0.deal",
        "digest.at_risk.0.amount",
        "digest.at_risk.0.owner",
        "digest.at_risk.0.more_warnings",
    ]
