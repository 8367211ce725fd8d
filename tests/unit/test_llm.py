import json
import subprocess
import sys

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from pydantic import BaseModel, SecretStr, ValidationError

from coaching.playbook import load_playbook
from prompts.llm import UsageCounter, answer_schema, build_chat_model

PLAYBOOK = load_playbook()


def reply(**fields: object) -> str:
    return json.dumps({"confidence": 0.9, "unsure": False, "words": "", "extras": [], **fields})


def value_of(schema: type[BaseModel], text: str) -> object:
    return schema.model_validate_json(text).model_dump()["value"]


def raw_value(value_json: str) -> str:
    """A reply whose value is written as raw JSON (to send wrong types)."""
    rest = '"confidence": 0.9, "unsure": false, "words": "", "extras": []'
    return f'{{"value": {value_json}, {rest}}}'


def test_importing_the_model_layer_does_not_import_langchain_openai() -> None:
    code = (
        "import sys, prompts.llm; print(sorted({'langchain_openai', 'openai'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_choice_schema_accepts_only_the_option_values() -> None:
    schema = answer_schema(PLAYBOOK.field("money"), PLAYBOOK)
    assert value_of(schema, reply(value="next_year")) == "next_year"
    assert value_of(schema, reply(value=None)) is None
    for wrong in ('"maybe"', '"unknown"', '"Next year"'):
        with pytest.raises(ValidationError):
            schema.model_validate_json(raw_value(wrong))


def test_scale_schema_is_a_whole_number_within_the_fields_scale() -> None:
    schema = answer_schema(PLAYBOOK.field("exposure"), PLAYBOOK)
    assert schema.model_json_schema()["properties"]["value"]["anyOf"][0] == {
        "maximum": 5,
        "minimum": 1,
        "type": "integer",
    }
    assert value_of(schema, reply(value=5)) == 5
    for wrong in ("0", "6", '"3"', "2.5", "true"):
        with pytest.raises(ValidationError):
            schema.model_validate_json(raw_value(wrong))


def test_date_schema_takes_only_an_iso_date() -> None:
    schema = answer_schema(PLAYBOOK.field("decision_date"), PLAYBOOK)
    assert str(value_of(schema, reply(value="2027-01-15"))) == "2027-01-15"
    for wrong in ('"next Friday"', '"2027-02-30"', "20270115", '"2027-01-15T10:00:00"'):
        with pytest.raises(ValidationError):
            schema.model_validate_json(raw_value(wrong))


@pytest.mark.parametrize("key", ["champion", "next_step"])
def test_person_and_text_schemas_take_a_string(key: str) -> None:
    schema = answer_schema(PLAYBOOK.field(key), PLAYBOOK)
    assert value_of(schema, reply(value="Dana Lee")) == "Dana Lee"


def test_extras_name_another_field_of_the_playbook() -> None:
    schema = answer_schema(PLAYBOOK.field("authority"), PLAYBOOK)
    extra = {"field": "exposure", "value": "2", "confidence": 0.7, "words": "met her once"}
    parsed = schema.model_validate_json(reply(value="Maria", extras=[extra]))
    assert parsed.model_dump()["extras"] == [extra]
    for wrong in ("authority", "budget"):  # the field asked, a field the playbook lacks
        with pytest.raises(ValidationError):
            schema.model_validate_json(reply(value="Maria", extras=[{**extra, "field": wrong}]))


def test_every_reply_needs_a_confidence_between_0_and_1_and_nothing_else() -> None:
    schema = answer_schema(PLAYBOOK.field("money"), PLAYBOOK)
    for wrong in (reply(value=None, confidence=1.5), reply(value=None, extra=1), '{"value": null}'):
        with pytest.raises(ValidationError):
            schema.model_validate_json(wrong)


def test_a_local_server_without_a_key_gets_a_placeholder_key() -> None:
    model = build_chat_model(
        None, "http://127.0.0.1:9/v1", "local-model", timeout_s=3, max_retries=4
    )
    assert isinstance(model.openai_api_key, SecretStr) and model.openai_api_key.get_secret_value()
    assert (model.openai_api_base, model.model_name) == ("http://127.0.0.1:9/v1", "local-model")
    assert (model.request_timeout, model.max_retries) == (3, 4)


def test_a_chat_model_needs_a_key_or_a_base_url() -> None:
    with pytest.raises(ValueError, match="API key, or the base URL"):
        build_chat_model(None, None, "gpt-4o-mini")


def test_the_usage_counter_estimates_tokens_when_the_model_reports_none() -> None:
    counter = UsageCounter()
    model = counter.watch(GenericFakeChatModel(messages=iter([AIMessage("12345678")])))
    model.invoke("x" * 40)
    assert (counter.calls, counter.failures, counter.estimated_calls) == (1, 0, 1)
    assert (counter.prompt_tokens, counter.completion_tokens) == (10, 2)
