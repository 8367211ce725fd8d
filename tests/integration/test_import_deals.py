"""Deal imports into real databases: the crm-sample export, re-imports and malformed files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.db import Database
from storage.importers.deal_import import DealImportOptions, DealImportReport, import_deals
from storage.importers.errors import ImportAborted
from storage.models import Deal, DealEvent, Person

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()
SALESFORCE_HEADER = (
    "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date,Opportunity Owner,"
    "Owner Email,Created Date,Last Stage Change Date,Loss Reason,Description,Next Step\n"
)


def run(database: Database, path: Path, **options: object) -> DealImportReport:
    return import_deals(database, path, DealImportOptions(**options), now=NOW)  # type: ignore[arg-type]


def write(tmp_path: Path, text: str, name: str = "deals.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def deals(database: Database) -> dict[str, Deal]:
    with database.transaction() as session:
        return {deal.crm_id: deal for deal in session.scalars(select(Deal))}


def events(database: Database) -> list[tuple[str, str, str | None, str | None, str]]:
    with database.transaction() as session:
        rows = session.execute(
            select(Deal.crm_id, DealEvent.kind, DealEvent.old_value, DealEvent.new_value,
                   DealEvent.source)
            .join(Deal, Deal.id == DealEvent.deal_id)
            .order_by(Deal.crm_id, DealEvent.kind)
        )  # fmt: skip
        return [tuple(row) for row in rows]  # type: ignore[misc]


def people(database: Database) -> dict[str, Person]:
    with database.transaction() as session:
        return {person.name: person for person in session.scalars(select(Person))}


@pytest.mark.slow
def test_the_crm_sample_imports_every_row(database: Database, crm_sample: Path) -> None:
    report = run(database, crm_sample / "sales_pipeline.csv")

    (file,) = report.files
    assert file.preset.name == "crm-sample" and file.preset_detected
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (14277, 14277, 0, 0)
    assert report.rejections.count == 0
    unpriced = report.hygiene.findings["won_without_amount"]
    assert unpriced.count == 19
    assert unpriced.places[:3] == ["line 296", "line 722", "line 2866"]
    assert report.hygiene.findings["no_account"].count == 5393
    assert report.unknown_stages == []
    assert len(report.people_created) == 30
    assert len(report.unplaced_owners) == 30
    with database.transaction() as session:
        statuses = dict(
            session.execute(select(Deal.status, func.count()).group_by(Deal.status)).all()
        )
        assert statuses == {"won": 6438, "lost": 3493, "open": 4346}
        roles = session.execute(select(Person.role, func.count()).group_by(Person.role)).all()
        assert [tuple(row) for row in roles] == [("rep", 30)]
        assert session.scalar(select(func.count()).select_from(DealEvent)) == 0
        won = session.scalars(select(Deal).where(Deal.crm_id == "67HY0MW7")).one()
        assert won.name == "Sunnamplex · GTXBasic"
        assert (won.account, won.product, won.stage) == ("Sunnamplex", "GTXBasic", "Won")
        assert (won.amount, won.currency) == (Decimal("500.00"), "USD")
        assert won.close_date == won.closed_on == dt.date(2017, 5, 6)
        assert won.created_on == dt.date(2017, 4, 24)
        assert (won.stage_entered_on, won.stage_entered_known) == (TODAY, False)
        assert won.owner is not None and won.owner.name == "Donn Cantrell"
        assert won.description is None and won.shared_summary is None
        open_deal = session.scalars(select(Deal).where(Deal.crm_id == "MA82HVCI")).one()
        assert (open_deal.account, open_deal.close_date, open_deal.amount) == (None, None, None)
        assert (open_deal.status, open_deal.stage, open_deal.closed_on) == (
            "open",
            "In Progress",
            None,
        )
        assert open_deal.name == "GTXPro · MA82HVCI"
        unpriced = session.scalars(select(Deal).where(Deal.crm_id == "1TD4KJNB")).one()
        assert (unpriced.status, unpriced.amount) == ("won", None)


@pytest.mark.slow
def test_a_reimport_changes_nothing_and_a_changed_file_is_logged(
    database: Database, crm_sample: Path, tmp_path: Path
) -> None:
    run(database, crm_sample / "sales_pipeline.csv")
    again = run(database, crm_sample / "sales_pipeline.csv")

    assert (again.inserted, again.updated, again.unchanged, again.events) == (0, 0, 14277, 0)
    assert again.people_created == []
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Deal)) == 14277
        assert session.scalar(select(func.count()).select_from(Person)) == 30

    changed = write(
        tmp_path,
        "account,opportunity_id,sales_agent,deal_stage,product,close_date,close_value,created_on\n"
        ",MA82HVCI,James Ascencio,Won,GTXPro,2017-10-02,5100.0,2017-06-15\n"
        "Sunnamplex,67HY0MW7,Donn Cantrell,Won,GTXBasic,2017-05-20,500.0,2017-04-24\n"
        "Silis,R22O68FF,Niesha Huffines,Won,GTXBasic,2017-06-27,524.0,2017-03-21\n",
    )
    report = run(database, changed)

    assert (report.inserted, report.updated, report.unchanged) == (0, 2, 1)
    assert events(database) == [
        ("67HY0MW7", "close_date", "2017-05-06", "2017-05-20", "import"),
        ("MA82HVCI", "amount", None, "5100.00", "import"),
        ("MA82HVCI", "close_date", None, "2017-10-02", "import"),
        ("MA82HVCI", "stage", "In Progress", "Won", "import"),
        ("MA82HVCI", "status", "open", "won", "import"),
    ]
    stored = deals(database)
    assert stored["MA82HVCI"].stage_entered_on == TODAY
    assert stored["MA82HVCI"].closed_on == dt.date(2017, 10, 2)
    assert stored["67HY0MW7"].stage_entered_on == TODAY
    assert stored["67HY0MW7"].closed_on == dt.date(2017, 5, 20)


def test_changes_of_stage_owner_and_amount_become_deal_events(
    database: Database, tmp_path: Path
) -> None:
    first = write(
        tmp_path,
        SALESFORCE_HEADER
        + '006A,Acme expansion,Acme,Prospecting,"$10,000.00",6/30/2027,Ann Lee,ann@x.com,'
        "1/5/2027,1/20/2027,,candid notes,Call CFO\n"
        "006B,Beta renewal,Beta,Negotiation,5000,7/15/2027,Ann Lee,ann@x.com,1/6/2027,,,,\n"
        "006C,Gamma pilot,Gamma,Qualification,700,8/1/2027,Bob Ray,,1/7/2027,,,,\n",
        "first.csv",
    )
    second = write(
        tmp_path,
        SALESFORCE_HEADER
        + '006A,Acme expansion,Acme,Proposal,"$12,000.00",7/31/2027,Ann Lee,ann@x.com,'
        "1/5/2027,,,candid notes,Call CFO\n"
        "006B,Beta renewal,Beta,Closed Lost,5000,7/15/2027,Bob Ray,,1/6/2027,11/20/2026,"
        "Went with status quo,,\n"
        "006C,Gamma pilot,Gamma,Qualification,700,8/1/2027,bob ray,,1/7/2027,,,,\n",
        "second.csv",
    )
    assert run(database, first).inserted == 3
    stored = deals(database)
    assert (stored["006A"].stage_entered_on, stored["006A"].stage_entered_known) == (
        dt.date(2027, 1, 20),
        True,
    )
    assert (stored["006B"].stage_entered_on, stored["006B"].stage_entered_known) == (TODAY, False)
    assert stored["006A"].next_step == "Call CFO"

    report = run(database, second)

    assert (report.inserted, report.updated, report.unchanged) == (0, 2, 1)
    assert report.people_created == []
    who = people(database)
    ann, bob = str(who["Ann Lee"].id), str(who["Bob Ray"].id)
    assert events(database) == [
        ("006A", "amount", "10000.00", "12000.00", "import"),
        ("006A", "close_date", "2027-06-30", "2027-07-31", "import"),
        ("006A", "stage", "Prospecting", "Proposal", "import"),
        ("006B", "owner", ann, bob, "import"),
        ("006B", "stage", "Negotiation", "Closed Lost", "import"),
        ("006B", "status", "open", "lost", "import"),
    ]
    stored = deals(database)
    assert (stored["006A"].stage_entered_on, stored["006A"].stage_entered_known) == (TODAY, False)
    assert (stored["006B"].stage_entered_on, stored["006B"].stage_entered_known) == (
        dt.date(2026, 11, 20),
        True,
    )
    assert stored["006B"].loss_reason == "no_decision"
    assert stored["006B"].closed_on == dt.date(2027, 7, 15)
    assert stored["006A"].description == "candid notes"
    assert stored["006A"].shared_summary is None


def test_owners_match_by_email_then_name_and_unknown_ones_become_reps(
    database: Database, tmp_path: Path
) -> None:
    with database.transaction() as session:
        session.add_all(
            [
                Person(name="Ann Lee", email="Ann.Lee@Example.com", timezone="Europe/Berlin"),
                Person(name="Bob Ray", email=None, role="manager"),
            ]
        )
    path = write(
        tmp_path,
        "Opportunity ID,Stage,Opportunity Owner,Owner Email\n"
        "1,Prospecting,A. Lee,ann.lee@example.com\n"
        "2,Prospecting,BOB RAY,\n"
        "3,Prospecting,Cy Dee,cy@example.com\n"
        "4,Prospecting,cy dee,\n"
        "5,Prospecting,dee@example.com,\n"
        "6,Prospecting,,\n",
    )
    report = run(database, path, default_timezone="America/Chicago")

    assert report.people_created == ["Cy Dee", "dee@example.com"]
    who = people(database)
    assert (who["Cy Dee"].role, who["Cy Dee"].email, who["Cy Dee"].timezone) == (
        "rep",
        "cy@example.com",
        "America/Chicago",
    )
    owners = {crm_id: deal.owner_id for crm_id, deal in deals(database).items()}
    assert owners == {
        "1": who["Ann Lee"].id,
        "2": who["Bob Ray"].id,
        "3": who["Cy Dee"].id,
        "4": who["Cy Dee"].id,
        "5": who["dee@example.com"].id,
        "6": None,
    }


def test_a_file_without_a_column_leaves_that_field_alone(
    database: Database, tmp_path: Path
) -> None:
    run(database, write(tmp_path, "Opportunity ID,Stage,Amount\n1,Prospecting,900\n", "a.csv"))
    report = run(database, write(tmp_path, "Opportunity ID,Stage\n1,Prospecting\n", "b.csv"))

    assert report.unchanged == 1
    assert deals(database)["1"].amount == Decimal("900.00")


def test_the_shareable_summary_comes_only_from_an_explicit_map(
    database: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, SALESFORCE_HEADER + "1,Deal,Acme,Proposal,1,,,,,,,secret,Pilot in May\n")
    run(database, path, column_map=["Next Step=shared_summary"])

    deal = deals(database)["1"]
    assert (deal.description, deal.shared_summary) == ("secret", "Pilot in May")


def test_bad_rows_are_reported_by_line_while_good_rows_import(
    database: Database, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "Opportunity ID,Stage,Amount,Close Date,Description\n"
        '1,Prospecting,"1 234,50",2027-03-01,"first line\n'
        "second line, with a comma\n"
        'third line"\n'
        "2,Prospecting,lots,2027-03-01,\n"
        "3,Prospecting,100,31/31/2027,\n"
        ",Prospecting,100,2027-03-01,\n"
        "1,Closed Won,100,2027-03-01,\n"
        "6,,100,2027-03-01,\n"
        "7,Proposal,1 234,56,2027-03-01,\n"
        '8,Proposal,"1 234,56",03.04.2027,\n',
    )
    report = run(database, path, max_rejects="100%")

    assert [(issue.line, issue.reason) for issue in report.rejections] == [
        (5, "Amount: cannot read 'lots' as an amount (write it like 1234.50 or $1,234.50)"),
        (
            6,
            "Close Date: '31/31/2027' is not a real date (numeric dates are read as US "
            "month/day/year; for day-first files use --day-first)",
        ),
        (7, "Opportunity ID (the crm_id) is empty"),
        (8, "crm_id '1' already appears on line 2"),
        (9, "Stage (the stage) is empty"),
        (
            10,
            "the row has 6 values but the header has 5 columns (a value containing a comma or "
            "a quote that is not quoted?)",
        ),
    ]
    assert report.rejections.first[1].cells == ("3", "Prospecting", "100", "31/31/2027", "")
    stored = deals(database)
    assert sorted(stored) == ["1", "8"]
    assert stored["1"].amount == Decimal("1234.50")
    assert stored["1"].description == "first line\nsecond line, with a comma\nthird line"
    assert (stored["8"].amount, stored["8"].close_date) == (Decimal("1234.56"), dt.date(2027, 4, 3))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Opportunity Name,Amount\nAcme,100\n", "cannot tell which CRM exported this file"),
        ("Opportunity ID,Amount,Close Date\n1,100,2027-01-01\n", "no column for stage"),
        ("", "the file is empty"),
    ],
)
def test_an_unusable_file_writes_nothing(
    database: Database, tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(ImportAborted, match=message):
        run(database, write(tmp_path, content))
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Deal)) == 0
        assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_wrong_encoding_is_refused_until_named(database: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Opportunity ID,Stage,Account Name,Opportunity Owner\n"
        "1,Prospecting,Acme,Ann Lee\n"
        "2,Prospecting,Société Générale,Zoë Brandt\n",
        encoding="latin-1",
    )
    with pytest.raises(ImportAborted, match="line 3 has byte 0xE9") as caught:
        run(database, path)
    assert "--encoding latin-1" in str(caught.value)
    assert deals(database) == {}

    report = run(database, path, encoding="latin-1")

    assert report.inserted == 2
    assert deals(database)["2"].account == "Société Générale"
    assert "Zoë Brandt" in people(database)


def test_utf16_with_bom_imports(database: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Record ID\tDeal Name\tDeal Stage\tAmount\tClose Date\tDeal owner\tClosed Lost Reason\r\n"
        "901\tMüller GmbH\tclosedlost\t2500\t2027-02-01 10:00\tJo Park\tNo Decision\r\n"
        "902\tÅkesson AB\tdecisionmakerboughtin\t\t\tJo Park\t\r\n",
        encoding="utf-16",
    )
    report = run(database, path)

    (file,) = report.files
    assert (file.preset.name, file.encoding, report.inserted) == ("hubspot", "utf-16", 2)
    stored = deals(database)
    assert (stored["901"].name, stored["901"].stage, stored["901"].status) == (
        "Müller GmbH",
        "Closed Lost",
        "lost",
    )
    assert stored["901"].loss_reason == "no_decision"
    assert stored["902"].stage == "Decision Maker Bought-In"


def test_a_header_only_file_imports_nothing_without_error(
    database: Database, tmp_path: Path
) -> None:
    report = run(database, write(tmp_path, "Opportunity ID,Stage,Amount\n"))

    assert (report.rows, report.inserted, report.rejections.count) == (0, 0, 0)
    assert deals(database) == {}


def test_dates_can_be_shifted_so_the_newest_is_today(database: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "account,opportunity_id,sales_agent,deal_stage,product,close_date,close_value,created_on\n"
        "Acme,A,Ann,Won,GTXPro,2017-12-31,10,2017-12-01\n"
        "Beta,B,Ann,In_Progress,GTXPro,,,2017-11-30\n",
    )
    report = run(database, path, shift_dates_to_today=True)

    assert report.date_shift_days == (TODAY - dt.date(2017, 12, 31)).days
    stored = deals(database)
    assert stored["A"].close_date == stored["A"].closed_on == TODAY
    assert stored["A"].created_on == TODAY - dt.timedelta(days=30)
    assert stored["B"].created_on == TODAY - dt.timedelta(days=31)
    assert (stored["B"].stage_entered_on, stored["B"].stage_entered_known) == (TODAY, False)


def test_values_too_long_for_their_columns_are_rejected_on_every_backend(
    database: Database, tmp_path: Path
) -> None:
    path = write(
        tmp_path, f"Opportunity ID,Stage,Account Name\n1,Proposal,{'x' * 301}\n2,Proposal,ok\n"
    )
    report = run(database, path, max_rejects="1")

    assert [(issue.line, issue.reason) for issue in report.rejections] == [
        (2, "Account Name: 301 characters, the limit is 300")
    ]
    assert sorted(deals(database)) == ["2"]
