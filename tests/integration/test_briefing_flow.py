"""`brief DEAL` in chat: draft, edit by text or buttons, approve or discard; nothing
reaches a champion before the rep approves."""

from pathlib import Path

import pytest
from sqlalchemy import select
from support import make_services, message_of, outbox_rows, person_id

from bot.bootstrap import App, build_app
from bot.briefings.rounds import BriefingRounds
from bot.engine.messages import Actions, Incoming, Message
from bot.engine.text_render import render_text
from coaching.clock import FixedClock
from storage.db import Database
from storage.demo import DEMO_SELLER_FILE, load_demo
from storage.models import Answer, Briefing, BriefingEdit, Deal, OutboxMessage, RiskWarning

PRIYA, ALEX = "priya@example.com", "alex@example.com"


@pytest.fixture
def app(database: Database, clock: FixedClock, tmp_path: Path) -> App:
    with database.transaction() as session:
        load_demo(session, clock.now())
    return build_app(make_services(database, clock, data_dir=tmp_path))


def replies(app: App, who: str, text: str | None = None, **click: str) -> list[Message]:
    """Say `text` (or click: action=..., value=...) as `who`; the messages written back."""
    database = app.services.database
    incoming = Incoming(person_id=person_id(database, who), text=text, **click)
    keys = set(app.engine.handle(incoming))
    return [message_of(row) for row in outbox_rows(database) if row.key in keys]


def say(app: App, who: str, text: str | None = None, **click: str) -> str:
    return "\n".join(render_text(message) for message in replies(app, who, text, **click))


def briefing(app: App, briefing_id: int = 1) -> Briefing:
    with app.services.database.transaction() as session:
        return session.get_one(Briefing, briefing_id)


def nothing_left_for_the_champion(app: App, tmp_path: Path) -> bool:
    rows = outbox_rows(app.services.database)
    return (
        not [row for row in rows if row.transport == "email"]
        and not (tmp_path / "briefings").exists()
    )


def test_a_draft_arrives_with_edit_approve_and_discard(app: App, tmp_path: Path) -> None:
    [draft] = replies(app, PRIYA, "brief tailspin")
    text = render_text(draft)
    assert draft.summary.startswith(
        "Draft briefing #1 for Hannah Moss (Tailspin route optimisation)"
    )
    assert "Nothing goes to Hannah Moss until you approve it." in text
    assert "Fleet Analytics at Tailspin Toys: the case for a decision by Friday 11 December" in text
    assert "For you only (never sent)" in text
    assert (
        "“Hannah, would you be open to a couple of tips others used to get this approved?" in text
    )
    [actions] = [block for block in draft.blocks if isinstance(block, Actions)]
    assert [(b.action, b.value, b.command) for b in actions.buttons] == [
        ("briefing_edit", "1", "edit 1"),
        ("briefing_approve", "1", "approve 1"),
        ("briefing_discard", "1", "discard 1"),
    ]
    stored = briefing(app)
    assert (stored.status, stored.writer, stored.champion_name) == (
        "draft",
        "template",
        "Hannah Moss",
    )
    assert stored.champion_email == "hannah.moss@tailspin.example"
    assert stored.approved_by is None
    assert nothing_left_for_the_champion(app, tmp_path)


def test_edit_by_text_keeps_its_state_in_the_database(
    app: App, database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    say(app, PRIYA, "brief tailspin")
    asked = say(app, PRIYA, "edit 1")
    assert "Which part of briefing #1 do you want to change?" in asked and "5) Why now" in asked
    with database.transaction() as session:
        assert session.scalars(select(BriefingEdit)).one().section is None
    # another bot process (a second app on the same database) takes the next message
    other = build_app(make_services(database, clock, data_dir=tmp_path))
    prompt = say(other, PRIYA, "why now")
    assert "Send the new text for Why now (briefing #1)" in prompt
    assert "Peak season starts 1 November. To be ready for it" in prompt
    saved = say(app, PRIYA, "Peak season starts 1 November; training takes two weeks.")
    assert "✓ Why now updated." in saved
    assert briefing(app).shared_content["why_now"] == (
        "Peak season starts 1 November; training takes two weeks."
    )
    with database.transaction() as session:
        assert session.scalars(select(BriefingEdit)).all() == []
    assert "That's not something I can help with" in say(app, PRIYA, "some stray text")
    assert nothing_left_for_the_champion(app, tmp_path)


def test_edit_with_buttons_and_cancel(app: App) -> None:
    say(app, PRIYA, "brief tailspin")
    [picker] = replies(app, PRIYA, action="briefing_edit", value="1")
    [actions] = [block for block in picker.blocks if isinstance(block, Actions)]
    assert ("briefing_section", "1:next_steps", "edit 1 next_steps") in [
        (b.action, b.value, b.command) for b in actions.buttons
    ]
    prompt = say(app, PRIYA, action="briefing_section", value="1:next_steps")
    assert "One item per line." in prompt
    say(app, PRIYA, "Friday 27 November: contract review\nFriday 11 December: decision")
    assert briefing(app).shared_content["next_steps"] == [
        "Friday 27 November: contract review",
        "Friday 11 December: decision",
    ]
    say(app, PRIYA, "edit 1 headline")
    too_long = say(app, PRIYA, "word " * 200)
    assert too_long.startswith("That doesn't fit Headline: at most 600 characters.")
    assert say(app, PRIYA, "cancel") == "Edit cancelled: briefing #1 is unchanged."
    assert "I don't know a section “colour”" in say(app, PRIYA, "edit 1 colour")


def test_an_edit_that_brings_in_internal_data_is_refused(app: App, database: Database) -> None:
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == "DEMO-004")).one()
        deal.description = "Internal: Oliver wants a 12% discount, our floor is £101,000."
    say(app, PRIYA, "brief tailspin")
    say(app, PRIYA, "edit 1 ask")
    refused = say(app, PRIYA, "Ask Oliver for the go-ahead; we can do 12% off.")
    assert "I can't put that in: it contains internal information" in refused
    assert "“12%” (from the CRM description)" in refused
    assert briefing(app).shared_content["ask"].startswith("The decision asked for is a yes")
    assert "✓ The decision we are asking for updated." in say(app, PRIYA, "Ask Oliver to sign.")


def test_approval_saves_files_when_there_is_no_email(app: App, tmp_path: Path) -> None:
    say(app, PRIYA, "brief tailspin")
    assert nothing_left_for_the_champion(app, tmp_path)
    approved = say(app, PRIYA, action="briefing_approve", value="1")
    assert "✓ Approved. Email is not set up on this bot (SMTP_HOST)." in approved
    markdown = tmp_path / "briefings" / "tailspin-route-optimisation-1.md"
    html = tmp_path / "briefings" / "tailspin-route-optimisation-1.html"
    assert str(markdown.resolve()) in approved and str(html.resolve()) in approved
    assert markdown.read_text().startswith("# Fleet Analytics at Tailspin Toys")
    assert "For you only" not in markdown.read_text()
    assert "<h2>Why now</h2>" in html.read_text()
    stored = briefing(app)
    priya = person_id(app.services.database, PRIYA)
    assert (stored.status, stored.approved_by, stored.delivered_via) == ("delivered", priya, "file")
    assert stored.approved_at == stored.delivered_at == app.services.clock.now()
    assert say(app, PRIYA, "approve 1") == "Briefing #1 is delivered: only a draft can be approved."


def test_only_the_reps_own_briefings_can_be_approved(app: App, tmp_path: Path) -> None:
    say(app, PRIYA, "brief tailspin")
    assert (
        say(app, ALEX, "approve 1")
        == "I have no briefing #1 of yours. Type `brief DEAL` to draft one."
    )
    assert "Type `approve N`" in say(app, ALEX, "approve soon")
    assert briefing(app).status == "draft"
    assert nothing_left_for_the_champion(app, tmp_path)


def test_discard_sends_nothing(app: App, tmp_path: Path) -> None:
    say(app, ALEX, "brief northwind")
    assert say(app, ALEX, "discard 1") == "Briefing #1 discarded. Nothing was sent."
    assert say(app, ALEX, "approve 1") == "Briefing #1 is discarded: only a draft can be approved."
    assert nothing_left_for_the_champion(app, tmp_path)


def test_a_deal_that_changed_since_the_draft_is_checked_again_at_approval(
    app: App, database: Database, tmp_path: Path
) -> None:
    say(app, PRIYA, "brief tailspin")
    say(app, PRIYA, "edit 1 ask")
    say(app, PRIYA, "Ask Oliver to sign the order form this week.")
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == "DEMO-004")).one()
        session.add(
            Answer(
                deal_id=deal.id,
                field="next_step",
                value="Contract review with procurement",
                note="Oliver to sign the order form this week or the discount goes",
                source="rep",
                answered_at=app.services.clock.now(),
            )
        )
    blocked = say(app, PRIYA, "approve 1")
    assert "Briefing #1 is blocked: it contains internal information" in blocked
    assert "(from your note on Next step)" in blocked
    assert briefing(app).status == "blocked"
    assert "[Approve: `approve 2`]" in say(app, PRIYA, "brief tailspin")  # a fresh draft
    assert nothing_left_for_the_champion(app, tmp_path)


def test_brief_needs_one_open_deal_of_the_rep(app: App) -> None:
    assert "Type `brief` and part of its name, e.g. `brief Tailspin" in say(app, PRIYA, "brief")
    assert "no open deal of yours matching “northwind”" in say(app, PRIYA, "brief northwind")


def test_suggestions_come_once_per_deal_when_a_decision_is_near(
    app: App, database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    assert (
        app.part(BriefingRounds).suggest(clock.now()) == 1
    )  # Northwind: close in 12 days, Tom Becker
    again = build_app(make_services(database, clock, data_dir=tmp_path))
    assert again.part(BriefingRounds).suggest(clock.now()) == 0
    alex = person_id(database, ALEX)
    [row] = [row for row in outbox_rows(database) if row.key.startswith("briefing-suggestion:")]
    assert row.recipient == f"person:{alex}"
    text = render_text(message_of(row))
    assert "Northwind fleet analytics: the decision is due Saturday 5 December (12 days)" in text
    assert "Tom Becker will make your case" in text
    assert "[Draft a briefing: `brief Northwind fleet analytics`]" in text
    [draft] = replies(app, ALEX, action="briefing_draft", value=row.key.rpartition(":")[2])
    assert draft.summary.startswith("Draft briefing #1 for Tom Becker")
    with database.transaction() as session:
        assert (
            session.scalar(select(OutboxMessage).where(OutboxMessage.transport == "email")) is None
        )


def test_the_seller_profile_from_settings_reaches_the_draft(
    database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    """DEALCOACH_SELLER: "why us" and the answers to each attendee's objections come
    from the team's seller profile; without it the rep is asked for it, the note is not."""
    with database.transaction() as session:
        load_demo(session, clock.now())
    app = build_app(make_services(database, clock, data_dir=tmp_path, seller_path=DEMO_SELLER_FILE))
    say(app, PRIYA, "brief tailspin")
    shared, notes = briefing(app).shared_content, briefing(app).rep_content["notes"]
    assert (
        "Why Wayline Software: Routes are re-planned against the driver-hours rules"
        in (shared["value"])
    )
    answers: dict[str, str] = {}
    for item in shared["objections"]:
        answers[item["who"]] = answers.get(item["who"], "") + item["answer"]
    assert "If the agreed goal is not met after 90 days" in answers["Raj Patel (Finance Manager)"]
    assert "Side-by-side start: the first two weeks run alongside" in answers["Oliver Grant (COO)"]
    assert not any("DEALCOACH_SELLER" in line for line in notes["questions_for_rep"])
    assert "Approved" in say(app, PRIYA, "approve 1")


def test_the_reps_own_notes_never_block_approval(app: App, database: Database) -> None:
    """Issue 17: a talk track holding internal words is never sent, so it never blocks."""
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == "DEMO-004")).one()
        deal.description = "Routeify is 10% cheaper; Oliver is not sure about the rollout."
    say(app, PRIYA, "brief tailspin")
    with database.transaction() as session:
        stored = session.get_one(Briefing, 1)
        notes = dict(stored.rep_content["notes"])
        notes["debrief"] = [*notes["debrief"], "Did Routeify's 10% lower price come up?"]
        stored.rep_content = {**stored.rep_content, "notes": notes}
    assert briefing(app).status == "draft"
    assert "✓ Approved." in say(app, PRIYA, "approve 1")


def test_the_products_own_warning_wording_does_not_block_a_draft(
    app: App, database: Database
) -> None:
    """Found on the README's demo run: the warning "in Negotiation/Review: …" blocked the
    next step "Security review call" for its word "review" (the deal's stage)."""
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == "DEMO-001")).one()
        session.add(
            RiskWarning(
                deal_id=deal.id,
                rule_id="no_next_step",
                severity=2,
                reason="in Negotiation/Review: no meeting scheduled with the buyer and no "
                "dated next step",
                action="Ask Alex Rivera for the next step the buyer agreed to and its date; "
                "without one, the deal is not moving.",
            )
        )
    drafted = say(app, ALEX, "brief northwind")
    assert "Whose vision this is" not in drafted  # an absent section is left out in chat too
    stored = briefing(app)
    assert any("Security review call" in step for step in stored.shared_content["next_steps"])
    assert (stored.status, stored.rep_content["leaks"]) == ("draft", [])
