from pathlib import Path

import pytest
import yaml

from bot.engine import replies


def test_every_reply_file_loads_and_placeholders_fill() -> None:
    assert replies.say("deal_not_found", query="acme").startswith("I found no open deal")


def test_a_key_defined_in_two_files_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for package, word in (("engine", "a"), ("slack", "b")):
        (tmp_path / package).mkdir()
        (tmp_path / package / "replies.yaml").write_text(yaml.safe_dump({"hello": word}))
    monkeypatch.setattr(replies, "BOT_DIR", tmp_path)
    replies._replies.cache_clear()
    with pytest.raises(ValueError, match=r"'hello' in \S+/slack/replies\.yaml is already defined"):
        replies.say("hello")
    replies._replies.cache_clear()
