"""A synthetic activity log for the crm-sample, written as a Salesforce activity report.

The crm-sample has deals but no activities. This writes, for each of its deals, the
calls, meetings, emails and notes a rep would have logged, following one story per deal
that a sales leader recognises: a healthy deal with a meeting booked; a buyer gone
silent while the rep keeps chasing; indecision (a third reference call, "walk before we
run"); a budget freeze; a competitor or an incumbent; a wavering champion; a deal run
through a partner; a deal with no next step. The notes use phrases of the signal
lexicon (coaching/evidence/lexicon.yaml), so the rules have words to quote.

Deterministic (seeded by the deal id), streamed row by row (the export is never held in
memory). With `today`, every date moves by the offset `import deals
--shift-dates-to-today` applies to the same sales_pipeline.csv, so activities line up
with the shifted deals. Most rows carry the opportunity id; one in ten of an open deal's
only the account, as activities logged on the account are. Never checked in: write it to a temporary
folder.

    python -m testkit.activity_log OUT.csv [--today 2026-12-03] [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from testkit.crm_sample import crm_sample_dir

HEADER = (
    "Activity ID", "Activity Type", "Subject", "Date/Time", "Status", "Assigned",
    "Opportunity ID", "Company / Account", "Contact", "Call Result",
    "Comments",
)  # fmt: skip
STORIES = (
    ("healthy", 34), ("silent", 20), ("indecision", 12), ("budget", 8), ("competitor", 8),
    ("incumbent", 5), ("wavering", 5), ("partner", 4), ("no_next_step", 4),
)  # fmt: skip
FIRST = ("Dana", "Lee", "Priya", "Sam", "Alex", "Maria", "Tom", "Noor", "Jan", "Ines", "Kofi")
LAST = ("Whit", "Park", "Raman", "Okafor", "Berg", "Costa", "Reyes", "Haddad", "Novak", "Lund")
OPEN_STAGES = {"In_Progress", "Prospecting", "Engaging"}
SUBJECTS = {"Meeting": "Meeting", "Call": "Call", "Email": "Email: Follow-up"}
RIVALS = ("Globex CRM", "Initech Sales Cloud", "Umbrella Suite")
GOOD_NOTES = (
    "Walked through the rollout plan; {contact} will present it to the steering committee.",
    "Agreed the success criteria with {contact}.",
    "Reviewed the proposal line by line with {contact}.",
    "Good workshop with the ops team, {contact} led it.",
)
STORY_NOTES = {
    "indecision": (
        "{contact} asked for a third reference call before going further.",
        "{contact}: we need to learn to walk before we run.",
        "{contact} is worried about the change for the team.",
        "They want what-if pricing again, with a smaller scope.",
    ),
    "budget": ("Budget frozen until Q2, {contact} says the board cut all new projects.",),
    "competitor": ("{contact} is also evaluating {rival}; they want a bake-off in two weeks.",),
    "incumbent": ("They run {rival} today (the incumbent) and are locked in until next summer.",),
    "wavering": (
        "{contact} is having second thoughts; not sure she can get it past her boss.",
        "Champion seems unsure since the reorganisation.",
    ),
    "partner": ("Everything goes through the partner; no direct access to the buyer.",),
}
CHASES = (
    "Following up on my last email about next steps.",
    "Left a voicemail for {contact}.",
    "Chased again, no reply.",
    "Still waiting to hear back on the proposal.",
)


@dataclass
class GeneratedLog:
    """What was written: rows, and deals per story."""

    rows: int = 0
    deals: int = 0
    stories: Counter[str] = field(default_factory=Counter)


def write_activity_log(
    path: Path,
    *,
    sample: Path | None = None,
    today: dt.date | None = None,
    max_rows: int | None = None,
    seed: int = 14,
) -> GeneratedLog:
    """Write the activity report for the crm-sample's deals (see the module docstring)."""
    pipeline = (sample or crm_sample_dir()) / "sales_pipeline.csv"
    newest = _newest_date(pipeline)
    shift = today - newest if today else dt.timedelta(0)
    log = GeneratedLog()
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(HEADER)
        for deal in _cycle(pipeline, again=max_rows is not None):
            chance = random.Random(f"{seed}:{deal['opportunity_id']}:{deal['round']}")
            story = chance.choices([s for s, _ in STORIES], [w for _, w in STORIES])[0]
            log.deals += 1
            log.stories[story] += 1
            for row in _deal_rows(deal, story, newest, chance):
                if max_rows is not None and log.rows >= max_rows:
                    return log
                writer.writerow(_shifted(row, shift))
                log.rows += 1
            if max_rows is not None and log.rows >= max_rows:
                return log
    return log


def _cycle(pipeline: Path, *, again: bool) -> Iterator[dict[str, str]]:
    """The deals once, or round and round (new activity ids) until enough rows are out."""
    rounds = 0
    while True:
        with pipeline.open(encoding="utf-8", newline="") as handle:
            for deal in csv.DictReader(handle):
                yield deal | {"round": str(rounds)}
        rounds += 1
        if not again:
            return


def _deal_rows(
    deal: dict[str, str], story: str, newest: dt.date, chance: random.Random
) -> Iterator[tuple[dt.datetime, list[str]]]:
    end = dt.date.fromisoformat(deal["close_date"]) if deal["close_date"] else newest
    start = (
        dt.date.fromisoformat(deal["created_on"])
        if deal["created_on"]
        else end - dt.timedelta(days=chance.randrange(20, 60))
    )
    open_deal = deal["deal_stage"] in OPEN_STAGES
    contact = f"{chance.choice(FIRST)} {chance.choice(LAST)}"
    rival = chance.choice(RIVALS)
    silent_for = chance.randrange(16, 45) if story == "silent" else 0
    buyer_until = end - dt.timedelta(days=silent_for)
    maker = _Maker(deal, contact, rival, chance)
    day = start + dt.timedelta(days=chance.randrange(0, 4))
    notes = list(STORY_NOTES.get(story, ()))
    while day <= buyer_until:
        if chance.random() < 0.5:
            yield maker.row("Meeting", day, "Completed", "", chance.choice(GOOD_NOTES))
        else:
            yield maker.row("Call", day, "Completed", "Connected", chance.choice(GOOD_NOTES))
        if notes and day >= start + (buyer_until - start) / 3:
            yield maker.row("Note", day, "Completed", "", notes.pop(0))
        if chance.random() < 0.4:
            yield maker.row("Email", day + dt.timedelta(days=1), "Completed", "", "Sent the recap.")
        day += dt.timedelta(days=chance.randrange(5, 12))
    for note in notes:
        yield maker.row("Note", buyer_until, "Completed", "", note)
    if story == "silent":
        chase = buyer_until + dt.timedelta(days=chance.randrange(3, 6))
        for text in CHASES:
            if chase > end:
                break
            kind, result = ("Call", "Left Voicemail") if "voicemail" in text else ("Email", "")
            yield maker.row(kind, chase, "Completed", result, text)
            chase += dt.timedelta(days=chance.randrange(3, 7))
    if open_deal and story in {"healthy", "competitor", "incumbent", "budget"}:
        ahead = end + dt.timedelta(days=chance.randrange(2, 15))
        yield maker.row("Meeting", ahead, "Scheduled", "", "Next: pricing review with the CFO.")


class _Maker:
    """Rows of one deal: ids, times, and the links a Salesforce report gives."""

    def __init__(
        self, deal: dict[str, str], contact: str, rival: str, chance: random.Random
    ) -> None:
        self.deal = deal
        self.contact = contact
        self.rival = rival
        self.chance = chance
        self.number = 0

    def row(
        self, kind: str, day: dt.date, status: str, result: str, text: str
    ) -> tuple[dt.datetime, list[str]]:
        self.number += 1
        deal = self.deal
        at = dt.datetime.combine(
            day, dt.time(self.chance.randrange(8, 18), 15 * self.chance.randrange(4))
        )
        open_deal = deal["deal_stage"] in OPEN_STAGES
        on_account = open_deal and bool(deal["account"]) and self.chance.random() < 0.1
        subject = {"Meeting": "Meeting", "Call": "Call", "Email": "Email: Follow-up"}.get(
            kind, "Note"
        )
        comments = text.format(contact=self.contact, rival=self.rival)
        ref = f"00T{deal['opportunity_id']}{deal['round']}{self.number:04d}"
        return at, [
            ref,
            kind,
            subject,
            "",
            status,
            deal["sales_agent"],
            "" if on_account else deal["opportunity_id"],
            deal["account"],
            self.contact,
            result,
            comments,
        ]


def _shifted(row: tuple[dt.datetime, list[str]], shift: dt.timedelta) -> list[str]:
    at, cells = row
    cells[3] = (at + shift).strftime("%m/%d/%Y %I:%M %p")
    return cells


def _newest_date(pipeline: Path) -> dt.date:
    """The newest close or created date: what --shift-dates-to-today moves to today."""
    newest = dt.date.min
    with pipeline.open(encoding="utf-8", newline="") as handle:
        for deal in csv.DictReader(handle):
            for name in ("close_date", "created_on"):
                if deal[name]:
                    newest = max(newest, dt.date.fromisoformat(deal[name]))
    return newest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--today", type=dt.date.fromisoformat)
    parser.add_argument("--rows", type=int)
    args = parser.parse_args()
    log = write_activity_log(args.out, today=args.today, max_rows=args.rows)
    print(f"{log.rows:,} activities for {log.deals:,} deals: {dict(log.stories.most_common())}")


if __name__ == "__main__":
    main()
