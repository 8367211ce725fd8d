"""Issue 15's briefing findings, one regression test each, through the running bot on the
demo pipeline (SQLite and PostgreSQL). Each failed on the code before the fix.

4: internal text through the deal name; 5: a shareable answer laundering internal text;
10: the guard beaten by reworded numbers and small paraphrases; 13: briefing rights
follow the deal's owner; 17: Markdown escaped, no raw HTML from CRM fields.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from support import make_services, message_of, outbox_rows, person_id

from bot.bootstrap import App, build_app
from bot.engine.messages import Incoming
from bot.engine.text_render import render_text
from coaching.clock import FixedClock
from storage.briefings import briefing_of_owner
from storage.db import Database
from storage.demo import load_demo
from storage.models import Answer, Briefing, Deal, Person

PRIYA, ALEX, SAM = "priya@example.com", "alex@example.com", "sam@example.com"


@pytest.fixture
def app(database: Database, clock: FixedClock, tmp_path: Path) -> App:
    with database.transaction() as session:
        load_demo(session, clock.now())
    return build_app(make_services(database, clock, data_dir=tmp_path))


def say(app: App, who: str, text: str) -> str:
    database = app.services.database
    keys = set(app.engine.handle(Incoming(person_id=person_id(database, who), text=text)))
    return "\n".join(
        render_text(message_of(row)) for row in outbox_rows(database) if row.key in keys
    )


def stored(app: App, briefing_id: int = 1) -> Briefing:
    with app.services.database.transaction() as session:
        return session.get_one(Briefing, briefing_id)


def champion_page(briefing: Briefing) -> str:
    return str(briefing.shared_content)


def change_deal(database: Database, crm_id: str, **values: object) -> None:
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == crm_id)).one()
        for key, value in values.items():
            setattr(deal, key, value)


def answer(database: Database, clock: FixedClock, crm_id: str, field: str, value: str) -> None:
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == crm_id)).one()
        session.add(
            Answer(
                deal_id=deal.id,
                field=field,
                value=value,
                source="rep",
                person_id=deal.owner_id,
                answered_at=clock.now(),
            )
        )


def test_finding_4_the_deal_name_never_reaches_the_champion(app: App, database: Database) -> None:
    change_deal(
        database,
        "DEMO-004",
        account=None,
        name="Globex - floor 15% discount - beat Routeify",
        description="Floor 15% discount. Routeify is cheaper.",
    )
    say(app, PRIYA, "brief globex")
    briefing = stored(app)
    page = champion_page(briefing)
    assert "Globex" not in page and "Routeify" not in page and "15%" not in page
    assert briefing.shared_content["headline"].startswith("Fleet Analytics: the case for")
    assert briefing.status == "draft"
    say(app, PRIYA, "edit 1 problem")
    refused = say(app, PRIYA, "Unlike Routeify, we plan every route.")
    assert "I can't put that in: it contains internal information" in refused


def test_finding_5_a_shareable_answer_does_not_launder_internal_text(
    app: App, database: Database, clock: FixedClock
) -> None:
    change_deal(database, "DEMO-001", description="Our floor is 12%. Routeify undercuts us.")
    answer(
        database,
        clock,
        "DEMO-001",
        "next_step",
        "our floor is 12% discount since Routeify undercuts us",
    )
    drafted = say(app, ALEX, "brief northwind")
    briefing = stored(app)
    assert briefing.status == "blocked"
    assert {source for source, _ in briefing.rep_content["leaks"]} >= {"the CRM description"}
    assert "I blocked this draft: it contains internal information" in drafted


def test_finding_5_a_champion_is_a_name_and_what_was_typed_around_it_stays_internal(
    app: App, database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    answer(
        database,
        clock,
        "DEMO-004",
        "champion",
        "Bob Stone (CFO, thinks we are overpriced, budget only 30k)",
    )
    say(app, PRIYA, "brief tailspin")
    assert stored(app).champion_name == "Bob Stone"
    approved = say(app, PRIYA, "approve 1")
    assert "Approved" in approved
    [markdown] = (tmp_path / "briefings").glob("*.md")
    text = markdown.read_text()
    assert "Prepared for Bob Stone by Priya Shah" in text
    assert "overpriced" not in text and "30k" not in text


@pytest.mark.parametrize(
    "edit",
    [
        "Their whole budget is USD 84.000.",
        "It costs eighty-four thousand dollars.",
        "Around 84 thousand, all in.",
        "Tom's own budget review makes him nervous.",
    ],
)
def test_finding_10_reworded_numbers_and_paraphrases_are_refused(app: App, edit: str) -> None:
    say(app, ALEX, "brief northwind")
    say(app, ALEX, "edit 1 problem")
    refused = say(app, ALEX, edit)
    assert "I can't put that in: it contains internal information" in refused
    assert stored(app).shared_content["problem"] != edit


def test_finding_13_briefing_rights_follow_the_deals_owner_in_storage(
    app: App, database: Database
) -> None:
    say(app, PRIYA, "brief tailspin")
    with database.transaction() as session:
        priya, sam = (person_id(database, who) for who in (PRIYA, SAM))
        assert briefing_of_owner(session, 1, priya) is not None
        deal = session.scalars(select(Deal).where(Deal.crm_id == "DEMO-004")).one()
        deal.owner_id = sam  # a re-import gives the deal to Sam
    with database.transaction() as session:
        assert briefing_of_owner(session, 1, priya) is None
        assert briefing_of_owner(session, 1, sam) is not None


def test_finding_13_a_previous_owner_can_no_longer_read_edit_or_discard(
    app: App, database: Database
) -> None:
    say(app, PRIYA, "brief tailspin")
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == "DEMO-004")).one()
        deal.owner = session.scalars(select(Person).where(Person.email == SAM)).one()
    for command in ("edit 1", "approve 1", "discard 1"):
        assert "I have no briefing #1 of yours" in say(app, PRIYA, command)
    assert stored(app).status == "draft"


def test_finding_17_markdown_keeps_no_raw_html_or_links_from_crm_fields(
    app: App, database: Database, tmp_path: Path
) -> None:
    change_deal(
        database,
        "DEMO-004",
        shared_summary="<img src=x onerror=alert(1)> Late parcels cost us "
        "[see here](http://evil.example) 11% of deliveries.",
    )
    say(app, PRIYA, "brief tailspin")
    say(app, PRIYA, "approve 1")
    [markdown] = (tmp_path / "briefings").glob("*.md")
    [html] = (tmp_path / "briefings").glob("*.html")
    text = markdown.read_text()
    assert not re.search(r"(?<!\\)<img|(?<!\\)\]\(http", text)  # nothing unescaped
    assert r"\<img src=x onerror=alert(1)\>" in text and r"\[see here\]" in text
    assert "<img" not in html.read_text() and "&lt;img" in html.read_text()


def test_issue_17_the_products_own_date_wording_does_not_block_approval(
    app: App, database: Database, clock: FixedClock
) -> None:
    """The rep's note says "next Thursday"; the product formats the date as "Thursday …"."""
    thursday = clock.now().date() + dt.timedelta(days=(3 - clock.now().weekday()) % 7 or 7)
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == "DEMO-004")).one()
        session.add(
            Answer(
                deal_id=deal.id,
                field="next_step_date",
                value=thursday.isoformat(),
                note="Call next Thursday, Oliver is not sure yet",
                source="rep",
                person_id=deal.owner_id,
                answered_at=clock.now(),
            )
        )
    say(app, PRIYA, "brief tailspin")
    briefing = stored(app)
    assert any(step.startswith("Thursday") for step in briefing.shared_content["next_steps"])
    assert briefing.status == "draft"
    assert "Approved" in say(app, PRIYA, "approve 1")
