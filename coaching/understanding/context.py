"""What a reply is read against: the question asked and what the bot knows around it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from coaching.dates import FiscalCalendar
from coaching.playbook import FieldSpec, Playbook


@dataclass(frozen=True, slots=True)
class KnownPerson:
    """One of the deal's known people (a stakeholder)."""

    name: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class PreviousAnswer:
    """The last answer the rep gave in this check-in (what "I meant ..." corrects)."""

    field: str
    value: str


@dataclass(frozen=True)
class ReplyContext:
    """The question a reply answers and what it is read against.

    `field`: the playbook field asked. `today`: the rep's local date. `people` and
    `competitors`: the deal's known stakeholders and competitors, matched fuzzily.
    `previous`: the rep's last answer in this check-in, for corrections. `day_first`:
    the rep's date habit (True: 03/04 is 3 April; None: unknown, then 03/04 is asked
    again). `commands`: the command words the caller routes ("stop", "deals");
    `text_commands`: those of them that take free text after them ("snooze 2h").
    """

    playbook: Playbook
    field: str
    today: dt.date
    people: tuple[KnownPerson, ...] = ()
    competitors: tuple[str, ...] = ()
    previous: PreviousAnswer | None = None
    day_first: bool | None = None
    commands: frozenset[str] = dataclasses.field(default_factory=frozenset)
    text_commands: frozenset[str] = dataclasses.field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self.playbook.field(self.field)  # a clear KeyError for a field the playbook lacks

    @cached_property
    def spec(self) -> FieldSpec:
        return self.playbook.field(self.field)

    @cached_property
    def fiscal(self) -> FiscalCalendar:
        return FiscalCalendar(self.playbook.fiscal_year_starts)

    def asking(self, field_key: str) -> ReplyContext:
        """The same context, asking another field (for corrections and extra facts)."""
        return ReplyContext(
            self.playbook,
            field_key,
            self.today,
            self.people,
            self.competitors,
            self.previous,
            self.day_first,
            self.commands,
            self.text_commands,
        )
