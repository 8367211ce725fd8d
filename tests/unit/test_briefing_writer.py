"""The deterministic writer: a real briefing from the facts, questions for what is missing."""

import datetime as dt
import random
import re

import pytest
from briefing_check import instructions, untraceable_figures

from coaching.briefing import (
    BriefingContent,
    DeterministicWriter,
    load_seller_profile,
    render_html,
    render_markdown,
)
from coaching.briefing.view import ShareableDeal, StakeholderFacts, build_shareable_view
from coaching.model import AnswerFact
from coaching.playbook import load_playbook
from storage.demo import DEMO_SELLER_FILE

NOW = dt.datetime(2026, 11, 23, 13, tzinfo=dt.UTC)
TODAY = NOW.date()
FACTS = {
    "need": "defined",
    "authority": "Oliver Grant",
    "vision_owner": "new_executive",
    "champion": "Hannah Moss",
    "compelling_event": "Peak season starts 1 November",
    "decision_date": (TODAY + dt.timedelta(days=18)).isoformat(),
    "next_step": "Contract review with procurement",
    "next_step_date": (TODAY + dt.timedelta(days=4)).isoformat(),
}
PEOPLE = [
    StakeholderFacts("Oliver Grant", "COO", "decision_maker", None, 4, True, None),
    StakeholderFacts(
        "Hannah Moss", "Logistics Director", "champion", "h@t.example", None, True, None
    ),
    StakeholderFacts("Raj Patel", "Finance Manager", "finance", None, 2, True, None),
]
SUMMARY = (
    "Tailspin's seasonal peak doubles their parcel volume; "
    "last December 11% of deliveries were late."
)


SELLER = load_seller_profile(DEMO_SELLER_FILE)


def make_view(
    facts: dict[str, str], summary: str | None = SUMMARY, people=PEOPLE, seller=SELLER
) -> ShareableDeal:
    return build_shareable_view(
        load_playbook(),
        account="Tailspin Toys",
        product="Fleet Analytics",
        shared_summary=summary,
        rep_name="Priya Shah",
        answers=[
            AnswerFact(1, key, value, NOW - dt.timedelta(days=2), "rep")
            for key, value in facts.items()
        ],
        stakeholders=people,
        now=NOW,
        today=TODAY,
        seller=seller,
    )


def write(view: ShareableDeal) -> BriefingContent:
    return DeterministicWriter().write(view)


def test_a_well_qualified_deal_reads_like_a_coach_wrote_it_for_that_deal() -> None:
    content = write(make_view(FACTS))
    shared = content.shared
    assert (
        shared.headline
        == "Fleet Analytics at Tailspin Toys: the case for a decision by Friday 11 December"
    )
    assert shared.problem == (
        "Tailspin's seasonal peak doubles their parcel volume. "
        "Last December 11% of deliveries were late."
    )
    assert "new leadership" in shared.vision
    assert "Why Wayline Software: Routes are re-planned" in shared.value
    assert "Fabrikam Freight cut late-delivery penalties by 38%" in shared.value
    assert shared.why_now.startswith(
        "Peak season starts 1 November. To be ready for it, the decision"
    )
    assert "18 days from today" in shared.why_now
    assert [(item.who, item.concern) for item in shared.objections] == [
        ("Oliver Grant (COO)", "Will it disrupt the work while it goes in?"),
        ("Oliver Grant (COO)", "Will people actually use it?"),
        ("Raj Patel (Finance Manager)", "How soon does it pay for itself?"),
        (  # one answer for both: the concerns share it
            "Raj Patel (Finance Manager)",
            "What if it does not work? What does it take out of this year's budget?",
        ),
    ]
    assert shared.ask == (
        "The decision asked for is a yes to Fleet Analytics from Oliver Grant (COO), "
        "by Friday 11 December."
    )
    assert shared.next_steps == [
        "Friday 27 November: Contract review with procurement.",
        "Friday 11 December: the decision by Oliver Grant.",
    ]
    assert content.rep.offer.startswith(
        "Hannah, would you be open to a couple of tips others used to get this approved?"
    )
    assert "answers to what Oliver and Raj will ask" in content.rep.offer
    assert len(content.rep.role_play) >= 5 and len(content.rep.debrief) >= 4
    assert content.rep.questions_for_rep == []
    assert instructions(content) == []


def test_missing_facts_become_questions_not_inventions() -> None:
    content = write(make_view({}, summary=None, people=[], seller=None))
    questions = " ".join(content.rep.questions_for_rep)
    for asked in (
        "What does the problem cost Tailspin Toys today",
        "No seller profile is set (DEALCOACH_SELLER)",
        "Who makes the final decision?",
        "Who will carry this into the meeting?",
        "Who will be in the decision meeting?",
        "Whose vision is this project?",
        "What forces a decision at Tailspin Toys",
        "When will they decide?",
        "What is the next step the buyer agreed to",
    ):
        assert asked in questions
    assert not re.search(r"\d", content.shared_text())
    shared = content.shared
    assert (shared.problem, shared.vision, shared.value, shared.why_now) == ("", "", "", "")
    assert shared.objections == [] and shared.next_steps == []
    assert shared.ask == "The decision asked for is a yes to Fleet Analytics."
    assert instructions(content) == []


@pytest.mark.parametrize("seed", range(40))
def test_no_number_appears_that_the_facts_do_not_hold(seed: int) -> None:
    chance = random.Random(seed)
    facts = {key: value for key, value in FACTS.items() if chance.random() < 0.6}
    summary = chance.choice([SUMMARY, None, "Dispatch is planned by hand."])
    people = [person for person in PEOPLE if chance.random() < 0.6]
    view = make_view(facts, summary, people, seller=chance.choice([SELLER, None]))
    content = write(view)
    assert untraceable_figures(content, view) == []
    assert instructions(content) == []


def test_an_old_next_step_date_is_asked_about_not_promised() -> None:
    facts = FACTS | {"next_step_date": (TODAY - dt.timedelta(days=3)).isoformat()}
    content = write(make_view(facts))
    assert "Contract review with procurement (date to be agreed)." in content.shared.next_steps
    assert any(
        "was due Friday 20 November" in question for question in content.rep.questions_for_rep
    )


def test_documents_escape_markup_and_keep_the_rep_notes_apart() -> None:
    view = make_view(FACTS, summary="<script>alert(1)</script> Late parcels cost us.")
    content = write(view)
    html = render_html(content, champion="Hannah Moss", rep_name="Priya Shah", prepared_on=TODAY)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Prepared for Hannah Moss by Priya Shah, Monday 23 November." in html
    assert content.rep.offer not in html
    markdown = render_markdown(
        content, champion="Hannah Moss", rep_name="Priya Shah", prepared_on=TODAY
    )
    assert "# For you only" not in markdown
    with_notes = render_markdown(
        content, champion="Hannah Moss", rep_name="Priya Shah", prepared_on=TODAY, rep_notes=True
    )
    assert "# For you only (not sent)" in with_notes and content.rep.offer in with_notes


def test_a_section_edit_replaces_text_or_items() -> None:
    content = write(make_view(FACTS))
    edited = content.with_section("why_now", "  Peak season\nstarts soon. ")
    assert edited.shared.why_now == "Peak season starts soon."
    steps = edited.with_section("next_steps", "- 1 Dec: pilot\n\n• 11 Dec: decision")
    assert steps.shared.next_steps == ["1 Dec: pilot", "11 Dec: decision"]
    objections = steps.with_section(
        "objections", "Finance: the return is the cost stopped\nno colon here"
    )
    assert [(item.who, item.answer) for item in objections.shared.objections] == [
        ("Finance", "the return is the cost stopped"),
        ("Everyone", "no colon here"),
    ]
    assert (
        objections.section_text("objections").splitlines()[0]
        == "Finance: the return is the cost stopped"
    )
    assert content.shared.why_now != edited.shared.why_now  # the original is unchanged
