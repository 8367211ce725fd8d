"""Replies that are not answers: undo, skip, a command, a question for the coach,
small talk."""

from __future__ import annotations

from collections.abc import Sequence

from coaching.understanding.context import ReplyContext
from coaching.understanding.lexicon import Lexicon, Phrases, lexicon
from coaching.understanding.phrases import covered, leftover, phrase_hits
from coaching.understanding.readings import Command, Question, Reading, Skipped, SmallTalk
from coaching.understanding.words import Word, content

MIN_QUESTION_WORDS = 3


def is_undo(words: Sequence[Word]) -> bool:
    return _only(words, lexicon().undo)


def not_an_answer(text: str, words: Sequence[Word], context: ReplyContext) -> Reading | None:
    """What the reply is when it is not an answer; None when it may be one."""
    lex = lexicon()
    if _only(words, lex.unsure + lex.none):
        return None  # "not sure", "none yet": answers
    if _only(words, lex.skip):
        return Skipped(context.field)
    for word, phrases in lex.commands.items():
        if _only(words, phrases):
            return Command(word)
    if _only(words, lex.small_talk):
        return SmallTalk(text.strip())
    if _is_question(text, words, lex):
        return Question(text.strip())
    return _command(text, words, context)


def _only(words: Sequence[Word], phrases: Phrases) -> bool:
    """The reply says one of `phrases` and nothing else but fillers."""
    found = phrase_hits(words, phrases)
    return bool(found) and not leftover(words, covered(found), lexicon())


def _is_question(text: str, words: Sequence[Word], lex: Lexicon) -> bool:
    spoken = [word for word in content(words) if (word.text,) not in lex.small_talk]
    texts = tuple(word.text for word in spoken)
    if not texts:
        return False
    opens = any(texts[: len(opener)] == opener for opener in lex.question_openers)
    if opens and len(texts) >= MIN_QUESTION_WORDS:
        return True
    return text.rstrip().endswith("?") and texts[0] in lex.question_words and len(texts) >= 2


def _command(text: str, words: Sequence[Word], context: ReplyContext) -> Command | None:
    """A command word the caller routes, alone ("stop"), or one that takes free text
    ("snooze 2h", "pause northwind until January because ..."). Any other command word
    followed by more words may be an answer ("deal review with the CFO")."""
    spoken = content(words)
    if not spoken or spoken[0].text not in context.commands:
        return None
    rest = text[spoken[0].end :].strip()
    if not rest:
        return Command(spoken[0].text)
    if spoken[0].text in context.text_commands:
        return Command(spoken[0].text, rest)
    return None
