from pathlib import Path

import pytest
import yaml

from bot.conversation import replies


def test_every_reply_file_loads_and_placeholders_fill() -> None:
    assert replies.say("deal_not_found", query="acme").startswith("I found no open deal")


def test_a_key_defined_in_two_files_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "replies.yaml").write_text(yaml.safe_dump({"hello": "a"}))
    (tmp_path / "replies_extra.yaml").write_text(yaml.safe_dump({"hello": "b"}))
    monkeypatch.setattr(replies, "REPLIES_DIR", tmp_path)
    replies._replies.cache_clear()
    with pytest.raises(ValueError, match=r"'hello' in replies_extra\.yaml is already defined"):
        replies.say("hello")
    replies._replies.cache_clear()
