"""The coach in the chat, over a real database: free text nothing else took gets the
coach's answer; a rep sees only their deals, a manager only their team's; a role-play
continues across turns and across bot processes, and ends with a debrief."""

from __future__ import annotations

import datetime as dt

from manager_support import add_deal, add_person
from support import make_services, person_id, texts

from bot.bootstrap import App, build_app
from bot.engine.messages import Incoming
from bot.engine.outgoing import person_address
from coaching.clock import FixedClock
from storage.coach import open_session
from storage.db import Database
from storage.models import Deal


def say(app: App, who: str, text: str) -> str:
    """What the bot answers `who` typing `text` (the replies of this one turn)."""
    database = app.services.database
    recipient = person_address(person_id(database, who))
    before = len(texts(database, recipient))
    app.engine.handle(Incoming(person_id=person_id(database, who), text=text))
    return "\n".join(texts(database, recipient)[before:])


def other_team(database: Database, today: dt.date) -> None:
    """A second team: its manager Olga, her rep Omar and his deal Northwind freight."""
    olga = add_person(database, "Olga Berg", role="manager")
    omar = add_person(database, "Omar Diaz", manager=olga)
    add_deal(database, omar, "Northwind freight", today=today)


def test_free_text_gets_the_coach_not_a_refusal(app: App) -> None:
    review = say(app, "alex@example.com", "what should I do about Northwind?")
    assert "== Northwind fleet analytics · Northwind Traders · $84,000" in review
    assert "Next best actions" in review
    assert "Buyer gone quiet: Stop chasing the same contact" in review  # the demo's log
    assert say(app, "alex@example.com", "chekin") == "Did you mean `checkin`?"
    assert say(app, "alex@example.com", "thanks") == "You're welcome."
    out_of_scope = say(app, "alex@example.com", "book me a flight to Paris")
    assert "That's not something I can help with, Alex" in out_of_scope
    assert "“How's my pipeline?”" in out_of_scope
    assert "I didn't understand" not in out_of_scope


def test_a_question_during_a_check_in_gets_the_coach_then_the_check_in_resumes(
    app: App,
) -> None:
    say(app, "alex@example.com", "checkin")
    aside = say(app, "alex@example.com", "what should I do about Contoso?")
    assert aside.index("== Contoso service desk · Contoso Ltd") < aside.index(
        "Back to the check-in:"
    )
    assert "who makes the final decision?" in aside
    assert "✓ Decision maker: Maria Lopez" in say(app, "alex@example.com", "1")


def test_a_rep_sees_only_their_own_deals(app: App, clock: FixedClock) -> None:
    other_team(app.services.database, clock.now().date())
    tailspin = say(app, "alex@example.com", "review Tailspin")  # Priya's deal
    assert "No open deal here matches “tailspin”. These are the ones I see:" in tailspin
    assert "Contoso service desk · Contoso Ltd · id `DEMO-002`" in tailspin
    assert "Tailspin route optimisation" not in tailspin
    assert "Northwind freight" not in say(app, "alex@example.com", "how's my pipeline?")
    assert "a question for managers about their team" in say(
        app, "alex@example.com", "how is Priya doing?"
    )


def test_a_manager_sees_any_deal_of_their_team_and_none_of_another(
    app: App, clock: FixedClock
) -> None:
    other_team(app.services.database, clock.now().date())
    tailspin = say(app, "dana@example.com", "show me Tailspin")
    assert "== Tailspin route optimisation · Tailspin Toys · £120,000" in tailspin
    assert "Priya Shah's deal." in tailspin
    northwind = say(app, "dana@example.com", "show me Northwind")
    assert "Northwind fleet analytics" in northwind
    assert "Northwind freight" not in northwind
    assert "Omar Diaz" not in say(app, "dana@example.com", "how is Omar doing?")
    freight = say(app, "olga.berg@example.com", "show me Northwind")
    assert "Northwind freight" in freight
    assert "Northwind fleet analytics" not in freight
    assert "Alex Rivera" not in say(app, "olga.berg@example.com", "which deals will slip?")


def test_two_deals_of_one_name_offer_their_ids_and_an_id_picks_one(
    app: App, clock: FixedClock
) -> None:
    database = app.services.database
    alex = person_id(database, "alex@example.com")
    with database.transaction() as session:
        for crm_id, account in (("GX-1", "Globex East"), ("GX-2", "Globex West")):
            session.add(
                Deal(
                    crm_id=crm_id,
                    name="Globex rollout",
                    account=account,
                    stage="Qualification",
                    owner_id=alex,
                )
            )
    choice = say(app, "alex@example.com", "what should I do about globex rollout?")
    assert "Several deals match “globex rollout”. Which one? Name it by its id." in choice
    assert "Globex rollout · Globex East · id `GX-1`" in choice
    assert "Globex rollout · Globex West · id `GX-2`" in choice
    picked = say(app, "alex@example.com", "review GX-2")
    assert picked.startswith("== Globex rollout · Globex West")


def test_a_role_play_goes_on_in_another_process_and_ends_with_a_debrief(
    app: App, clock: FixedClock
) -> None:
    database = app.services.database
    opening = say(app, "alex@example.com", "role-play the CFO on Northwind")
    assert "Role-play: I'm Maria Lopez (CFO) on Northwind fleet analytics" in opening
    assert "Maria Lopez: “" in opening
    with database.transaction() as session:
        stored = open_session(session, person_id(database, "alex@example.com"))
        assert stored is not None and stored.kind == "role_play"
    second = build_app(make_services(database, clock))  # another bot process
    push = say(second, "alex@example.com", "Trust me.")
    assert push.startswith("Maria Lopez: “")
    assert "I didn't understand" not in push
    debrief = say(second, "alex@example.com", "end")
    assert "== Debrief: role-play with Maria Lopez (CFO) · Northwind fleet analytics ==" in debrief
    assert "You handled 0 of" in debrief
    with database.transaction() as session:
        assert open_session(session, person_id(database, "alex@example.com")) is None
    assert "Did you mean" in say(second, "alex@example.com", "chekin")


def test_a_check_in_started_during_a_role_play_gets_the_answers(
    app: App, clock: FixedClock
) -> None:
    say(app, "alex@example.com", "role-play the CFO on Northwind")
    clock.set(clock.now() + dt.timedelta(minutes=5))
    assert "who makes the final decision?" in say(app, "alex@example.com", "checkin")
    assert "✓ Decision maker: Maria Lopez" in say(app, "alex@example.com", "1")
    with app.services.database.transaction() as session:
        assert open_session(session, person_id(app.services.database, "alex@example.com")) is None


def test_a_role_play_left_for_hours_is_over(app: App, clock: FixedClock) -> None:
    say(app, "alex@example.com", "role-play the CFO on Northwind")
    clock.set(clock.now() + dt.timedelta(hours=3))
    assert say(app, "alex@example.com", "chekin") == "Did you mean `checkin`?"
