"""`ungrounded` flags a model's figures and mid-sentence names that no tool returned."""

from coaching.coach.grounding import ungrounded

TOOLS = ["amount: $84,000\nbuyer person: Maria Lopez, CFO, decision_maker, exposure 2 of 5"]


def test_figures_and_names_from_the_tools_pass() -> None:
    assert ungrounded("Ask for a meeting with Maria Lopez (CFO) on the $84,000 deal.", TOOLS) == []


def test_an_invented_figure_or_name_is_flagged_wherever_it_is() -> None:
    text = "It is worth $90,000. Talk to Maria Lopez and Bob. Exposure 3 of 5."
    assert ungrounded(text, TOOLS) == ["90,000", "Bob", "3"]


def test_a_capital_opening_a_sentence_or_a_quote_is_just_a_capital() -> None:
    text = "Start with the money. Then ask: “Who signs?” • Test the champion."
    assert ungrounded(text, TOOLS) == []
