"""Grounded text: wording and cited facts stay apart until rendered."""

import pytest

from coaching.coach.text import Fact, Line, Reply, Section, TemplateError, fill, join, line

AMOUNT = Fact("deal.amount", "84000.00", "$84,000", deal_id=7)
NAME = Fact("deal.name", "Globex fleet rollout", "Globex fleet rollout", deal_id=7)


def test_fill_keeps_facts_as_facts() -> None:
    filled = fill("{deal} is worth {amount}.", {"deal": NAME, "amount": AMOUNT})
    assert filled.text == "Globex fleet rollout is worth $84,000."
    assert filled.facts == (NAME, AMOUNT)
    assert filled.parts == (NAME, " is worth ", AMOUNT, ".")


def test_fill_takes_plain_words_and_lines_as_slots() -> None:
    inner = fill("{amount} in total", {"amount": AMOUNT})
    filled = fill("{who}: {what}", {"who": "your champion", "what": inner})
    assert filled.text == "your champion: $84,000 in total"
    assert filled.facts == (AMOUNT,)


@pytest.mark.parametrize("template", ["{missing}", "{amount:>10}", "{amount!r}"])
def test_a_placeholder_nothing_fills_is_an_error(template: str) -> None:
    with pytest.raises(TemplateError, match="nothing fills"):
        fill(template, {"amount": AMOUNT})


def test_join_uses_the_last_separator_and_skips_empty_lines() -> None:
    lines = [line("a"), Line(), line("b"), line("c")]
    assert join(lines, ", ", " and ").text == "a, b and c"
    assert join(lines, ", ").text == "a, b, c"
    assert not join([], ", ")


def test_a_reply_lists_its_facts_and_renders_sections() -> None:
    reply = Reply(
        "deal_review",
        line(NAME),
        (Section(line("Top risks"), (fill("worth {amount}", {"amount": AMOUNT}),)),),
        lead=line("Lead."),
    )
    assert reply.facts == (NAME, AMOUNT)
    assert reply.text() == "Globex fleet rollout\nLead.\n\nTop risks\n• worth $84,000"
