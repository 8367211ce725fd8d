"""The check-in dialog through the engine, on SQLite and PostgreSQL, reading the outbox."""

import datetime as dt

from sqlalchemy import func, select
from support import message_of, outbox_rows, person_id, texts

from bot.engine.messages import Incoming, Question
from bot.runtime import Runtime
from coaching.clock import FixedClock
from storage.models import Answer, CheckIn, CheckInQuestion, Deal, DealEvent, Person

ALEX = "alex@example.com"


def say(runtime: Runtime, who: int, text: str, event_id: str | None = None) -> list[str]:
    return runtime.engine.handle(Incoming(person_id=who, text=text, event_id=event_id))


def click(runtime: Runtime, who: int, action: str, value: str, event_id: str | None = None):
    incoming = Incoming(person_id=who, action=action, value=value, event_id=event_id)
    return runtime.engine.handle(incoming)


def asked(runtime: Runtime, who: int) -> CheckInQuestion:
    with runtime.services.database.transaction() as session:
        question = session.scalars(
            select(CheckInQuestion)
            .join(CheckIn)
            .where(CheckIn.rep_id == who, CheckInQuestion.status == "asked")
        ).one()
        session.expunge(question)
        return question


def answers(runtime: Runtime, field: str | None = None) -> list[Answer]:
    with runtime.services.database.transaction() as session:
        query = select(Answer).where(Answer.source != "demo").order_by(Answer.id)
        if field:
            query = query.where(Answer.field == field)
        return list(session.scalars(query))


def last_question(runtime: Runtime) -> Question:
    rows = [row for row in outbox_rows(runtime.services.database) if row.kind == "message"]
    question = message_of(rows[-1]).question
    assert question is not None
    return question


def test_checkin_asks_one_question_at_a_time(runtime: Runtime) -> None:
    alex = person_id(runtime.services.database, ALEX)
    say(runtime, alex, "checkin")
    [first] = texts(runtime.services.database)
    assert first.startswith("Quick check-in: 5 questions on Northwind fleet analytics")
    assert "who makes the final decision?" in first
    assert "1) Maria Lopez" in first
    question = asked(runtime, alex)
    assert question.field == "authority"
    assert question.message_ref == outbox_rows(runtime.services.database)[0].key
    with runtime.services.database.transaction() as session:
        statuses = session.scalars(select(CheckInQuestion.status).order_by(CheckInQuestion.id))
        assert list(statuses) == ["asked", "pending", "pending", "pending", "pending"]


def test_button_answer_is_recorded_once_and_updated_in_place(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "checkin")
    question = asked(runtime, alex)
    click(runtime, alex, "answer", f"{question.id}:Maria Lopez")
    click(runtime, alex, "answer", f"{question.id}:Tom Becker")  # a second, late click
    recorded = answers(runtime, "authority")
    assert [(a.value, a.source, a.person_id) for a in recorded] == [("Maria Lopez", "button", alex)]
    updates = [row for row in outbox_rows(database) if row.kind == "update"]
    assert len(updates) == 1
    assert updates[0].payload["replaces"] == question.message_ref
    assert "✓ Decision maker: Maria Lopez" in texts(database, kind="update")[0]
    replies = texts(database)
    assert "✓ Decision maker: Maria Lopez" in replies[1]
    assert "Whoever signs is rarely the one who feels the pain" in replies[1]
    assert replies[2] == "Already recorded: Decision maker: Maria Lopez."


def test_retried_event_is_handled_once(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "checkin", event_id="Ev1")
    question = asked(runtime, alex)
    first = click(runtime, alex, "answer", f"{question.id}:Maria Lopez", event_id="Ev2")
    again = click(runtime, alex, "answer", f"{question.id}:Maria Lopez", event_id="Ev2")
    assert first and again == []
    assert len(answers(runtime, "authority")) == 1


def test_free_text_is_parsed_coached_and_kept_with_its_words(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "checkin")
    say(runtime, alex, "it's Maria")
    say(runtime, alex, "Tom, head of dispatch")
    [authority] = answers(runtime, "authority")
    assert (authority.value, authority.source, authority.note) == (
        "Maria Lopez",
        "text",
        "it's Maria",
    )
    champion = answers(runtime, "champion")[0]
    assert champion.value == "Tom Becker"
    assert "Test Tom Becker: do they prefer us over doing nothing" in texts(database)[2]


def test_garbled_answer_is_reasked_then_left_for_next_time(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "checkin")
    question = asked(runtime, alex)
    say(runtime, alex, "42")
    assert texts(database)[-1].startswith("I couldn't read that as decision maker (a name")
    assert last_question(runtime).ref == str(question.id)
    say(runtime, alex, "??!!")  # "?" only means not sure; this is noise
    say(runtime, alex, "1234")
    assert "Let's leave Decision maker for next time." in texts(database)[-1]
    assert answers(runtime, "authority") == []
    assert asked(runtime, alex).field != "authority"


def test_not_sure_and_skip(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "checkin")
    first = asked(runtime, alex)
    click(runtime, alex, "unsure", str(first.id))
    second = asked(runtime, alex)
    say(runtime, alex, "skip")
    assert [(a.field, a.value) for a in answers(runtime)] == [("authority", "unknown")]
    assert "↷ Champion: skipped" in texts(database)[-1]
    with database.transaction() as session:
        assert session.get_one(CheckInQuestion, second.id).status == "skipped"


def test_finishing_says_when_the_next_checkin_is(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "checkin")
    for answer in ("Maria", "Tom", "Grace Kim", "not sure", "Demo for their ops team"):
        say(runtime, alex, answer)
    final = texts(database)[-1]
    assert "That's all, thanks: 5 of 5 answered." in final
    assert "Next check-in: Tuesday 24 November, 09:30." in final
    with database.transaction() as session:
        assert session.scalar(select(CheckIn.status)) == "done"
    say(runtime, alex, "checkin")
    assert "Quick check-in" in texts(database)[-1]  # what is still missing, asked again


def test_answer_text_starting_with_a_command_word_stays_an_answer(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "checkin")
    for answer in ("Maria", "Tom", "Grace Kim", "not sure"):
        say(runtime, alex, answer)
    assert asked(runtime, alex).field == "next_step"
    say(runtime, alex, "deal review with their CFO on Friday")
    assert answers(runtime, "next_step")[0].value == "deal review with their CFO on Friday"


def test_commands_still_work_during_a_checkin(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "checkin")
    say(runtime, alex, "deals")
    assert texts(database)[-1].startswith("== Your open deals (3) ==")
    assert asked(runtime, alex).field == "authority"


def test_snooze_and_out_of_office(runtime: Runtime, clock: FixedClock) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "snooze 3d")
    say(runtime, alex, "ooo until 2026-12-14")
    say(runtime, alex, "snooze whenever")
    with database.transaction() as session:
        person = session.get_one(Person, alex)
        assert person.snoozed_until == clock.now() + dt.timedelta(days=3)
        assert person.out_until == dt.date(2026, 12, 14)
    replies = texts(database)
    assert replies[0].startswith("Snoozed until Thursday 26 November, 08:00.")
    assert replies[1].startswith("Out of office until Monday 14 December 2026")
    assert replies[2].startswith("Try `snooze 3d`")
    say(runtime, alex, "ooo off")
    say(runtime, alex, "unsnooze")
    with database.transaction() as session:
        person = session.get_one(Person, alex)
        assert (person.snoozed_until, person.out_until) == (None, None)


def test_pause_a_deal_with_a_reason(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "pause contoso until 2027-01-15 because budget freeze until the new FY")
    with database.transaction() as session:
        deal = session.scalars(select(Deal).where(Deal.crm_id == "DEMO-002")).one()
        assert deal.paused_until == dt.date(2027, 1, 15)
        assert deal.pause_reason == "budget freeze until the new FY"
        event = session.scalars(select(DealEvent).where(DealEvent.kind == "pause")).one()
        assert event.new_value == "2027-01-15: budget freeze until the new FY"
    assert texts(database)[-1].startswith("Paused Contoso service desk until 2027-01-15")
    say(runtime, alex, "checkin")
    assert "Contoso" not in texts(database)[-1].splitlines()[0]
    say(runtime, alex, "stop")
    say(runtime, alex, "resume contoso")
    assert texts(database)[-1] == "Contoso service desk is active again."


def test_pause_needs_a_deal_a_future_date_and_a_reason(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "pause contoso until 2027-01-15")
    say(runtime, alex, "pause contoso until 2020-01-01 because old")
    say(runtime, alex, "pause nowhere until 2027-01-15 because why")
    replies = texts(database)
    assert replies[0].startswith("Try `pause DEAL until")
    assert replies[1].startswith("The pause date should be after today")
    assert replies[2].startswith("I found no open deal of yours matching “nowhere”")
    with database.transaction() as session:
        assert session.scalar(select(func.count()).where(Deal.paused_until.is_not(None))) == 0


def test_nothing_to_ask_when_everything_is_fresh(runtime: Runtime) -> None:
    database = runtime.services.database
    sam = person_id(database, "sam@example.com")
    with database.transaction() as session:
        for deal in session.scalars(select(Deal).where(Deal.owner_id == sam)):
            deal.status = "won"
    say(runtime, sam, "checkin")
    assert texts(database) == ["Everything on your open deals is fresh: nothing to ask right now."]


def test_unknown_input_gets_help_not_a_stack_trace(runtime: Runtime) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "what's up")
    click(runtime, alex, "answer", "not-a-number:x")
    click(runtime, alex, "frobnicate", "1")
    assert texts(database) == [
        "I didn't understand “what's up”. Type `help` to see what I can do.",
        "That check-in is over. Type `checkin` to start a new one.",
        "I didn't understand “frobnicate”. Type `help` to see what I can do.",
    ]


def test_a_rep_cannot_answer_someone_elses_question(runtime: Runtime) -> None:
    database = runtime.services.database
    alex, priya = person_id(database, ALEX), person_id(database, "priya@example.com")
    say(runtime, alex, "checkin")
    question = asked(runtime, alex)
    click(runtime, priya, "answer", f"{question.id}:Maria Lopez")
    assert answers(runtime) == []


def test_snoozing_ends_the_checkin_in_progress(runtime: Runtime, clock: FixedClock) -> None:
    database = runtime.services.database
    alex = person_id(database, ALEX)
    say(runtime, alex, "checkin")
    say(runtime, alex, "snooze 2d")
    with database.transaction() as session:
        assert session.scalar(select(CheckIn.status)) == "snoozed"
    clock.advance(dt.timedelta(hours=4))
    assert runtime.rounds.send_reminders(clock.now()) == 0
