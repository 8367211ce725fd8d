"""The deterministic writer: a real briefing from the deal's shareable facts, with no
model. Its words live in wording.yaml; missing facts become questions for the rep."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined

from coaching.briefing.content import BriefingContent
from coaching.briefing.view import ShareableDeal, SharedPerson

WORDING_FILE = Path(__file__).with_name("wording.yaml")
AUDIENCE_NAMES = {"finance": "finance", "it": "IT", "users": "the team that will use it"}


def day(value: dt.date) -> str:
    """Friday 11 December."""
    return f"{value:%A} {value.day} {value:%B}"


def sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if not text or text[-1] in ".!?" else f"{text}."


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


_ENV = Environment(undefined=StrictUndefined, autoescape=False)
_ENV.filters.update(day=day, sentence=sentence, possessive=possessive)


class DeterministicWriter:
    """Writes a briefing from wording templates; the same view always gives the same text."""

    name = "template"

    def __init__(self, wording_file: Path = WORDING_FILE) -> None:
        self.wording_file = wording_file
        self.wording = _load(wording_file)

    @property
    def fixed_text(self) -> str:
        """The writer's own words (public: never a secret the guard should look for)."""
        return self.wording_file.read_text(encoding="utf-8")

    def write(self, view: ShareableDeal) -> BriefingContent:
        values = template_values(view, self.wording.get("roles", {}))
        shared, rep = self.wording["shared"], self.wording["rep"]
        content = {
            "shared": {
                key: _fill(shared[key], values)
                for key in ("headline", "problem", "vision", "value", "why_now", "ask")
            }
            | {
                "objections": _items(shared["objections"], values),
                "next_steps": _items(shared["next_steps"], values),
            },
            "rep": {
                "offer": _fill(rep["offer"], values),
                "role_play": _items(rep["role_play"], values),
                "debrief": _items(rep["debrief"], values),
                "questions_for_rep": _items(rep["questions_for_rep"], values),
            },
        }
        return BriefingContent.model_validate(content)


def headings() -> dict[str, str]:
    """Section headings (champion page and rep notes), from the shipped wording."""
    return dict(_load(WORDING_FILE)["headings"])


def template_values(view: ShareableDeal, roles: dict[str, list[str]]) -> dict[str, Any]:
    """What the wording templates may use: the view's facts, named for people."""
    decision_date = view.date("decision_date")
    next_step_date = view.date("next_step_date")
    event = view.fact("compelling_event")
    vision = view.fact("vision_owner")
    audiences = {key: view.with_role(*roles.get(key, [key])) for key in AUDIENCE_NAMES}
    missing = [AUDIENCE_NAMES[key] for key, person in audiences.items() if person is None]
    champion = view.champion
    return {
        "account": view.account,
        "product": view.product,
        "summary": view.summary,
        "summary_has_figure": bool(view.summary and re.search(r"\d", view.summary)),
        "rep": view.rep_name.split()[0],
        "rep_name": view.rep_name,
        "champion": champion,
        "decision_maker": _other_than(view.decision_maker, champion),
        **audiences,
        "missing_audiences": _join(missing),
        "need": view.value("need"),
        "vision": vision.value if vision else None,
        "vision_display": vision.display if vision else None,
        "event": event.value if event else None,
        "event_stale": bool(event and event.stale),
        "decision_date": decision_date,
        "days_to_decision": (decision_date - view.today).days if decision_date else None,
        "next_step": view.value("next_step"),
        "next_step_date": next_step_date,
        "next_step_past": bool(next_step_date and next_step_date < view.today),
        "today": view.today,
    }


def _other_than(person: SharedPerson | None, champion: SharedPerson | None) -> SharedPerson | None:
    """The decision maker, unless that is the champion (the note is written to them)."""
    if person and champion and person.name.casefold() == champion.name.casefold():
        return None
    return person


def _join(names: list[str]) -> str:
    return (
        names[0]
        if len(names) == 1
        else ", ".join(names[:-1]) + " and " + names[-1]
        if names
        else ""
    )


def _fill(template: str, values: dict[str, Any]) -> str:
    return " ".join(_ENV.from_string(template).render(values).split())


def _items(specs: list[Any], values: dict[str, Any]) -> list[Any]:
    """Render each list item whose `when` holds; a mapping item keeps its other keys."""
    items: list[Any] = []
    for spec in specs:
        if isinstance(spec, str):
            items.append(_fill(spec, values))
            continue
        when = spec.get("when")
        if when and not _ENV.compile_expression(when)(**values):
            continue
        fields = {key: _fill(text, values) for key, text in spec.items() if key != "when"}
        items.append(fields["text"] if set(fields) == {"text"} else fields)
    return items


@cache
def _load(path: Path) -> dict[str, Any]:
    wording = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(wording, dict) or not {"shared", "rep", "headings"} <= wording.keys():
        raise ValueError(f"{path}: the wording needs `shared`, `rep` and `headings` sections")
    return wording
