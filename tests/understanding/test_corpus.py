"""The corpus of replies as reps type them, read by the deterministic reader.

Every reply gets its own test that nothing wrong is recorded (a high-confidence fact
that is not the expected one); the corpus as a whole must be read correctly at
least 95% of the time.
"""

from pathlib import Path

import pytest

from coaching.playbook import load_playbook
from coaching.understanding import understand
from coaching.understanding.corpus import Case, CorpusError, judge, load_corpus, score, tally

CORPUS = Path(__file__).with_name("corpus")
CASES = load_corpus(CORPUS, load_playbook())
MIN_CORRECT = 0.95


def test_the_corpus_is_large_and_covers_every_field() -> None:
    assert len(CASES) >= 400
    asked = {case.field for case in CASES}
    assert asked == {spec.key for spec in load_playbook().fields}


@pytest.mark.parametrize("case", CASES, ids=[f"{case.where} {case.reply}" for case in CASES])
def test_nothing_is_recorded_wrongly(case: Case) -> None:
    verdict = judge(case, understand(case.reply, case.context))
    assert verdict.wrong == (), verdict.reading.to_dict()


def test_at_least_95_percent_are_read_correctly() -> None:
    verdicts = score(CASES, understand)
    figures = tally(verdicts)
    misread = "\n".join(
        f"{verdict.case.where} [{verdict.case.field}] {verdict.case.reply!r}: "
        f"{verdict.reading.to_dict()}"
        for verdict in verdicts
        if not verdict.correct
    )
    assert figures.correct_share >= MIN_CORRECT, misread


def test_a_malformed_corpus_says_which_reply_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "context.yaml").write_text(
        "today: 2026-11-23\ndeals:\n  acme: {stakeholders: [], competitors: []}\n"
    )
    (tmp_path / "money.yaml").write_text(
        "ask: money\ndeal: acme\nreplies:\n"
        "  - {say: 'yes', read: {money: confirmed}}\n"
        "  - {say: 'yes', read: maybe}\n"
    )
    with pytest.raises(CorpusError, match=r"money.yaml #2: unknown reading 'maybe'"):
        load_corpus(tmp_path, load_playbook())
