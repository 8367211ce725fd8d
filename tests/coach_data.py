"""The coach over a real database: views built the way the bot will build them, and a
resolver that looks every cited fact up in the tables on its own (not through the
coach's code), for the grounding tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.coach import DealView, Fact, build_view, default_kit
from coaching.playbook import UNKNOWN, load_playbook
from coaching.risk import (
    AnswerHistory,
    DealCase,
    RiskEngine,
    learn_baselines,
    load_risk_config,
    load_wording,
)
from storage.coach import deal_records
from storage.models import Answer, Deal, Person, Stakeholder
from storage.risk import scan_inputs, won_deals

PLAYBOOK = load_playbook()
ENGINE = RiskEngine(load_risk_config(), load_wording(), PLAYBOOK)
KIT = default_kit(ENGINE.wording)


def local_today(timezone: str, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(timezone)).date()


def load_views(
    session: Session,
    now: dt.datetime,
    *,
    owner_ids: list[int] | None = None,
    manager_id: int | None = None,
) -> list[DealView]:
    """The coach's views of these deals, from storage.coach's records."""
    records = deal_records(session, owner_ids=owner_ids, manager_id=manager_id)
    baselines = learn_baselines(won_deals(session))
    views = []
    for record in records:
        case = DealCase(
            deal=record.deal.facts,
            owner=record.deal.owner,
            team=record.deal.team,
            today=local_today(record.deal.timezone, now),
            answers=AnswerHistory(record.answers),
            close_date_changes=tuple(record.close_date_changes),
        )
        views.append(
            build_view(
                PLAYBOOK,
                ENGINE,
                case,
                now=now,
                stakeholders=record.stakeholders,
                baselines=baselines,
            )
        )
    return views


class TableResolver:
    """What the tables hold at a fact's source, read with plain queries; the risk
    findings from the risk scan's own inputs. `extra` answers request and count sources."""

    def __init__(self, session: Session, now: dt.datetime, extra: dict[str, str]) -> None:
        self.session = session
        self.now = now
        self.extra = extra
        inputs = scan_inputs(session)
        baselines = learn_baselines(inputs.won)
        self.findings: dict[tuple[int, str], object] = {}
        for deal in inputs.deals:
            case = DealCase(
                deal=deal.facts,
                owner=deal.owner,
                team=deal.team,
                today=local_today(deal.timezone, now),
                answers=AnswerHistory(inputs.answers.get(deal.facts.id, ())),
                close_date_changes=tuple(inputs.close_date_changes.get(deal.facts.id, ())),
            )
            for finding in ENGINE.assess(case, baselines):
                self.findings[(deal.facts.id, finding.rule)] = finding

    def __call__(self, fact: Fact) -> str | None:
        if fact.deal_id is None:
            return self.extra.get(fact.source)
        deal = self.session.get_one(Deal, fact.deal_id)
        head, _, rest = fact.source.partition(".")
        if head == "deal":
            return self._deal(deal, rest)
        if head == "answer":
            return self._answer(deal, rest)
        if head == "stakeholder":
            name, _, attribute = rest.rpartition(".")
            row = self.session.scalar(
                select(Stakeholder).where(Stakeholder.deal_id == deal.id, Stakeholder.name == name)
            )
            value = getattr(row, attribute) if row is not None else None
            return None if value is None else str(value)
        if head == "risk":
            rule, _, attribute = rest.partition(".")
            finding = self.findings.get((deal.id, rule))
            if finding is None:
                return None
            if attribute == "reason":
                return finding.reason  # type: ignore[attr-defined]
            value = finding.facts.get(attribute)  # type: ignore[attr-defined]
            return None if value is None else str(value)
        return self.extra.get(fact.source)

    def _today(self, deal: Deal) -> dt.date:
        owner = self.session.get_one(Person, deal.owner_id)
        return local_today(owner.timezone, self.now)

    def _deal(self, deal: Deal, attribute: str) -> str | None:
        if attribute == "owner":
            return self.session.get_one(Person, deal.owner_id).name
        if attribute == "days_to_close":
            return str((deal.close_date - self._today(deal)).days) if deal.close_date else None
        if attribute == "days_in_stage":
            entered = deal.stage_entered_on or deal.created_on
            return str((self._today(deal) - entered).days) if entered else None
        value = getattr(deal, attribute)
        if isinstance(value, dt.date):
            return value.isoformat()
        return None if value is None else str(value)

    def _answer(self, deal: Deal, rest: str) -> str | None:
        field, _, attribute = rest.partition(".")
        row = self.session.scalars(
            select(Answer)
            .where(Answer.deal_id == deal.id, Answer.field == field)
            .order_by(Answer.answered_at.desc(), Answer.id.desc())
        ).first()
        if row is None:
            return None
        if attribute == "age":
            return str(max(0, (self.now - row.answered_at).days))
        return None if row.value == UNKNOWN else row.value


def totals(views: Iterable[DealView]) -> dict[str, str]:
    """`total.USD` and the like: the amounts of these deals added up per currency."""
    sums: dict[str, object] = {}
    for view in views:
        if view.deal.amount is not None:
            key = f"total.{view.deal.currency}"
            sums[key] = sums.get(key, 0) + view.deal.amount  # type: ignore[operator]
    return {key: str(value) for key, value in sums.items()}
