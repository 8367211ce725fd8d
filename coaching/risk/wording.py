"""What the risk rules say, loaded from wording.yaml: labels, reasons, actions, signals."""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

DEFAULT_WORDING = Path(__file__).with_name("wording.yaml")


class WordingError(Exception):
    """The wording file is invalid, or a text names a fact nobody gave it."""


@dataclass(frozen=True, slots=True)
class Signal:
    """One observed fact behind a rule, e.g. `money_next_year`, with what its phrase cites."""

    id: str
    facts: dict[str, Any] = field(default_factory=dict)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleText(_Strict):
    label: str
    reason: str
    action: str


class SignalText(_Strict):
    text: str
    label: str


class Wording(_Strict):
    severities: dict[int, str]
    rules: dict[str, RuleText]
    signals: dict[str, SignalText]
    champion_tests: dict[str, str]
    test_results: dict[str, str]
    phrases: dict[str, str] = {}

    def label(self, rule: str) -> str:
        return self.rules[rule].label

    def severity(self, level: int) -> str:
        return self.severities.get(level, str(level))

    def signal_label(self, signal: str) -> str:
        return self.signals[signal].label

    def reason(self, rule: str, signals: list[Signal], context: dict[str, Any]) -> str:
        """The rule's one-line reason: its template around its signals' phrases."""
        phrases = [
            _fill(self.signals[signal.id].text, context | signal.facts, signal.id)
            for signal in signals
        ]
        return _fill(self.rules[rule].reason, context | {"signals": "; ".join(phrases)}, rule)

    def action(self, rule: str, context: dict[str, Any]) -> str:
        return _fill(self.rules[rule].action, context, rule)

    @cached_property
    def signal_ids(self) -> frozenset[str]:
        return frozenset(self.signals)


def _fill(template: str, values: dict[str, Any], where: str) -> str:
    missing = sorted(_placeholders(template).difference(values))
    if missing:
        raise WordingError(
            f"{where}: the text names {{{missing[0]}}}, which this rule does not give"
        )
    return template.format_map(values)


@functools.lru_cache(maxsize=1024)
def _placeholders(template: str) -> frozenset[str]:
    """The names a template's {placeholders} use (parsed once per template)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def load_wording(path: Path | None = None) -> Wording:
    """Read and validate a wording file (the shipped default when path is None)."""
    source = path or DEFAULT_WORDING
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
        return Wording.model_validate(raw)
    except OSError as exc:
        raise WordingError(f"cannot read risk wording {source}: {exc.strerror}") from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise WordingError(f"risk wording {source} is invalid: {exc}") from None
