"""Understanding: how the replies of tests/understanding/corpus are read.

Per field asked and in total: read correctly (the expected reading, confidence
included), recorded wrongly (a high-confidence fact that is not what the rep meant:
it would be recorded without asking), asked again (an answer was given and nothing
was read for its field). The reader is the deterministic one (coaching.understanding);
the model path adds a model (a careless one, played by the fake OpenAI-compatible
server) wherever the reader is not sure, its facts checked as in the check-in.
The baseline is what the check-in did before, on the same replies: command words
routed as the engine routed them, everything else read by the answer parser
(benchmarks/parser_baseline.py), every answer it read recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.parser_baseline import parse_answer
from benchmarks.report import Row, ratio
from benchmarks.run import Context
from coaching.playbook import UNKNOWN, load_playbook
from coaching.understanding import (
    Answered,
    Command,
    ExtractionRequest,
    ProposedFact,
    Reading,
    ReplyContext,
    Skipped,
    Unclear,
    checked,
    is_sure,
    understand,
)
from coaching.understanding.corpus import Tally, Verdict, by_field, load_corpus, score, tally
from prompts.llm import ModelAnswerExtractor, ModelCallError, build_chat_model
from testkit.openai_server import FakeOpenAIServer, RecordedRequest, Reply

SECTION = "understanding"
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "understanding" / "corpus"
Reader = Callable[[str, ReplyContext], Reading]


def run(context: Context) -> list[Row]:
    del context  # the corpus is small: the same run for --quick
    playbook = load_playbook()
    cases = load_corpus(CORPUS, playbook)
    reader, reader_seconds = _timed(lambda: score(cases, understand))
    with FakeOpenAIServer(responder=echo) as server:
        model = build_chat_model(None, server.base_url, "careless", timeout_s=10, max_retries=0)
        with_model = score(cases, model_path(ModelAnswerExtractor(model)))
        calls = len(server.requests)
    baseline, baseline_seconds = _timed(lambda: score(cases, parser_reading))
    ours_by_field, theirs_by_field = by_field(reader), by_field(baseline)
    rows = [
        _field_row(spec.key, ours_by_field[spec.key], theirs_by_field[spec.key])
        for spec in playbook.fields
        if spec.key in ours_by_field
    ]
    ours, theirs = tally(reader), tally(baseline)
    size = f"{ours.replies} replies"
    rows += [
        Row(SECTION, f"read correctly, in total ({size})", _share(ours.correct, ours.replies),
            _share(theirs.correct, theirs.replies), ratio(ours.correct, theirs.correct),
            "target: at least 95%"),
        Row(SECTION, "recorded wrongly, in total", str(ours.wrong), str(theirs.wrong),
            ratio(ours.wrong, theirs.wrong), "target: 0"),
        Row(SECTION, "asked again, in total", str(ours.asked_again), str(theirs.asked_again),
            ratio(ours.asked_again, theirs.asked_again)),
        *_model_rows(tally(with_model), ours, calls),
        Row(SECTION, "reading time per reply",
            f"{reader_seconds / ours.replies * 1000:.2f} ms",
            f"{baseline_seconds / ours.replies * 1000:.2f} ms",
            ratio(reader_seconds, baseline_seconds)),
    ]  # fmt: skip
    return rows


def _model_rows(model: Tally, reader: Tally, calls: int) -> list[Row]:
    """The model path against the fake model server, beside the reader alone. The
    model is careless on purpose (it echoes the reply as the value, 0.95 sure): what
    it gets past the checks is what the checks let through."""
    name = "model path (a careless model)"
    return [
        Row(SECTION, f"{name}: read correctly", _share(model.correct, model.replies),
            _share(reader.correct, reader.replies), ratio(model.correct, reader.correct),
            "baseline: the reader alone"),
        Row(SECTION, f"{name}: recorded wrongly", str(model.wrong), str(reader.wrong),
            ratio(model.wrong, reader.wrong), "target: 0"),
        Row(SECTION, f"{name}: asked again", str(model.asked_again), str(reader.asked_again),
            ratio(model.asked_again, reader.asked_again)),
        Row(SECTION, f"{name}: model calls", str(calls), "0", None,
            "one per reply the reader is not sure of"),
    ]  # fmt: skip


def model_path(extractor: ModelAnswerExtractor) -> Reader:
    """The check-in's reading with a model: the reader, then the model when the reader
    is not sure; the model's facts pass the reader's checks or are dropped."""

    def read(reply: str, context: ReplyContext) -> Reading:
        reading = understand(reply, context)
        if is_sure(reading):
            return reading
        question = context.spec.question.format(deal="the deal", account="them", person="them")
        try:
            facts = extractor.extract(ExtractionRequest(context, question, reply))
        except ModelCallError:
            return reading
        return checked(facts, context, reply) or reading

    return read


def echo(request: RecordedRequest) -> Reply:
    """A careless model: the reply's own words as the value, 0.95 sure (a choice, scale
    or date field's schema refuses most of them)."""
    said = request.user.split("<answer>\n", 1)[1].split("\n</answer>", 1)[0]
    payload = {"value": said, "confidence": 0.95, "unsure": False, "words": said, "extras": []}
    return Reply.json(payload)


def _timed(work: Callable[[], list[Verdict]]) -> tuple[list[Verdict], float]:
    started = time.perf_counter()
    verdicts = work()
    return verdicts, time.perf_counter() - started


def _field_row(field: str, ours: Tally, theirs: Tally) -> Row:
    return Row(
        SECTION,
        f"{field} ({ours.replies} replies): read / wrong / again",
        _figures(ours),
        _figures(theirs),
        ratio(ours.correct, theirs.correct),
        "ratio: read correctly",
    )


def _figures(figures: Tally) -> str:
    read = f"{figures.correct_share:.0%}"
    return f"{read} / {figures.wrong} / {figures.asked_again}"


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.1%})" if whole else "0"


def parser_reading(reply: str, context: ReplyContext) -> Reading:
    """What the check-in made of a reply before: a command word went to its command
    (alone, or a rhythm command, or any command on a question with buttons), anything
    else to the answer parser, and whatever it read was recorded."""
    spec = context.spec
    word, _, rest = reply.strip().partition(" ")
    if word.lower() in context.commands and (
        not rest or word.lower() in context.text_commands or spec.kind not in {"text", "person"}
    ):
        return Command(word.lower(), rest.strip())
    names = tuple(person.name for person in context.people)
    parsed = parse_answer(spec, reply, context.today, names)
    if parsed.outcome == "skip":
        return Skipped(spec.key)
    if parsed.outcome == "unclear":
        return Unclear(spec.key, "unclear")
    value = UNKNOWN if parsed.outcome == "unsure" else parsed.value or UNKNOWN
    return Answered(spec.key, (ProposedFact(spec.key, value, "high", reply),))
