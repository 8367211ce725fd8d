"""Which deal an activity belongs to: by CRM id, else by deal name, else by account.

By id: the deal with that crm_id (a Salesforce 18-character id also finds the deal
imported with its 15-character form, and the other way round). By deal name or account:
the candidates are narrowed to the owner's deals when the row names a known owner and
they have some; then an account links only to an open deal (a name may link to a closed
one), and among several the one most recently active (last activity, else stage entry,
else creation) wins. Whatever can't be linked gets a reason saying what to fix.

The deals table is read once (ids, names, accounts, owners: a few dozen bytes a deal),
so memory grows with the number of deals, never with the size of the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.importers.activity_rows import DealLink
from storage.importers.people import PeopleIndex
from storage.importers.values import fold
from storage.models import Deal, Person

_SALESFORCE_SHORT = 15
_SALESFORCE_LONG = 18


@dataclass(frozen=True, slots=True)
class _Candidate:
    id: int
    owner_id: int | None
    open: bool
    active_on: dt.date


@dataclass(frozen=True, slots=True)
class Linked:
    """The deal found (or None), how it was found, and why not when it wasn't."""

    deal_id: int | None
    how: str
    reason: str = ""


class DealLinker:
    """Finds deals for activity rows from an in-memory index of the deals table."""

    def __init__(self, session: Session) -> None:
        self._by_crm: dict[str, int] = {}
        self._by_short: dict[str, int] = {}
        self._by_name: dict[str, list[_Candidate]] = {}
        self._by_account: dict[str, list[_Candidate]] = {}
        self._people: PeopleIndex[int] = PeopleIndex()
        for person_id, name, email in session.execute(
            select(Person.id, Person.name, Person.email).order_by(Person.id)
        ):
            self._people.add(name, email, person_id)
        rows = session.execute(
            select(
                Deal.id, Deal.crm_id, Deal.name, Deal.account, Deal.owner_id, Deal.status,
                Deal.last_activity_on, Deal.stage_entered_on, Deal.created_on,
            )
        )  # fmt: skip
        for deal_id, crm_id, name, account, owner_id, status, last, entered, created in rows:
            self._by_crm[crm_id] = deal_id
            if len(crm_id) == _SALESFORCE_LONG:
                self._by_short.setdefault(crm_id[:_SALESFORCE_SHORT], deal_id)
            active_on = last or entered or created or dt.date.min
            candidate = _Candidate(deal_id, owner_id, status == "open", active_on)
            self._by_name.setdefault(fold(name), []).append(candidate)
            if account:
                self._by_account.setdefault(fold(account), []).append(candidate)

    def link(self, link: DealLink) -> Linked:
        """The deal an activity row belongs to (see the module docstring)."""
        for ref in link.deal_ids:
            if (found := self._by_id(ref)) is not None:
                return Linked(found, "id")
        owner = self._people.find(link.owner, link.owner if "@" in (link.owner or "") else None)
        if link.deal_name and (named := self._by_name.get(fold(link.deal_name))):
            return Linked(_choose(named, owner, open_only=False), "name")
        if link.account and (deals := self._by_account.get(fold(link.account))):
            chosen = _choose(deals, owner, open_only=True)
            if chosen is not None:
                return Linked(chosen, "account")
            return Linked(None, "", f"account {link.account!r} has no open deal")
        return Linked(None, "", _not_found(link))

    def _by_id(self, ref: str) -> int | None:
        found = self._by_crm.get(ref)
        if found is None and len(ref) == _SALESFORCE_LONG:
            found = self._by_crm.get(ref[:_SALESFORCE_SHORT])
        if found is None and len(ref) == _SALESFORCE_SHORT:
            found = self._by_short.get(ref)
        return found


def _choose(candidates: list[_Candidate], owner: int | None, *, open_only: bool) -> int | None:
    owned = [c for c in candidates if owner is not None and c.owner_id == owner]
    pool = owned or candidates
    open_deals = [c for c in pool if c.open]
    if open_only and not open_deals:
        return None
    best = max(open_deals or pool, key=lambda c: (c.active_on, c.id))
    return best.id


def _not_found(link: DealLink) -> str:
    said = [
        *(f"no deal with id {ref!r}" for ref in link.deal_ids[:2]),
        *([f"no deal named {link.deal_name!r}"] if link.deal_name else []),
        *([f"no deal of account {link.account!r}"] if link.account else []),
    ]
    if not said:
        return "no deal id, deal name or account on the row"
    return "; ".join(said) + " (import those deals first, or fix the reference)"
