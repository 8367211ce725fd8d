"""The deterministic writer: a real briefing from the facts, questions for what is missing."""

import datetime as dt
import random
import re

import pytest

from coaching.briefing import BriefingContent, DeterministicWriter, render_html, render_markdown
from coaching.briefing.view import ShareableDeal, StakeholderFacts, build_shareable_view
from coaching.model import AnswerFact
from coaching.playbook import load_playbook

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


def make_view(facts: dict[str, str], summary: str | None = SUMMARY, people=PEOPLE) -> ShareableDeal:
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
    assert shared.problem.startswith(SUMMARY)
    assert "new leadership" in shared.vision
    assert "doing nothing" in shared.value
    assert shared.why_now.startswith(
        "Peak season starts 1 November. To be ready for it, the decision"
    )
    assert "18 days from today" in shared.why_now
    assert [item.who for item in shared.objections] == [
        "Finance (Raj Patel)",
        "IT",
        "The leader of the team that will use it",
    ]
    assert shared.ask.startswith(
        "Ask Oliver Grant (COO) for a decision to go ahead with Fleet Analytics"
    )
    assert shared.next_steps == [
        "Friday 27 November: Contract review with procurement.",
        "Friday 11 December: the decision by Oliver Grant.",
    ]
    assert content.rep.offer.startswith(
        "Hannah, would you be open to a couple of tips others used to get this approved?"
    )
    assert len(content.rep.role_play) >= 5 and len(content.rep.debrief) >= 4
    assert any("Why us, in one sentence?" in question for question in content.rep.questions_for_rep)


def test_missing_facts_become_questions_not_inventions() -> None:
    content = write(make_view({}, summary=None, people=[]))
    questions = " ".join(content.rep.questions_for_rep)
    for asked in (
        "What does the problem cost Tailspin Toys today",
        "Who makes the final decision?",
        "Who will carry this into the meeting?",
        "Whose vision is this project?",
        "What forces a decision at Tailspin Toys",
        "When will they decide?",
        "What is the next step the buyer agreed to",
        "Who from finance, IT and the team that will use it",
    ):
        assert asked in questions
    assert not re.search(r"\d", content.shared_text())
    assert content.shared.next_steps == [
        "Agree the next step and its date with Priya before the meeting."
    ]


def allowed_numbers(view: ShareableDeal) -> set[str]:
    allowed = set(re.findall(r"\d+", " ".join(view.texts())))
    for key in ("decision_date", "next_step_date"):
        day = view.date(key)
        if day:
            allowed |= {str(day.day), str(day.year), str((day - view.today).days)}
    return allowed


@pytest.mark.parametrize("seed", range(40))
def test_no_number_appears_that_the_facts_do_not_hold(seed: int) -> None:
    chance = random.Random(seed)
    facts = {key: value for key, value in FACTS.items() if chance.random() < 0.6}
    summary = chance.choice([SUMMARY, None, "Dispatch is planned by hand."])
    people = [person for person in PEOPLE if chance.random() < 0.6]
    view = make_view(facts, summary, people)
    content = write(view)
    used = set(re.findall(r"\d+", content.all_text()))
    assert used <= allowed_numbers(view)


def test_an_old_next_step_date_is_asked_about_not_promised() -> None:
    facts = FACTS | {"next_step_date": (TODAY - dt.timedelta(days=3)).isoformat()}
    content = write(make_view(facts))
    assert (
        "Contract review with procurement. Date to confirm with Priya." in content.shared.next_steps
    )
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
