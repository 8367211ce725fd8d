"""The words that tell a rep what to give when a reply could not be read."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from coaching.data_files import read_yaml_mapping
from coaching.playbook import FieldSpec, Scale

WORDING_FILE = Path(__file__).with_name("wording.yaml")


class WordingError(Exception):
    """wording.yaml is unreadable."""


@lru_cache(maxsize=1)
def _hints() -> dict[str, str]:
    raw = read_yaml_mapping(WORDING_FILE, "understanding wording", WordingError, "reason: hint")
    return {str(key): str(value) for key, value in raw.items()}


def explain(reason: str, spec: FieldSpec) -> str:
    """The hint for a reason an answer was not read, for this field."""
    scale = spec.scale or Scale()
    hint = _hints().get(reason, _hints()["option"])
    return hint.format(label=spec.label.lower(), low=scale.min, high=scale.max)
