"""The briefing check on realistic deals, one per kind of risk: every briefing has what a
champion needs, addresses no instruction to them, holds only traceable figures, and can
be approved when its champion text is clean although the deals carry candid notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from briefing_check import (
    instructions,
    missing_sections,
    objection_people,
    untraceable_figures,
)

from coaching.briefing import (
    BriefingContent,
    DeterministicWriter,
    InternalText,
    InternalValues,
    RiskKind,
    ShareableDeal,
    check_briefing,
    internal_values,
    load_seller_profile,
)
from coaching.briefing.view import StakeholderFacts, build_shareable_view
from coaching.model import AnswerFact
from coaching.playbook import load_playbook
from storage.demo import DEMO_SELLER_FILE

NOW = dt.datetime(2026, 11, 23, 13, tzinfo=dt.UTC)
TODAY = NOW.date()
SELLER = load_seller_profile(DEMO_SELLER_FILE)


def in_days(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


@dataclass
class DealCase:
    name: str
    account: str | None
    product: str
    summary: str
    answers: dict[str, str]
    people: list[StakeholderFacts]
    risk: RiskKind | None
    attendees: set[str]
    description: str = ""
    notes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    amount: Decimal = Decimal("84000")


CASES = [
    DealCase(
        name="Northwind fleet analytics - floor 12% - Routeify cheaper",
        account="Northwind Traders",
        product="Fleet Analytics",
        summary="Northwind's dispatchers plan 400 daily routes by hand; late deliveries cost "
        "them about 6% of revenue in penalties.",
        answers={
            "need": "defined",
            "authority": "Maria Lopez",
            "champion": "Tom Becker",
            "compelling_event": "New EU driver-hours rules take effect on 1 March",
            "decision_date": in_days(18),
            "next_step": "Security review call with their IT",
            "next_step_date": in_days(3),
            "competitors": "Routeify; doing nothing",
            "money": "confirmed",
        },
        people=[
            StakeholderFacts("Maria Lopez", "CFO", "decision_maker", None, 2, True, None),
            StakeholderFacts("Peter Hahn", "Chief Operating Officer", None, None, 2, True, None),
            StakeholderFacts(
                "Tom Becker",
                "Head of Dispatch",
                "champion",
                "tom@northwind.example",
                3,
                True,
                "Candid: Tom is nervous about his own budget review next Thursday.",
            ),
        ],
        risk="indecision",
        attendees={"Maria Lopez", "Peter Hahn"},
        description="Maria not sure about the rollout risk. Floor 12% discount; "
        "Routeify quoted 20% less. Walk-away at $71,400.",
        notes={"champion": "not sure he can get budget"},
        warnings=[
            "drifting to no decision (indecision): the decision date moved later 2 times; "
            "champion Tom Becker untested (can get budget: not sure)",
            "Take risk off the table: have Alex narrow the options, make one clear "
            "recommendation, and offer a pilot, references or a guarantee.",
        ],
    ),
    DealCase(
        name="Contoso service desk renewal",
        account="Contoso Ltd",
        product="Service Desk Suite",
        summary="Agents lose 300 hours a month re-typing requests from email; the help desk "
        "answers 1,800 requests a month.",
        answers={
            "need": "pain",
            "authority": "Grace Kim",
            "champion": "Ben Ortiz",
            "compelling_event": "The outsourced help desk contract ends on 31 March",
            "decision_date": in_days(30),
            "next_step": "Demo for the service desk team",
            "next_step_date": in_days(6),
            "money": "next_year",
        },
        people=[
            StakeholderFacts("Grace Kim", "IT Director", "decision_maker", None, 3, True, None),
            StakeholderFacts("Ben Ortiz", "Service Desk Manager", "champion", None, 4, True, None),
            StakeholderFacts("Lena Fox", "Finance Director", None, None, 1, True, "tough on cost"),
        ],
        risk="status_quo",
        attendees={"Grace Kim", "Lena Fox"},
        description="Budget only next year, about 46k. Grace thinks the old tool is good enough.",
        warnings=[
            "drifting to no decision (status quo): money only next year; pain but no "
            "defined project"
        ],
        amount=Decimal("46000"),
    ),
    DealCase(
        name="Adventure Works telematics (Routeify incumbent)",
        account="Adventure Works",
        product="Fleet Analytics",
        summary="Adventure Works runs 120 trucks; drivers miss 1 in 10 delivery windows.",
        answers={
            "need": "defined",
            "authority": "Lena Fischer",
            "champion": "Marco Rossi",
            "vision_owner": "competitor",
            "late_entry": "yes",
            "compelling_event": "Their largest retail customer starts charging for missed "
            "windows in February",
            "decision_date": in_days(40),
            "next_step": "Workshop on how plans are checked against the driving rules",
            "next_step_date": in_days(10),
            "competitors": "Routeify (pilot running since May)",
        },
        people=[
            StakeholderFacts(
                "Lena Fischer", "VP Operations", "decision_maker", None, 1, True, None
            ),
            StakeholderFacts("Marco Rossi", "Fleet Manager", "champion", None, 3, True, None),
            StakeholderFacts("Sam Reed", "CIO", "it", None, 1, True, "prefers Routeify's app"),
        ],
        risk="competitor_ahead",
        attendees={"Lena Fischer", "Sam Reed"},
        description="Routeify has been piloting since May; they priced 15% under us.",
        amount=Decimal("67000"),
    ),
    DealCase(
        name="Tailspin route optimisation",
        account="Tailspin Toys",
        product="Fleet Analytics",
        summary="Tailspin's seasonal peak doubles their parcel volume; last December 11% of "
        "deliveries were late. In the pilot, fuel spend went down 9%.",
        answers={
            "need": "defined",
            "authority": "Oliver Grant",
            "champion": "Hannah Moss",
            "vision_owner": "new_executive",
            "compelling_event": "Peak season starts 1 November",
            "decision_date": in_days(18),
            "next_step": "Contract review with procurement",
            "next_step_date": in_days(4),
        },
        people=[
            StakeholderFacts("Oliver Grant", "COO", "decision_maker", None, 4, True, None),
            StakeholderFacts("Hannah Moss", "Logistics Director", "champion", None, 4, True, None),
            StakeholderFacts("Raj Patel", "Finance Manager", "finance", None, 2, True, None),
        ],
        risk=None,
        attendees={"Oliver Grant", "Raj Patel"},
        description="Routeify; doing nothing. Oliver asked for 10% off at 120k.",
        amount=Decimal("120000"),
    ),
    DealCase(
        name="Wide World routing - CFO+COO, champion shaky",
        account="Wide World Importers",
        product="Fleet Analytics",
        summary="Wide World's planners spend 25 hours a week building routes by hand.",
        answers={
            "need": "defined",
            "authority": "the CFO and the COO",
            "champion": "Ines Duarte (Transport Planner, worried about her job)",
            "compelling_event": "Their second depot opens on 1 April",
            "decision_date": in_days(25),
            "next_step": "Route review with the planners",
            "next_step_date": in_days(5),
        },
        people=[
            StakeholderFacts("Ines Duarte", "Transport Planner", "champion", None, 4, True, None),
        ],
        risk=None,
        attendees={"CFO", "COO"},
        description="CFO thinks 90k is too much; COO fears a strike.",
        amount=Decimal("90000"),
    ),
]


def views(case: DealCase) -> tuple[ShareableDeal, InternalValues]:
    playbook = load_playbook()
    answers = [
        AnswerFact(1, key, value, NOW - dt.timedelta(days=2), "rep", note=case.notes.get(key))
        for key, value in case.answers.items()
    ]
    view = build_shareable_view(
        playbook,
        account=case.account,
        product=case.product,
        shared_summary=case.summary,
        rep_name="Alex Rivera",
        answers=answers,
        stakeholders=case.people,
        now=NOW,
        today=TODAY,
        seller=SELLER,
        risk=case.risk,
    )
    internal = internal_values(
        playbook,
        description=case.description,
        amount=case.amount,
        answers=answers,
        stakeholders=case.people,
        deal_name=case.name,
        other=[InternalText("a risk warning", text) for text in case.warnings]
        + [InternalText("a customer who has not agreed to be named", "Blue Yonder Parcel")],
    )
    return view, internal


def written(case: DealCase) -> tuple[BriefingContent, ShareableDeal, InternalValues]:
    view, internal = views(case)
    return DeterministicWriter().write(view), view, internal


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.risk or "qualified")
def test_each_briefing_passes_the_briefing_check(case: DealCase) -> None:
    content, view, internal = written(case)
    writer = DeterministicWriter()
    assert missing_sections(content) == []
    assert objection_people(content) == case.attendees
    assert instructions(content) == []
    assert untraceable_figures(content, view) == []
    assert check_briefing(content, view, internal, [writer.fixed_text]) == ()
    assert case.name not in content.shared_text()


def test_indecision_answers_the_fear_and_narrows_to_one_recommendation() -> None:
    content, _, _ = written(CASES[0])
    shared = content.shared
    assert shared.headline.endswith("one recommended first step, decided by Friday 11 December")
    assert shared.ask.startswith("One recommendation: phased rollout.")
    assert "A small first step: one depot or team goes first" in shared.value
    assert "If the agreed goal is not met after 90 days" in shared.value
    assert "References: a 30-minute call" in shared.value
    concerns = {(item.who, item.concern) for item in shared.objections}
    assert (
        "Peter Hahn (Chief Operating Officer)",
        "Will it disrupt the work while it goes in?",
    ) in (concerns)
    assert ("Maria Lopez (CFO)", "How soon does it pay for itself?") in concerns


def test_status_quo_states_the_cost_of_doing_nothing_and_restates_the_problem() -> None:
    content, _, _ = written(CASES[1])
    shared = content.shared
    assert shared.why_now.startswith(
        "Doing nothing is not free: Agents lose 300 hours a month re-typing requests from email."
    )
    assert "The outsourced help desk contract ends on 31 March." in shared.why_now
    assert shared.problem.endswith("None of this changes without a decision.")
    assert {item.concern for item in shared.objections if item.who.startswith("Grace")} == {
        "Is our data safe with it?",
        "Does it work with the systems we already have?",
    }


def test_a_competitors_head_start_reframes_the_decision_criteria() -> None:
    content, _, _ = written(CASES[2])
    shared = content.shared
    assert "The questions that decide which option is right: Does every plan stay" in shared.value
    assert "on the questions that matter most to Adventure Works" in shared.ask
    assert "Routeify" not in content.all_text()


def test_a_gain_is_framed_as_a_gain_never_as_a_cost() -> None:
    content, _, _ = written(CASES[3])
    shared = content.shared
    assert "fuel spend" not in shared.problem
    assert "Already measured at Tailspin Toys: in the pilot, fuel spend went down 9%." in (
        shared.value
    )
    payback = next(item for item in shared.objections if item.concern.startswith("How soon"))
    assert "Already measured here: in the pilot, fuel spend went down 9%." in payback.answer
    assert "Today: last December 11% of deliveries were late." in payback.answer


def test_a_deal_without_an_account_never_uses_the_deal_name() -> None:
    case = CASES[0]
    content, view, internal = written(
        DealCase(**{**case.__dict__, "account": None, "name": "Globex - floor 15% - beat Routeify"})
    )
    text = content.shared_text()
    assert "Globex" not in text and view.account is None
    assert content.shared.headline.startswith("Fleet Analytics: one recommended first step")
    assert any("no account name in the CRM" in q for q in content.rep.questions_for_rep)
    assert check_briefing(content, view, internal, [DeterministicWriter().fixed_text]) == ()


def test_a_meeting_with_the_cfo_and_the_coo_answers_each_of_them() -> None:
    """Issue 17: "CFO and COO" got no COO objection and read "Ask CFO and COO"."""
    content, _, _ = written(CASES[4])
    shared = content.shared
    asked = {(item.who, item.concern) for item in shared.objections}
    assert ("CFO", "How soon does it pay for itself?") in asked
    assert any(
        who == "COO" and concern.startswith("Will it disrupt the work") for who, concern in asked
    )
    assert "from the CFO and the COO" in shared.ask
    assert "worried" not in content.all_text()
    assert any("the CFO and the COO" in line for line in [content.rep.offer])
