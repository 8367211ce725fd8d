"""UsageCounter.counting(): every model call made in the block, whoever built the model."""

from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from prompts.llm import UsageCounter


def fake_model(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(reply) for reply in replies]))


def test_calls_inside_the_block_are_counted_and_calls_after_it_are_not() -> None:
    counter = UsageCounter()
    model = fake_model("12345678", "1234")
    with counter.counting():
        model.invoke("x" * 40)
    model.invoke("y" * 40)
    assert (counter.calls, counter.prompt_tokens, counter.completion_tokens) == (1, 10, 2)


def test_a_watched_model_inside_the_block_counts_once() -> None:
    counter = UsageCounter()
    model = counter.watch(fake_model("1234"))
    with counter.counting():
        model.invoke("x" * 8)
    assert counter.calls == 1


def test_blocks_nest_and_each_counts_its_own_calls() -> None:
    outer, inner = UsageCounter(), UsageCounter()
    model = fake_model("1234", "5678")
    with outer.counting():
        model.invoke("a")
        with inner.counting():
            model.invoke("b")
    assert (outer.calls, inner.calls) == (1, 1)
