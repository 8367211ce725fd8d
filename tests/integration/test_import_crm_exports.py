"""Real CRM exports as Salesforce and HubSpot write them, into real databases.

The fixtures in tests/fixtures/crm are written byte for byte as those exports come:
UTF-8 with a BOM, CRLF, day-first dates, decimal commas, currencies in the amount,
custom pipelines and stages, HubSpot's "Date entered" columns, Salesforce's report
footer and Grand Totals row, and a Salesforce report without its id column.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.importers.deal_import import (
    DealImportOptions,
    DealImportReport,
    TooManyRejects,
    import_deals,
)
from storage.importers.errors import ImportAborted
from storage.models import Deal, DealEvent, Person, StageMapping

FIXTURES = Path(__file__).parents[1] / "fixtures" / "crm"
HUBSPOT = FIXTURES / "hubspot_deals_eu.csv"
SALESFORCE = FIXTURES / "salesforce_opportunities_eu.csv"
NO_ID = FIXTURES / "salesforce_report_no_id.csv"
NOW = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()


def run(
    database: Database, paths: Path | list[Path], now: dt.datetime = NOW, **options: object
) -> DealImportReport:
    return import_deals(database, paths, DealImportOptions(**options), now=now)  # type: ignore[arg-type]


def deals(database: Database) -> dict[str, Deal]:
    with database.transaction() as session:
        return {deal.crm_id: deal for deal in session.scalars(select(Deal))}


def events(database: Database) -> list[tuple[str, str, str | None, str | None]]:
    with database.transaction() as session:
        rows = session.execute(
            select(Deal.name, DealEvent.kind, DealEvent.old_value, DealEvent.new_value)
            .join(Deal, Deal.id == DealEvent.deal_id)
            .order_by(Deal.name, DealEvent.kind)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_day_first_hubspot_export_with_custom_pipelines(database: Database) -> None:
    report = run(database, HUBSPOT)

    (file,) = report.files
    assert (file.preset.name, file.rows, report.inserted, report.rejections.count) == (
        "hubspot",
        15,
        15,
        0,
    )
    assert file.reading == (
        "day/month/year (as line 2, Close Date '19/12/2026 00:00')",
        "decimal comma (as line 2, Amount '48000,00')",
        "probabilities as fractions of 1",
    )
    stored = deals(database)
    commit = stored["3001"]
    assert (commit.amount, commit.currency, commit.close_date) == (
        Decimal("48000.00"),
        "EUR",
        dt.date(2026, 12, 19),
    )
    assert (commit.stage_entered_on, commit.stage_entered_known) == (dt.date(2026, 8, 4), True)
    assert (TODAY - commit.stage_entered_on).days == 122
    assert (commit.pipeline, commit.forecast_category, commit.probability) == (
        "Enterprise",
        "Commit",
        90,
    )
    assert (commit.stage_group, commit.deal_type) == ("late", "newbusiness")
    assert commit.next_step == "Vertrag an Rechtsabteilung"
    # only ambiguous dates on its own row: read as the file reads (4 December, not 12 April)
    assert stored["3002"].close_date == dt.date(2026, 12, 4)
    assert stored["3002"].created_on == dt.date(2026, 2, 3)
    assert (stored["3003"].amount, stored["3005"].currency) == (Decimal("15500.50"), "GBP")
    assert stored["3013"].stage_entered_on == dt.date(2026, 11, 20)
    assert stored["3006"].status == "won" and stored["3008"].status == "lost"
    unknown = {(stage.stage, stage.pipeline): stage for stage in report.unknown_stages}
    assert {key: (stage.rows, dict(stage.groups)) for key, stage in unknown.items()} == {
        ("Evaluation", "Enterprise"): (4, {"middle": 4}),
        ("Demo Completed", "SMB"): (3, {"middle": 3}),
        ("Verbal Commit", "Enterprise"): (2, {"late": 2}),
        ("Proposal Sent", "SMB"): (2, {"middle": 2}),
    }
    assert unknown[("Evaluation", "Enterprise")].places == [
        "line 3",
        "line 4",
        "line 13",
        "line 16",
    ]
    hygiene = report.hygiene
    assert hygiene.findings["won_without_amount"].places == ["line 8"]
    assert hygiene.findings["no_account"].places == ["line 10"]
    assert [(name.name, name.places) for name in hygiene.shared_names] == [
        ("Müller GmbH - Plattform", ("line 2", "line 16"))
    ]


def test_the_same_export_read_month_first_is_refused_and_nothing_is_written(
    database: Database, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    with pytest.raises(TooManyRejects) as caught:
        run(database, HUBSPOT, day_first=False, rejects_path=rejects)

    assert str(caught.value) == (
        "11 of 15 rows were rejected, more than --max-rejects 10% allows; fix the rows or "
        "allow more (e.g. --max-rejects 50%)"
    )
    first = caught.value.report.rejections.first[0]
    assert first.line == 2
    assert "'19/12/2026 00:00' is not a real date (read as month/day/year)" in first.reason
    assert deals(database) == {}
    with rejects.open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert len(written) == 12 and written[0][:3] == ["line", "reason", "Record ID"]


def test_a_stage_map_places_custom_stages_and_is_remembered(database: Database) -> None:
    report = run(
        database,
        HUBSPOT,
        stage_map=(
            "Enterprise: Evaluation=late",
            "Evaluation=early",
            "Demo Completed=middle",
            "Proposal Sent=late",
            "Verbal Commit=late",
        ),
    )
    assert (report.unknown_stages, report.stage_rules_saved) == ([], 5)
    groups = {crm_id: deal.stage_group for crm_id, deal in deals(database).items()}
    assert (groups["3002"], groups["3004"], groups["3005"], groups["3010"]) == (
        "late",
        "middle",
        "late",
        "late",
    )

    again = run(database, HUBSPOT)

    assert again.unknown_stages == [] and again.stage_rules_saved == 0
    assert again.unchanged == 15
    with database.transaction() as session:
        saved = session.execute(
            select(StageMapping.pipeline, StageMapping.stage, StageMapping.target).order_by(
                StageMapping.id
            )
        ).all()
    assert [tuple(row) for row in saved] == [
        ("Enterprise", "Evaluation", "late"),
        ("", "Evaluation", "early"),
        ("", "Demo Completed", "middle"),
        ("", "Proposal Sent", "late"),
        ("", "Verbal Commit", "late"),
    ]


def test_a_stage_map_file_and_closing_stages(database: Database, tmp_path: Path) -> None:
    stage_map = write(
        tmp_path,
        "stages.yaml",
        "stages:\n  Signed: won\n  Dropped: lost\npipelines:\n  SMB:\n    Demo Completed: early\n",
    )
    source = write(
        tmp_path,
        "deals.csv",
        "Record ID,Deal Name,Pipeline,Deal Stage\n"
        "1,Acme,SMB,Signed\n2,Beta,SMB,Dropped\n3,Gamma,SMB,Demo Completed\n",
    )
    report = run(database, source, stage_map_file=stage_map)

    assert report.unknown_stages == []
    stored = deals(database)
    assert [stored[key].status for key in "123"] == ["won", "lost", "open"]
    assert stored["3"].stage_group == "early"

    bad = write(tmp_path, "bad.yaml", "stages:\n  Signed: done\n")
    with pytest.raises(ImportAborted, match="'done' is not one of early, middle, late, won, lost"):
        run(database, source, stage_map_file=bad)


def test_a_salesforce_report_as_exported_in_europe(database: Database) -> None:
    with database.transaction() as session:
        manager = Person(name="Mia Boss", email="mia@example.com", role="manager")
        session.add(manager)
        session.flush()
        session.add_all(
            [
                Person(name="Ann L.", email="Ann.Lee@Example.com", manager_id=manager.id),
                Person(name="Bob Stone", email=None, manager_id=manager.id),
            ]
        )

    report = run(database, SALESFORCE)

    (file,) = report.files
    assert (file.preset.name, file.encoding, file.rows, file.total_rows, file.footer_lines) == (
        "salesforce",
        "utf-8-sig",
        10,
        1,
        2,
    )
    assert report.rows == 9 and report.inserted == 9 and report.rejections.count == 0
    assert file.reading[:2] == (
        "day/month/year (as line 2, Close Date '18/12/2026')",
        "decimal comma (as line 2, Amount 'EUR 15.000,00')",
    )
    assert file.ignored_columns == ("Fiscal Period",)
    stored = deals(database)
    verbal = stored["0065g00000AbCd1AAA"]
    assert verbal.name == "Betasoloin - GTX Plus Pro 50 seats"
    assert (verbal.amount, verbal.currency, verbal.probability) == (Decimal("15000.00"), "EUR", 90)
    assert (verbal.forecast_category, verbal.stage_group) == ("Commit", "late")
    assert (verbal.next_step, verbal.deal_type, verbal.lead_source) == (
        "Legal review on 10/12",
        "New Business",
        "Partner",
    )
    assert (verbal.stage_entered_on, verbal.stage_entered_known) == (dt.date(2026, 10, 6), True)
    initech = stored["0065g00000AbCd4AAA"]
    assert (initech.amount, initech.currency, initech.stage_group) == (
        Decimal("8250.50"),
        "GBP",
        "middle",
    )
    assert stored["0065g00000AbCd6AAA"].stage_group == "early"  # Evaluation at 20%
    with database.transaction() as session:
        joined = select(Deal.crm_id, Person.name).join(Person, Person.id == Deal.owner_id)
        owners = {row.crm_id: row.name for row in session.execute(joined)}
    assert owners["0065g00000AbCd1AAA"] == "Ann L."  # by email, whatever the name says
    assert owners["0065g00000AbCd4AAA"] == "Bob Stone"  # by name
    assert report.people_created == ["Cara Diaz", "Dee Park"]
    assert report.unplaced_owners == [("Cara Diaz", 2), ("Dee Park", 1)]
    assert {stage.stage for stage in report.unknown_stages} == {
        "Verbal Commit",
        "Proposal Sent",
        "Demo Completed",
        "Evaluation",
    }
    hygiene = report.hygiene.findings
    assert hygiene["close_before_create"].places == ["line 9"]
    assert hygiene["no_account"].places == ["line 7"]
    assert hygiene["won_without_amount"].places == ["line 8"]
    assert [(name.name, name.places) for name in report.hygiene.shared_names] == [
        ("Globex - Renewal 2027", ("line 3", "line 4"))
    ]


def test_a_report_without_ids_matches_by_a_stable_key(database: Database, tmp_path: Path) -> None:
    first = run(database, NO_ID)

    (file,) = first.files
    assert file.key_columns == (
        "Opportunity Name",
        "Account Name",
        "Created Date",
        "Opportunity Owner",
    )
    assert (first.inserted, file.footer_lines, file.reading[0]) == (
        5,
        3,
        "month/day/year (as line 2, Close Date '12/18/2026')",
    )
    assert all(crm_id.startswith("key:") for crm_id in deals(database))
    assert run(database, NO_ID).unchanged == 5

    renamed = write(
        tmp_path,
        "renamed.csv",
        NO_ID.read_text(encoding="utf-8-sig").replace("Acme - 50 seats", "Acme - 55 seats"),
    )
    report = run(database, renamed, full_snapshot=True)

    assert (report.inserted, report.unchanged, report.closed_missing) == (1, 4, 1)
    by_name = {deal.name: deal for deal in deals(database).values()}
    assert by_name["Acme - 50 seats"].status == "missing"
    assert by_name["Acme - 50 seats"].closed_on == TODAY
    assert by_name["Acme - 55 seats"].status == "open"
    assert events(database) == [("Acme - 50 seats", "status", "open", "missing")]


def test_a_full_snapshot_closes_only_open_deals_no_row_lists(
    database: Database, tmp_path: Path
) -> None:
    header = "Opportunity ID,Stage,Amount\n"
    run(
        database,
        write(
            tmp_path, "a.csv", header + "1,Proposal,1\n2,Proposal,2\n3,Closed Won,3\n4,Proposal,4\n"
        ),
    )
    later = write(tmp_path, "b.csv", header + "1,Proposal,1\n4,Proposal,lots\n")

    report = run(database, later, full_snapshot=True, max_rejects="1")

    assert (report.closed_missing, report.rejections.count) == (1, 1)
    statuses = {crm_id: deal.status for crm_id, deal in deals(database).items()}
    assert statuses == {"1": "open", "2": "missing", "3": "won", "4": "open"}

    back = run(database, write(tmp_path, "c.csv", header + "2,Negotiation,2\n"))
    assert deals(database)["2"].status == "open" and deals(database)["2"].closed_on is None
    assert back.updated == 1


def test_files_imported_together_share_one_date_offset_and_write_no_history(
    database: Database, tmp_path: Path
) -> None:
    header = "Opportunity ID,Stage,Close Date,Created Date\n"
    older = write(tmp_path, "older.csv", header + "A,Proposal,6/30/2017,1/2/2017\n")
    newer = write(tmp_path, "newer.csv", header + "B,Proposal,12/31/2017,11/2/2017\n")

    report = run(database, [older, newer], shift_dates_to_today=True)

    offset = TODAY - dt.date(2017, 12, 31)
    assert report.date_shift_days == offset.days
    stored = deals(database)
    assert stored["A"].close_date == dt.date(2017, 6, 30) + offset
    assert stored["B"].close_date == TODAY

    later = run(database, [older, newer], now=NOW + dt.timedelta(days=9), shift_dates_to_today=True)
    assert later.updated == 2 and later.events == 0
    assert events(database) == []


def test_rejects_limits_by_count_and_share(database: Database, tmp_path: Path) -> None:
    rows = "".join(f"{n},Proposal,{'bad' if n <= 2 else n}\n" for n in range(1, 11))
    source = write(tmp_path, "deals.csv", "Opportunity ID,Stage,Amount\n" + rows)

    with pytest.raises(
        TooManyRejects, match="2 of 10 rows were rejected, more than --max-rejects 10%"
    ):
        run(database, source)
    with pytest.raises(TooManyRejects, match="more than --max-rejects 1 allows"):
        run(database, source, max_rejects="1")
    assert deals(database) == {}
    assert run(database, source, max_rejects="20%").inserted == 8
    with pytest.raises(ImportAborted, match="--max-rejects 'many'"):
        run(database, source, max_rejects="many")


def test_a_date_format_and_an_ambiguous_file(database: Database, tmp_path: Path) -> None:
    source = write(tmp_path, "d.csv", "Opportunity ID,Stage,Close Date\n1,Proposal,05/06/2027\n")

    with pytest.raises(ImportAborted, match="say which with --day-first or --month-first"):
        run(database, source)
    run(database, source, date_format="%d/%m/%Y")
    assert deals(database)["1"].close_date == dt.date(2027, 6, 5)
    run(database, source, day_first=False)
    assert deals(database)["1"].close_date == dt.date(2027, 5, 6)


def test_one_of_several_files_that_cannot_be_used_is_named(
    database: Database, tmp_path: Path
) -> None:
    good = write(tmp_path, "good.csv", "Opportunity ID,Stage\n1,Proposal\n")
    bad = write(tmp_path, "bad.csv", "Opportunity ID,Amount\n1,5\n")
    with pytest.raises(ImportAborted, match=r"bad.csv: the file has no column for stage"):
        run(database, [good, bad])
    assert deals(database) == {}


def test_duplicates_across_files_name_the_file(database: Database, tmp_path: Path) -> None:
    first = write(tmp_path, "one.csv", "Opportunity ID,Stage\n1,Proposal\n2,Proposal\n")
    second = write(tmp_path, "two.csv", "Opportunity ID,Stage\n3,Proposal\n1,Proposal\n")
    report = run(database, [first, second], max_rejects="1")
    assert [(issue.where, issue.reason) for issue in report.rejections] == [
        ("two.csv line 3", "crm_id '1' already appears on one.csv line 2")
    ]


def test_open_deals_without_any_date_are_named(database: Database, tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "d.csv",
        "Opportunity ID,Stage,Close Date,Created Date\n"
        "1,Proposal,,\n2,Proposal,2027-01-01,\n3,Closed Won,,2026-01-01\n",
    )
    report = run(database, source, max_rejects="0")
    assert report.hygiene.findings["open_without_dates"].places == ["line 2"]
    assert report.hygiene.findings["closed_without_close_date"].places == ["line 4"]
