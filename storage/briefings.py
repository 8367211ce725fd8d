"""What a briefing is built from, read from the tables: the shareable view of a deal,
its internal values (for the guard) and the champion's shareable contact; and who may
see a briefing (the deal's current owner)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coaching.briefing import (
    InternalText,
    InternalValues,
    RiskKind,
    SellerProfile,
    ShareableDeal,
    StakeholderFacts,
    build_shareable_view,
    internal_values,
)
from coaching.briefing.people import split_person
from coaching.briefing.view import risk_kind
from coaching.playbook import Playbook
from storage.models import (
    Answer,
    Briefing,
    BriefingEdit,
    BriefingSuggestion,
    Deal,
    Person,
    RiskWarning,
    Stakeholder,
)
from storage.queries import answers_for
from storage.upsert import insert_ignoring_conflicts


@dataclass(frozen=True, slots=True)
class ChampionContact:
    name: str
    email: str | None


@dataclass(frozen=True, slots=True)
class BriefingSources:
    """`public`: labels the product put into internal records (the deal's stage, in its
    warnings), which never block a briefing on their own."""

    view: ShareableDeal
    internal: InternalValues
    champion: ChampionContact | None
    public: tuple[str, ...] = ()


def briefing_sources(
    session: Session,
    playbook: Playbook,
    deal: Deal,
    *,
    rep: Person,
    now: dt.datetime,
    today: dt.date,
    seller: SellerProfile | None = None,
    risk: RiskKind | None = None,
) -> BriefingSources:
    """Everything a briefing of `deal` needs; only `view` may reach a writer.

    The company is the deal's account, never its name (deal names carry internal notes:
    the name is internal). The kind of risk is `risk`, else read from the deal's open
    warnings."""
    answers = answers_for(session, [deal.id])
    stakeholders = [
        StakeholderFacts(
            name=row.name,
            title=row.title,
            role=row.role,
            email=row.email,
            exposure=row.exposure,
            shareable=row.shareable,
            notes=row.notes,
        )
        for row in session.scalars(
            select(Stakeholder).where(Stakeholder.deal_id == deal.id).order_by(Stakeholder.id)
        )
    ]
    warnings = list(session.scalars(select(RiskWarning).where(RiskWarning.deal_id == deal.id)))
    if risk is None:
        risk = risk_kind((row.rule_id, row.severity) for row in warnings if row.resolved_at is None)
    view = build_shareable_view(
        playbook,
        account=deal.account,
        product=deal.product,
        shared_summary=deal.shared_summary,
        rep_name=rep.name,
        answers=answers,
        stakeholders=stakeholders,
        now=now,
        today=today,
        seller=seller,
        risk=risk,
    )
    other = [InternalText("the pause reason", deal.pause_reason)] if deal.pause_reason else []
    for warning in warnings:
        other += [InternalText("a risk warning", warning.reason)]
        other += [InternalText("a risk warning", warning.action)]
    other += [
        InternalText("a customer who has not agreed to be named", name)
        for name in (seller.unnamed_customers() if seller else [])
    ]
    internal = internal_values(
        playbook,
        description=deal.description,
        amount=deal.amount,
        answers=answers,
        stakeholders=stakeholders,
        deal_name=deal.name,
        other=other,
    )
    public = (deal.stage,) if deal.stage else ()
    return BriefingSources(view, internal, _champion(view, stakeholders), public)


def _champion(view: ShareableDeal, stakeholders: list[StakeholderFacts]) -> ChampionContact | None:
    """The champion, with an email only when their stakeholder record is shareable."""
    champion = view.champion
    if champion is None:
        return None
    wanted = champion.name.casefold()
    record = next(
        (
            row
            for row in stakeholders
            if row.shareable and split_person(row.name).name.casefold() == wanted
        ),
        None,
    )
    return ChampionContact(champion.name, record.email if record else None)


def briefing_of_owner(session: Session, briefing_id: int, person_id: int) -> Briefing | None:
    """The briefing, when `person_id` owns its deal now. Rights follow the deal: after a
    re-import gives the deal to another rep, its earlier owner (who may have asked for the
    briefing) can no longer read, edit, approve or discard it."""
    briefing = session.get(Briefing, briefing_id)
    if briefing is None:
        return None
    deal = session.get(Deal, briefing.deal_id)
    return briefing if deal is not None and deal.owner_id == person_id else None


def open_edit(session: Session, person_id: int) -> BriefingEdit | None:
    return session.get(BriefingEdit, person_id)


def start_edit(
    session: Session, person_id: int, briefing_id: int, section: str | None, now: dt.datetime
) -> BriefingEdit:
    """The rep's one edit in progress, replacing any earlier one."""
    edit = session.get(BriefingEdit, person_id)
    if edit is None:
        edit = BriefingEdit(person_id=person_id, briefing_id=briefing_id)
        session.add(edit)
    edit.briefing_id, edit.section, edit.started_at = briefing_id, section, now
    return edit


def end_edit(session: Session, person_id: int) -> None:
    edit = session.get(BriefingEdit, person_id)
    if edit is not None:
        session.delete(edit)


def awaiting_email(session: Session) -> list[Briefing]:
    """Approved briefings handed to the email outbox and not yet known delivered."""
    return list(
        session.scalars(
            select(Briefing)
            .where(Briefing.status == "approved", Briefing.delivered_via == "email")
            .order_by(Briefing.id)
        )
    )


def find(session: Session, briefing_id: int | None) -> Briefing | None:
    return session.get(Briefing, briefing_id) if briefing_id else None


def add(session: Session, briefing: Briefing) -> Briefing:
    """Store a new briefing; its id is known on return."""
    session.add(briefing)
    session.flush()
    return briefing


def latest_requested(session: Session, person_id: int) -> int | None:
    """The id of the newest briefing this person asked for."""
    return session.scalar(
        select(Briefing.id).where(Briefing.requested_by == person_id).order_by(Briefing.id.desc())
    )


def claim_approval(
    session: Session, briefing: Briefing, approver_id: int, now: dt.datetime
) -> bool:
    """Record the approval unless another click or process got there first."""
    claimed = session.execute(
        update(Briefing)
        .where(Briefing.id == briefing.id, Briefing.status == "draft")
        .values(status="approved", approved_by=approver_id, approved_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(briefing)
    return True


def suggestion_candidates(session: Session) -> list[Deal]:
    """Open, owned deals with a champion answer, never suggested and never briefed (a
    discarded briefing does not count)."""
    suggested = select(BriefingSuggestion.deal_id)
    briefed = select(Briefing.deal_id).where(Briefing.status != "discarded")
    with_champion = select(Answer.deal_id).where(Answer.field == "champion")
    return list(
        session.scalars(
            select(Deal).where(
                Deal.status == "open",
                Deal.owner_id.is_not(None),
                Deal.id.in_(with_champion),
                Deal.id.not_in(suggested),
                Deal.id.not_in(briefed),
            )
        )
    )


def claim_suggestions(session: Session, due: list[Deal], now: dt.datetime) -> set[int]:
    """Record a suggestion for each deal (once per deal, whichever process asks first);
    returns the ids of the deals this call claimed."""
    rows = [{"deal_id": deal.id, "person_id": deal.owner_id, "suggested_at": now} for deal in due]
    return set(insert_ignoring_conflicts(session, BriefingSuggestion, rows, ["deal_id"]))
