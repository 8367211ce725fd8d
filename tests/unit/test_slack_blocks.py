"""Block Kit rendering of neutral messages, within Slack's limits."""

import pytest

from bot.engine.messages import (
    Actions,
    Button,
    Choice,
    Facts,
    Heading,
    Message,
    Paragraph,
    Question,
)
from bot.slack.blocks import MAX_BLOCKS, MAX_SECTION, chunks, neutral_action, render


def blocks_of(*blocks) -> list[dict]:
    [post] = render(Message(summary="s", blocks=blocks))
    return post.blocks


def question(kind: str, count: int = 0, ref: str = "7") -> Question:
    choices = tuple(Choice(value=f"v{n}", label=f"Label {n}") for n in range(count))
    return Question(ref=ref, text="What *now*?", kind=kind, choices=choices, hint="a hint")


def answer_block(blocks: list[dict]) -> dict:
    return next(block for block in blocks if block["type"] == "actions")


def test_text_blocks_become_header_sections_and_escaped_mrkdwn() -> None:
    blocks = blocks_of(
        Heading(text="*Deal* <Acme> & co"),
        Paragraph(text="*bold* and `code` & <tags>"),
        Facts(rows=(("Money", "Budget confirmed"), ("Need", "not sure"))),
    )
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Deal <Acme> & co", "emoji": True},
    }
    assert blocks[1]["text"] == {"type": "mrkdwn", "text": "*bold* and `code` &amp; &lt;tags&gt;"}
    assert blocks[2]["text"]["text"] == "*Money*: Budget confirmed\n*Need*: not sure"


def test_a_few_choices_are_buttons_carrying_the_answer_action() -> None:
    blocks = blocks_of(question("choice", 3))
    assert blocks[0]["text"]["text"] == "*What *now*?*"
    actions = answer_block(blocks)
    assert actions["block_id"] == "question~7"
    assert [element["type"] for element in actions["elements"]] == ["button"] * 3
    assert [element["action_id"] for element in actions["elements"]] == [
        "answer~0",
        "answer~1",
        "answer~2",
    ]
    assert neutral_action(actions["elements"][1]) == ("answer", "7:v1")
    assert blocks[-1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "a hint"}]}


def test_many_choices_become_a_static_select() -> None:
    actions = answer_block(blocks_of(question("choice", 8)))
    [menu] = actions["elements"]
    assert menu["type"] == "static_select"
    assert [option["value"] for option in menu["options"]] == [f"7:v{n}" for n in range(8)]
    chosen = menu | {"selected_option": menu["options"][5]}
    assert neutral_action(chosen) == ("answer", "7:v5")


def test_a_scale_is_a_row_of_five_buttons() -> None:
    scale = tuple(Choice(value=str(n), label=f"{n}") for n in range(1, 6))
    actions = answer_block(
        blocks_of(Question(ref="3", text="How close?", kind="scale", choices=scale))
    )
    assert [element["value"] for element in actions["elements"]] == [f"3:{n}" for n in range(1, 6)]


def test_a_date_question_has_a_datepicker_whose_pick_is_an_answer() -> None:
    actions = answer_block(blocks_of(question("date")))
    [picker] = actions["elements"]
    assert picker["type"] == "datepicker"
    picked = picker | {"block_id": actions["block_id"], "selected_date": "2026-12-15"}
    assert neutral_action(picked) == ("answer", "7:2026-12-15")
    assert neutral_action(picker | {"block_id": actions["block_id"]}) is None  # nothing picked


def test_a_text_question_has_no_element_to_tap() -> None:
    assert [block["type"] for block in blocks_of(question("text"))] == ["section", "context"]


def test_buttons_keep_action_value_and_style_and_any_action_maps_back() -> None:
    buttons = tuple(
        Button(action="warning_feedback", label=f"B{n}", value=f"12:{n}", command="x", style=style)
        for n, style in enumerate(("primary", "danger", "default"))
    )
    [actions] = blocks_of(Actions(buttons=buttons))
    assert [element.get("style") for element in actions["elements"]] == ["primary", "danger", None]
    assert [neutral_action(element) for element in actions["elements"]] == [
        ("warning_feedback", "12:0"),
        ("warning_feedback", "12:1"),
        ("warning_feedback", "12:2"),
    ]


def test_more_than_25_buttons_are_spread_over_several_action_blocks() -> None:
    buttons = tuple(Button(action="a", label=str(n), command="c") for n in range(30))
    blocks = blocks_of(Actions(buttons=buttons))
    assert [len(block["elements"]) for block in blocks] == [25, 5]


def test_long_labels_and_headers_are_cut_to_slacks_limits() -> None:
    blocks = blocks_of(
        Heading(text="H" * 400),
        Actions(buttons=(Button(action="a", label="L" * 200, command="c"),)),
    )
    assert len(blocks[0]["text"]["text"]) == 150
    assert len(blocks[1]["elements"][0]["text"]["text"]) == 75


def test_a_long_paragraph_is_cut_at_lines_into_sections_of_at_most_3000() -> None:
    text = "\n".join(f"line {n:04d} " + "x" * 80 for n in range(100))
    blocks = blocks_of(Paragraph(text=text))
    assert len(blocks) > 1
    assert all(len(block["text"]["text"]) <= MAX_SECTION for block in blocks)
    assert "\n".join(block["text"]["text"] for block in blocks) == text


def test_more_than_50_blocks_make_several_posts() -> None:
    message = Message(summary="many", blocks=tuple(Paragraph(text=str(n)) for n in range(120)))
    posts = render(message)
    assert [len(post.blocks) for post in posts] == [MAX_BLOCKS, MAX_BLOCKS, 20]
    assert all(post.text == "many" for post in posts)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, ["short"]),
        ("one two three", 8, ["one two", "three"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("a\nbb\nccc", 5, ["a\nbb", "ccc"]),
    ],
)
def test_chunks_cut_at_a_line_else_a_word_else_anywhere(text, limit, expected) -> None:
    assert chunks(text, limit) == expected


def test_a_message_without_blocks_is_its_summary() -> None:
    [post] = render(Message(summary="a <b>", blocks=()))
    assert (post.text, post.blocks) == ("a &lt;b&gt;", [])
