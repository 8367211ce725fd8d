"""The deterministic writer: a real briefing from the deal's shareable facts and the
seller profile, with no model. Its words live in wording.yaml; missing facts become
questions for the rep; the kind of risk the deal runs picks the emphasis."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined

from coaching.briefing.content import BriefingContent
from coaching.briefing.facts import sentence, summary_facts
from coaching.briefing.meeting import Attendee, Concern, attendees, concerns
from coaching.briefing.roles import ROLES_FILE, RoleTable, load_roles
from coaching.briefing.seller import (
    Answering,
    Differentiator,
    Guarantee,
    Option,
    ProofPoint,
    ReferenceProgramme,
)
from coaching.briefing.view import ShareableDeal, SharedPerson
from coaching.briefing.words import clause

WORDING_FILE = Path(__file__).with_name("wording.yaml")
MAX_ROLE_PLAY = 8


def day(value: dt.date) -> str:
    """Friday 11 December."""
    return f"{value:%A} {value.day} {value:%B}"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def join_and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_ENV = Environment(undefined=StrictUndefined, autoescape=False)
_ENV.filters.update(
    day=day,
    sentence=sentence,
    possessive=possessive,
    join_and=join_and,
    clause=clause,
)


class DeterministicWriter:
    """Writes a briefing from wording templates; the same view always gives the same text."""

    name = "template"

    def __init__(self, wording_file: Path = WORDING_FILE, roles: RoleTable | None = None) -> None:
        self.wording_file = wording_file
        self.wording = _load(wording_file)
        self.roles = roles or load_roles()

    @property
    def fixed_text(self) -> str:
        """The writer's own words (public: never a secret the guard should look for)."""
        return "\n".join(
            [self.wording_file.read_text(encoding="utf-8"), ROLES_FILE.read_text(encoding="utf-8")]
        )

    def write(self, view: ShareableDeal) -> BriefingContent:
        values = template_values(view, self.roles, self.wording)
        shared, rep = self.wording["shared"], self.wording["rep"]
        content = {
            "shared": {
                key: _fill(shared[key], values)
                for key in ("headline", "problem", "vision", "value", "why_now", "ask")
            }
            | {
                "objections": values["objections"],
                "next_steps": _items(shared["next_steps"], values),
            },
            "rep": {
                "offer": _fill(rep["offer"], values),
                "role_play": _role_play(values, rep["role_play"]),
                "debrief": _items(rep["debrief"], values),
                "questions_for_rep": [text for text, _ in _questions(rep, values)],
            },
        }
        return BriefingContent.model_validate(content)

    def answered_by(self, view: ShareableDeal, section: str) -> set[str]:
        """The questions for the rep that the rep's own text for `section` answers (the
        wording marks each with the section it `fills`)."""
        values = template_values(view, self.roles, self.wording)
        return {text for text, fills in _questions(self.wording["rep"], values) if fills == section}


def _questions(rep: dict[str, Any], values: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Each question for the rep whose `when` holds, with the section it fills, if any."""
    found: list[tuple[str, str | None]] = []
    for spec in rep["questions_for_rep"]:
        when = spec.get("when")
        if when and not _ENV.compile_expression(when)(**values):
            continue
        found.append((_fill(spec["text"], values), spec.get("fills")))
    return found


def headings() -> dict[str, str]:
    """Section headings (champion page and rep notes), from the shipped wording."""
    return dict(_load(WORDING_FILE)["headings"])


def template_values(
    view: ShareableDeal, roles: RoleTable, wording: dict[str, Any]
) -> dict[str, Any]:
    """What the wording templates may use: the view's facts, typed and named."""
    decision_date = view.date("decision_date")
    next_step_date = view.date("next_step_date")
    event = view.fact("compelling_event")
    vision = view.fact("vision_owner")
    seller = view.seller
    company = view.account or wording["no_account"]
    facts = summary_facts(view.summary)
    people = attendees(view, roles)
    asked = concerns(people, roles, seller, view.product, facts)
    parts = {"company": company}
    entries = [entry for entry in (seller.entries() if seller else ()) if entry.about(view.product)]
    product = seller.product(view.product) if seller else None
    first_step = seller.first_step(view.product) if seller else None
    return {
        "company": company,
        "account": view.account,
        "product": view.product,
        "product_summary": product.summary if product else None,
        "seller": seller.company if seller else None,
        "seller_has_product": product is not None,
        "problem": [fact.text for fact in facts if fact.kind != "saving"],
        "costs": [fact.text for fact in facts if fact.kind == "cost"],
        "savings": [fact.text for fact in facts if fact.kind == "saving"],
        "has_figure": any(fact.figures for fact in facts if fact.kind != "saving"),
        "event": event.value if event else None,
        "event_stale": bool(event and event.stale),
        "decision_date": decision_date,
        "days_to_decision": (decision_date - view.today).days if decision_date else None,
        "next_step": view.value("next_step"),
        "next_step_date": next_step_date,
        "next_step_past": bool(next_step_date and next_step_date < view.today),
        "today": view.today,
        "vision": vision.value if vision else None,
        "vision_display": vision.display if vision else None,
        "risk": view.risk,
        "differentiators": [
            _part(wording, entry, parts) for entry in entries if isinstance(entry, Differentiator)
        ][:2],
        "criteria": [
            entry.criterion
            for entry in entries
            if isinstance(entry, Differentiator) and entry.criterion
        ][:3],
        "proofs": [
            _part(wording, entry, parts) for entry in entries if isinstance(entry, ProofPoint)
        ][:2],
        "guarantees": [
            _part(wording, entry, parts) for entry in entries if isinstance(entry, Guarantee)
        ],
        "reference": seller.reference_programme.text
        if seller and seller.reference_programme
        else None,
        "first_step": first_step,
        "attendees": people,
        "objections": _objections([item for item in asked if item.answered], wording, parts),
        "unanswered": [
            {"who": item.attendee.who, "question": item.question, "key": item.key}
            for item in asked
            if not item.answered
        ],
        "unroled": [person.person.name for person in people if not person.concerns],
        "champion": view.champion,
        "decision_maker": _deciders(view.decision_makers, view.champion),
        "rep": view.rep_name.split()[0],
        "rep_name": view.rep_name,
    }


def _objections(
    asked: list[Concern], wording: dict[str, Any], parts: dict[str, str]
) -> list[dict[str, str]]:
    """One item per person and answer: a person's concerns with the same answer share it."""
    items: list[dict[str, str]] = []
    for item in asked:
        answer = _answer(item, wording, parts)
        same = next(
            (o for o in items if (o["who"], o["answer"]) == (item.attendee.who, answer)), None
        )
        if same is not None:
            same["concern"] += f" {item.question}"
        else:
            items.append({"who": item.attendee.who, "concern": item.question, "answer": answer})
    return items


def _answer(item: Concern, wording: dict[str, Any], parts: dict[str, str]) -> str:
    """The deal's facts (one piece per kind: what it costs, what was gained), then the
    seller profile's entries."""
    kinds = dict.fromkeys(fact.kind for fact in item.facts)
    pieces = [
        _fill(
            wording["answer_parts"][kind],
            {"text": " ".join(fact.text for fact in item.facts if fact.kind == kind)},
        )
        for kind in kinds
    ]
    pieces += [_part(wording, entry, parts) for entry in item.entries]
    return " ".join(pieces)


def _part(wording: dict[str, Any], entry: Answering, values: dict[str, str]) -> str:
    """One seller-profile entry as a sentence of an answer."""
    kind, fields = _entry_fields(entry)
    return sentence(_fill(wording["answer_parts"][kind], values | fields))


def _entry_fields(entry: Answering) -> tuple[str, dict[str, str]]:
    if isinstance(entry, ProofPoint):
        return "proof", {"who": entry.who, "result": entry.result}
    if isinstance(entry, Option):
        return "option", {"name": entry.name, "text": entry.text}
    if isinstance(entry, Guarantee):
        return "guarantee", {"text": entry.text}
    if isinstance(entry, ReferenceProgramme):
        return "reference", {"text": entry.text}
    assert isinstance(entry, Differentiator)
    return "differentiator", {"text": entry.text}


def _role_play(values: dict[str, Any], specs: list[Any]) -> list[dict[str, str]]:
    """Each person's questions with the answers, then the general ones."""
    people: list[Attendee] = values["attendees"]
    named = {person.who: person.person.first_name for person in people}
    asked = [
        {"question": f"{named[item['who']]}: {item['concern']}", "answer": item["answer"]}
        for item in values["objections"]
    ]
    return (asked + _items(specs, values))[:MAX_ROLE_PLAY]


def _deciders(
    people: list[SharedPerson], champion: SharedPerson | None
) -> dict[str, str | bool] | None:
    """Who decides, as one subject (.name, .described, .first_name, .many), the
    champion left out (the note is written to them); None when no one else decides."""
    wanted = champion.name.casefold() if champion else None
    others = [person for person in people if person.name.casefold() != wanted]
    if not others:
        return None
    return {
        "name": join_and(
            [person.first_name if person.by_title else person.name for person in others]
        ),
        "described": join_and(
            [person.first_name if person.by_title else person.described for person in others]
        ),
        "first_name": others[0].first_name,
        "many": len(others) > 1,
    }


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
    needed = {"shared", "rep", "headings", "answer_parts", "no_account"}
    if not isinstance(wording, dict) or not needed <= wording.keys():
        raise ValueError(f"{path}: the wording needs {', '.join(sorted(needed))}")
    return wording
