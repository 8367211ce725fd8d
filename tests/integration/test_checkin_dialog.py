"""The check-in dialog through the engine, on SQLite and PostgreSQL, reading the outbox."""

import datetime as dt

from sqlalchemy import func, select
from support import message_of, outbox_rows, person_id, texts

from bot.bootstrap import App
from bot.checkins.rounds import CheckinRounds
from bot.engine.messages import Incoming, Question
from coaching.clock import FixedClock
from storage.models import Answer, CheckIn, CheckInQuestion, Deal, DealEvent, Person

ALEX = "alex@example.com"


def say(app: App, who: int, text: str, event_id: str | None = None) -> list[str]:
    return app.engine.handle(Incoming(person_id=who, text=text, event_id=event_id))


def click(app: App, who: int, action: str, value: str, event_id: str | None = None):
    incoming = Incoming(person_id=who, action=action, value=value, event_id=event_id)
    return app.engine.handle(incoming)


def asked(app: App, who: int) -> CheckInQuestion:
    with app.services.database.transaction() as session:
        question = session.scalars(
            select(CheckInQuestion)
            .join(CheckIn)
            .where(CheckIn.rep_id == who, CheckInQuestion.status == "asked")
        ).one()
        session.expunge(question)
        return question


def answers(app: App, field: str | None = None) -> list[Answer]:
    with app.services.database.transaction() as session:
        query = select(Answer).where(Answer.source != "demo").order_by(Answer.id)
        if field:
            query = query.where(Answer.field == field)
        return list(session.scalars(query))


def last_question(app: App) -> Question:
    rows = [row for row in outbox_rows(app.services.database) if row.kind == "message"]
    question = message_of(rows[-1]).question
    assert question is not None
    return question


def test_checkin_asks_one_question_at_a_time(app: App) -> None:
    alex = person_id(app.services.database, ALEX)
    say(app, alex, "checkin")
    [first] = texts(app.services.database)
    assert first.startswith("Quick check-in: 5 questions on Northwind fleet analytics")
    assert "who makes the final decision?" in first
    assert "1) Maria Lopez" in first
    question = asked(app, alex)
    assert question.field == "authority"
    assert question.message_ref == outbox_rows(app.services.database)[0].key
    with app.services.database.transaction() as session:
        statuses = session.scalars(select(CheckInQuestion.status).order_by(CheckInQuestion.id))
        assert list(statuses) == ["asked", "pending", "pending", "pending", "pending"]


def test_button_answer_is_recorded_once_and_updated_in_place(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "checkin")
    question = asked(app, alex)
    click(app, alex, "answer", f"{question.id}:Maria Lopez")
    click(app, alex, "answer", f"{question.id}:Tom Becker")  # a second, late click
    recorded = answers(app, "authority")
    assert [(a.value, a.source, a.person_id) for a in recorded] == [("Maria Lopez", "button", alex)]
    updates = [row for row in outbox_rows(database) if row.kind == "update"]
    assert len(updates) == 1
    assert updates[0].payload["replaces"] == question.message_ref
    assert "✓ Decision maker: Maria Lopez" in texts(database, kind="update")[0]
    replies = texts(database)
    assert "✓ Decision maker: Maria Lopez" in replies[1]
    assert "Whoever signs is rarely the one who feels the pain" in replies[1]
    assert replies[2] == "Already recorded: Decision maker: Maria Lopez."


def test_retried_event_is_handled_once(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "checkin", event_id="Ev1")
    question = asked(app, alex)
    first = click(app, alex, "answer", f"{question.id}:Maria Lopez", event_id="Ev2")
    again = click(app, alex, "answer", f"{question.id}:Maria Lopez", event_id="Ev2")
    assert first and again == []
    assert len(answers(app, "authority")) == 1


def test_free_text_is_parsed_coached_and_kept_with_its_words(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "checkin")
    say(app, alex, "it's Maria")
    say(app, alex, "Tom, head of dispatch")
    [authority] = answers(app, "authority")
    assert (authority.value, authority.source, authority.note) == (
        "Maria Lopez",
        "text",
        "it's Maria",
    )
    champion = answers(app, "champion")[0]
    assert champion.value == "Tom Becker"
    assert "Test Tom Becker: do they prefer us over doing nothing" in texts(database)[2]


def test_garbled_answer_is_reasked_then_left_for_next_time(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "checkin")
    question = asked(app, alex)
    say(app, alex, "42")
    assert texts(database)[-1].startswith("I couldn't read that as decision maker (a name")
    assert last_question(app).ref == str(question.id)
    say(app, alex, "??!!")  # "?" only means not sure; this is noise
    say(app, alex, "1234")
    assert "Let's leave Decision maker for next time." in texts(database)[-1]
    assert answers(app, "authority") == []
    assert asked(app, alex).field != "authority"


def test_not_sure_and_skip(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "checkin")
    first = asked(app, alex)
    click(app, alex, "unsure", str(first.id))
    second = asked(app, alex)
    say(app, alex, "skip")
    assert [(a.field, a.value) for a in answers(app)] == [("authority", "unknown")]
    assert "↷ Champion: skipped" in texts(database)[-1]
    with database.transaction() as session:
        assert session.get_one(CheckInQuestion, second.id).status == "skipped"


def test_finishing_says_when_the_next_checkin_is(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "checkin")
    for answer in ("Maria", "Tom", "Grace Kim", "not sure", "Demo for their ops team"):
        say(app, alex, answer)
    final = texts(database)[-1]
    assert "That's all, thanks: 5 of 5 answered." in final
    assert "Next check-in: Tuesday 24 November, 09:30." in final
    with database.transaction() as session:
        assert session.scalar(select(CheckIn.status)) == "done"
    say(app, alex, "checkin")
    assert "Quick check-in" in texts(database)[-1]  # what is still missing, asked again


def test_answer_text_starting_with_a_command_word_stays_an_answer(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "checkin")
    for answer in ("Maria", "Tom", "Grace Kim", "not sure"):
        say(app, alex, answer)
    assert asked(app, alex).field == "next_step"
    say(app, alex, "deal review with their CFO on Friday")
    assert answers(app, "next_step")[0].value == "Deal review with their CFO on Friday"
    assert answers(app, "next_step_date")[0].value == "2026-11-27"  # the step keeps its day


def test_commands_still_work_during_a_checkin(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "checkin")
    say(app, alex, "deals")
    assert texts(database)[-1].startswith("== Your open deals (3) ==")
    assert asked(app, alex).field == "authority"


def test_snooze_and_out_of_office(app: App, clock: FixedClock) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "snooze 3d")
    say(app, alex, "ooo until 2026-12-14")
    say(app, alex, "snooze whenever")
    with database.transaction() as session:
        person = session.get_one(Person, alex)
        assert person.snoozed_until == clock.now() + dt.timedelta(days=3)
        assert person.out_until == dt.date(2026, 12, 14)
    replies = texts(database)
    assert replies[0].startswith("Snoozed until Thursday 26 November, 08:00.")
    assert replies[1].startswith("Out of office until Monday 14 December 2026")
    assert replies[2].startswith("Try `snooze 3d`")
    say(app, alex, "ooo off")
    say(app, alex, "unsnooze")
    with database.transaction() as session:
        person = session.get_one(Person, alex)
        assert (person.snoozed_until, person.out_until) == (None, None)


def test_pause_a_deal_with_a_reason(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "pause contoso until 2027-01-15 because budget freeze until the new FY")
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == "DEMO-002")).one()
        assert deal.paused_until == dt.date(2027, 1, 15)
        assert deal.pause_reason == "budget freeze until the new FY"
        event = session.scalars(select(DealEvent).where(DealEvent.kind == "pause")).one()
        assert event.new_value == "2027-01-15: budget freeze until the new FY"
    assert texts(database)[-1].startswith("Paused Contoso service desk until 2027-01-15")
    say(app, alex, "checkin")
    assert "Contoso" not in texts(database)[-1].splitlines()[0]
    say(app, alex, "stop")
    say(app, alex, "resume contoso")
    assert texts(database)[-1] == "Contoso service desk is active again."


def test_pause_needs_a_deal_a_future_date_and_a_reason(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "pause contoso until 2027-01-15")
    say(app, alex, "pause contoso until 2020-01-01 because old")
    say(app, alex, "pause nowhere until 2027-01-15 because why")
    replies = texts(database)
    assert replies[0].startswith(
        "To pause Contoso service desk I still need a reason (`because …`)"
    )
    assert replies[1].startswith("The pause date should be after today")
    assert replies[2].startswith("I found no open deal of yours matching “nowhere”")
    with database.transaction() as session:
        assert session.scalar(select(func.count()).where(Deal.paused_until.is_not(None))) == 0


def test_nothing_to_ask_without_open_deals(app: App) -> None:
    database = app.services.database
    sam = person_id(database, "sam@example.com")
    with database.transaction() as session:
        for deal in session.scalars(select(Deal).where(Deal.owner_id == sam)):
            deal.status = "won"
    say(app, sam, "checkin")
    assert texts(database) == ["You have no open deals right now."]


def test_unknown_input_gets_help_not_a_stack_trace(app: App) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "what's up")
    click(app, alex, "answer", "not-a-number:x")
    click(app, alex, "frobnicate", "1")
    coach, *rest = texts(database)
    assert coach.startswith("That's not something I can help with, Alex")
    assert rest == [
        "That check-in is over. Type `checkin` to start a new one.",
        "I didn't understand “frobnicate”. Type `help` to see what I can do.",
    ]


def test_a_rep_cannot_answer_someone_elses_question(app: App) -> None:
    database = app.services.database
    alex, priya = person_id(database, ALEX), person_id(database, "priya@example.com")
    say(app, alex, "checkin")
    question = asked(app, alex)
    click(app, priya, "answer", f"{question.id}:Maria Lopez")
    assert answers(app) == []


def test_snoozing_ends_the_checkin_in_progress(app: App, clock: FixedClock) -> None:
    database = app.services.database
    alex = person_id(database, ALEX)
    say(app, alex, "checkin")
    say(app, alex, "snooze 2d")
    with database.transaction() as session:
        assert session.scalar(select(CheckIn.status)) == "snoozed"
    clock.advance(dt.timedelta(hours=4))
    assert app.part(CheckinRounds).send_reminders(clock.now()) == 0
