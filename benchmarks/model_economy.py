"""Model economy: model calls and tokens per answer, per digest, per briefing.

A local OpenAI-compatible server (testkit/openai_server.py) plays the model and
answers every request with a valid reply for the schema it asks for. The bot is
configured with that server as its model (`openai_base_url`, the OPENAI_BASE_URL
setting), so the real engine, digest and briefing code build and call their models
as in production; `UsageCounter.counting()` counts the calls and tokens they make,
and the server's request log is the cross-check. Tokens are the fake server's
estimate (4 characters a token of the prompt as sent, and of the reply).

On the demo pipeline (and four synthetic reps), the reps answer check-ins the way
they would in Slack: they click when the question has buttons (options, scale
points, known names, the date picker) and type when it has none (free-text fields,
names not yet known); every tenth answer is instead a vague sentence. Each answer
is classed by what it cost: a click, typed text the reader was sure of, typed text
the model read (the reader was not sure; a likely reading is confirmed with a tap).
The baseline is what the same answers would cost if every one went to the model:
one call each.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select

from benchmarks.backends import sqlite_database
from benchmarks.report import Row, ratio
from benchmarks.run import Context
from bot.bootstrap import App, build_app
from bot.engine.messages import Incoming, Message, Question
from bot.engine.outgoing import person_address
from bot.infra.services import Services
from bot.managers.digests import Digests
from bot.managers.risk_scan import RiskScan
from bot.settings import load_settings
from coaching.clock import FixedClock
from coaching.playbook import load_playbook
from prompts.llm import UsageCounter
from storage import checkins
from storage.db import Database
from storage.demo import load_demo
from storage.models import Answer, Briefing, OutboxMessage, Person
from testkit.openai_server import FakeOpenAIServer, RecordedRequest, Reply
from testkit.synthetic import populate

SECTION = "model economy"
NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # Monday: the demo manager's digest is due
ANSWERS, QUICK_ANSWERS = 100, 20
VAGUE_EVERY = 10
VAGUE = {
    "choice": "they keep going round in circles on that one with finance",
    "scale": "closer than last month, but still not quite there",
    "date": "right after their fiscal planning wraps up",
    "person": "whoever holds the purse strings over there these days",
    "text": "they keep going round in circles on that one with finance",
}
TYPED = {
    "date": "2027-01-15",
    "person": "Maria Lopez, CFO",
    "text": "Board approval in March",
}
BRIEFING_REP, BRIEFING_DEAL = "priya@example.com", "tailspin"
BUTTON, TYPED_KIND = "button", "typed"
PARSER_READ, MODEL_READ = "typed, read by the parser", "typed, read by the model"
KINDS = {
    BUTTON: "button answer (an option, scale point, name or date clicked)",
    PARSER_READ: "free-text answer the parser reads",
    MODEL_READ: "free-text answer the parser cannot read (the model reads it)",
}
EXTRA_REPS = 4  # synthetic reps beside the demo's three, so 100 answers fit in one day
Result = TypeVar("Result")


@dataclass
class Cost:
    """What a kind of step cost in total, over `count` steps."""

    count: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add(self, before: Usage, after: Usage) -> None:
        self.count += 1
        self.calls += after.calls - before.calls
        self.prompt_tokens += after.prompt_tokens - before.prompt_tokens
        self.completion_tokens += after.completion_tokens - before.completion_tokens

    def per(self, steps: int = 1) -> tuple[float, float]:
        """(calls, tokens) per `steps` steps."""
        if not self.count:
            return 0.0, 0.0
        return self.calls * steps / self.count, self.tokens * steps / self.count


@dataclass(frozen=True, slots=True)
class Usage:
    calls: int
    prompt_tokens: int
    completion_tokens: int

    @classmethod
    def of(cls, counter: UsageCounter) -> Usage:
        return cls(counter.calls, counter.prompt_tokens, counter.completion_tokens)


@dataclass
class Economy:
    """Everything the section measured."""

    answers: dict[str, Cost] = field(default_factory=dict)
    sources: Counter[str] = field(default_factory=Counter)
    digests: Cost = field(default_factory=Cost)
    scan: Cost = field(default_factory=Cost)
    briefing: Cost = field(default_factory=Cost)
    briefing_writer: str = ""
    counted_calls: int = 0
    server_requests: int = 0

    def mix(self) -> Cost:
        total = Cost()
        for cost in self.answers.values():
            total.count += cost.count
            total.calls += cost.calls
            total.prompt_tokens += cost.prompt_tokens
            total.completion_tokens += cost.completion_tokens
        return total


def run(context: Context) -> list[Row]:
    """The harness's entry point (context.quick: fewer answers)."""
    return rows(measure(QUICK_ANSWERS if context.quick else ANSWERS))


def measure(answers: int) -> Economy:
    """Answer `answers` check-in questions, send the digests, scan, draft one briefing."""
    economy = Economy()
    counter = UsageCounter()
    with FakeOpenAIServer(responder=valid_reply) as server, bot(server.base_url) as app:
        with counter.counting():
            step(counter, economy.briefing, lambda: brief(app))
            sent = step(counter, economy.digests, lambda: app.part(Digests).run_due(NOW))
            economy.digests.count = sent.sent
            step(counter, economy.scan, lambda: app.part(RiskScan).run(NOW))
            first_new = last_answer_id(app.services.database) + 1
            answer_checkins(app, counter, answers, economy)
        economy.sources = answer_sources(app.services.database, first_new)
        economy.briefing_writer = briefing_writer(app.services.database)
        economy.counted_calls = counter.calls
        economy.server_requests = len(server.requests)
    return economy


@contextmanager
def bot(model_url: str) -> Iterator[App]:
    """The bot on a fresh SQLite database holding the demo pipeline, with a model."""
    with sqlite_database() as database, tempfile.TemporaryDirectory() as data_dir:
        populate(database, reps=EXTRA_REPS, deals=3 * EXTRA_REPS, answers=0)
        with database.transaction() as session:
            load_demo(session, NOW)
        settings = load_settings(
            database_url=database.url,
            slack_bot_token=None,
            microsoft_app_id=None,
            openai_api_key=None,
            openai_base_url=model_url,
            data_dir=Path(data_dir),
            digest_day="mon",
            digest_time="08:00",
        )
        yield build_app(Services(settings, database, load_playbook(), FixedClock(NOW)))


def step(counter: UsageCounter, cost: Cost, action: Callable[[], Result]) -> Result:
    """Run `action` once, adding what it cost to `cost`."""
    before = Usage.of(counter)
    result = action()
    cost.add(before, Usage.of(counter))
    return result


def answer_checkins(app: App, counter: UsageCounter, wanted: int, economy: Economy) -> None:
    """The reps take turns, each answering a whole check-in, until `wanted` answers."""
    answered = 0
    waiting = rep_ids(app.services.database)
    while waiting and answered < wanted:
        rep = waiting.pop(0)
        question = current_question(app, rep) or start_checkin(app, rep)
        if question is None:
            continue  # nothing left to ask this rep today
        waiting.append(rep)
        while question is not None and answered < wanted:
            incoming, kind = reply_to_question(rep, question, vague=answered % VAGUE_EVERY == 9)
            before = Usage.of(counter)
            app.engine.handle(incoming)
            confirm_proposal(app, rep)
            after = Usage.of(counter)
            if kind == TYPED_KIND:
                kind = MODEL_READ if after.calls > before.calls else PARSER_READ
            economy.answers.setdefault(kind, Cost()).add(before, after)
            answered += 1
            question = current_question(app, rep)


def confirm_proposal(app: App, rep: int) -> None:
    """A reading the bot asks to confirm ("Record Maria Lopez (CFO) as decision
    maker?"): the rep taps yes, which costs no model call."""
    with app.services.database.transaction() as session:
        asked = checkins.asked_question(session, rep)
        waiting = asked is not None and asked.proposal is not None
        ref = asked.id if asked is not None else None
    if waiting:
        app.engine.handle(Incoming(person_id=rep, action="confirm", value=f"{ref}:yes"))


def rep_ids(database: Database) -> list[int]:
    with database.transaction() as session:
        return list(
            session.scalars(select(Person.id).where(Person.role == "rep").order_by(Person.id))
        )


def start_checkin(app: App, rep: int) -> Question | None:
    app.engine.handle(Incoming(person_id=rep, text="checkin"))
    return current_question(app, rep)


def current_question(app: App, rep: int) -> Question | None:
    """The question the rep is being asked, as the last message showing it."""
    with app.services.database.transaction() as session:
        asked = checkins.asked_question(session, rep)
        if asked is None:
            return None
        payloads = session.scalars(
            select(OutboxMessage.payload)
            .where(OutboxMessage.recipient == person_address(rep))
            .order_by(OutboxMessage.id.desc())
        )
        for payload in payloads:
            question = Message.model_validate(payload["message"]).question
            if question is not None and question.ref == str(asked.id):
                return question
    raise RuntimeError(f"no message shows question {asked.id} to person {rep}")


def reply_to_question(rep: int, question: Question, *, vague: bool) -> tuple[Incoming, str]:
    """(what the rep sends, "button" or "typed")."""
    if vague:
        return Incoming(person_id=rep, text=VAGUE[question.kind]), TYPED_KIND
    if question.choices:
        choice = question.choices[int(question.ref) % len(question.choices)]
        value = f"{question.ref}:{choice.value}"
        return Incoming(person_id=rep, action="answer", value=value), BUTTON
    if question.kind == "date":  # the date picker sends its date as a button value
        value = f"{question.ref}:{TYPED['date']}"
        return Incoming(person_id=rep, action="answer", value=value), BUTTON
    return Incoming(person_id=rep, text=TYPED.get(question.kind, TYPED["text"])), TYPED_KIND


def brief(app: App) -> None:
    with app.services.database.transaction() as session:
        rep = session.scalars(select(Person.id).where(Person.email == BRIEFING_REP)).one()
    app.engine.handle(Incoming(person_id=rep, text=f"brief {BRIEFING_DEAL}"))


def last_answer_id(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.max(Answer.id))) or 0


def answer_sources(database: Database, first_id: int) -> Counter[str]:
    """How the answers from `first_id` on were recorded (button, text, model)."""
    with database.transaction() as session:
        rows = session.execute(
            select(Answer.source, func.count()).where(Answer.id >= first_id).group_by(Answer.source)
        )
        return Counter(dict(rows.all()))


def briefing_writer(database: Database) -> str:
    with database.transaction() as session:
        return session.scalars(select(Briefing.writer).order_by(Briefing.id.desc())).first() or ""


# The fake model's replies: valid for whatever schema the request asks for.


BRIEFING = {
    "shared": {
        "headline": "Route planning for peak season: decide by 11 December",
        "problem": "Last December too many deliveries were late.",
        "vision": "The logistics team wants planning that keeps up with peak season.",
        "value": "Fewer late deliveries, instead of paying for them again.",
        "why_now": "Peak season starts soon.",
        "objections": [
            {
                "who": "Finance",
                "concern": "Cost and return?",
                "answer": "Weigh it against the late deliveries.",
            }
        ],
        "ask": "Ask for a yes by 11 December.",
        "next_steps": ["Contract review with procurement"],
    },
    "rep": {
        "offer": "Would you be open to a couple of tips others used to get this approved?",
        "role_play": [{"question": "Why now?", "answer": "Peak season."}],
        "debrief": ["What did they ask?"],
        "questions_for_rep": ["What does a late delivery cost them?"],
    },
}


def valid_reply(request: RecordedRequest) -> Reply:
    schema = request.json_schema
    if schema is None:
        return Reply.failure(400, "the bot asked without a JSON schema")
    if schema["name"] == "BriefingContent":
        return Reply.json(BRIEFING)
    value = sample(schema["schema"]["properties"]["value"])
    return Reply.json(
        {"value": value, "confidence": 0.85, "unsure": False, "words": "", "extras": []}
    )


def sample(value_schema: dict[str, Any]) -> object:
    """A valid, non-null value for an answer schema's `value`."""
    branch = next(
        option
        for option in value_schema.get("anyOf", [value_schema])
        if option.get("type") != "null"
    )
    if "enum" in branch:
        return branch["enum"][0]
    if branch.get("type") == "integer":
        return branch.get("minimum", 1) + 1
    if branch.get("format") == "date":
        return "2027-01-15"
    return "Maria Lopez"


# The table.


def rows(economy: Economy) -> list[Row]:
    found = [
        answer_row(KINDS[kind], economy.answers[kind]) for kind in KINDS if kind in economy.answers
    ]
    mix = economy.mix()
    calls, tokens = mix.per(100)
    read = economy.answers.get(MODEL_READ, Cost())
    tokens_each = read.tokens / read.calls if read.calls else 0.0
    counts = ", ".join(
        f"{economy.answers[kind].count} {kind}" for kind in KINDS if kind in economy.answers
    )
    found += [
        Row(
            SECTION,
            "per 100 check-in answers (the mix above)",
            f"{calls:.0f} calls, {tokens:,.0f} tokens",
            f"100 calls, ~{100 * tokens_each:,.0f} tokens",
            ratio(calls, 100),
            f"{mix.count} answers: {counts}; stored as "
            + ", ".join(f"{count} {source}" for source, count in sorted(economy.sources.items()))
            + "; baseline tokens: 100 x a model-read answer's",
        ),
        Row(
            SECTION,
            "weekly digest",
            cost_text(economy.digests),
            note=f"{economy.digests.count} digest sent with the model configured",
        ),
        Row(SECTION, "risk scan (demo pipeline)", cost_text(economy.scan), note="rules only"),
        Row(
            SECTION,
            "champion briefing draft",
            cost_text(economy.briefing),
            note=f"written by {economy.briefing_writer or 'nothing'}",
        ),
        Row(
            SECTION,
            "all model calls of this section",
            f"{economy.counted_calls} counted (UsageCounter)",
            f"{economy.server_requests} requests seen by the fake server",
            ratio(economy.counted_calls, economy.server_requests),
        ),
    ]
    return found


def answer_row(label: str, cost: Cost) -> Row:
    calls, tokens = cost.per()
    return Row(
        SECTION,
        f"per {label}",
        f"{calls:.2f} calls, {tokens:,.0f} tokens",
        "1 call (every answer to the model)",
        ratio(calls, 1),
        f"{cost.count} answers",
    )


def cost_text(cost: Cost) -> str:
    calls = "1 call" if cost.calls == 1 else f"{cost.calls} calls"
    return (
        f"{calls}, {cost.tokens:,} tokens "
        f"({cost.prompt_tokens:,} prompt + {cost.completion_tokens:,} reply)"
    )
