"""Property-based tests of the CRM importer: good rows import, bad rows are reported with
their line number, past --max-rejects nothing is written, nothing crashes."""

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from storage.db import Database
from storage.importers.deal_import import DealImportOptions, TooManyRejects, import_deals
from storage.importers.errors import ImportAborted
from storage.models import Deal

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
HEADER = ["account", "opportunity_id", "sales_agent", "deal_stage", "product", "close_date",
          "close_value", "created_on"]  # fmt: skip
GOOD_DATES = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 1, 1)).map(str)
BAD_DATES = st.sampled_from(["2017-13-01", "yesterday-ish", "31/31/2017", "2017-02-30"])
GOOD_AMOUNTS = st.integers(min_value=0, max_value=10**7).map(lambda n: f"{n}.0")
BAD_AMOUNTS = st.sampled_from(["abc", "1,2,3", "-5", "12..5"])
# Any text but NUL: a NUL byte means a mis-encoded file, which is refused as a whole
# (test_any_bytes_either_import_or_abort_cleanly covers that side).
CELL_NOISE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)


@st.composite
def rows(draw):
    """A crm-sample-shaped row, and whether it must be rejected."""
    bad_date = draw(st.booleans()) and draw(st.booleans())
    bad_amount = not bad_date and draw(st.booleans()) and draw(st.booleans())
    row = [
        draw(CELL_NOISE),
        "",  # the id is filled in by the test, unique per row
        draw(st.sampled_from(["Ana Diaz", "Bo Chen", "Cy Park"])),
        draw(st.sampled_from(["Won", "Lost", "In_Progress"])),
        draw(st.sampled_from(["GTXPro", "MGRPFS", ""])),
        draw(BAD_DATES if bad_date else GOOD_DATES),
        draw(BAD_AMOUNTS if bad_amount else GOOD_AMOUNTS),
        draw(GOOD_DATES),
    ]
    return row, bad_date or bad_amount


@pytest.fixture(scope="module")
def template(sqlite_template: Path) -> Path:
    return sqlite_template


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.lists(rows(), min_size=1, max_size=25))
def test_good_rows_import_and_bad_rows_are_named_by_line(template: Path, data) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "deals.csv"
        database_path = Path(directory) / "db.sqlite3"
        database_path.write_bytes(template.read_bytes())
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # "\r\n" line ends, as Excel and Salesforce write them
        writer.writerow(HEADER)
        expected_bad = set()
        for number, (row, bad) in enumerate(data):
            row[1] = f"ID{number:04d}"
            writer.writerow(row)
            if bad:
                expected_bad.add(number)
        path.write_bytes(buffer.getvalue().encode())
        database = Database(f"sqlite:///{database_path}")
        too_many = len(expected_bad) * 100 > 10 * len(data)  # the default --max-rejects 10%
        try:
            report = import_deals(database, path, DealImportOptions(), now=NOW)
        except TooManyRejects as refused:
            assert too_many, "refused under the limit"
            report = refused.report
        except ImportAborted:
            pytest.fail("a readable file was refused")
        else:
            assert not too_many, "imported past the limit"
        lines = _physical_lines(buffer.getvalue())
        rejected = {issue.line for issue in report.rejections}
        assert rejected == {lines[number] for number in expected_bad}
        with database.transaction() as session:
            stored = session.scalar(select(func.count()).select_from(Deal))
        assert stored == (0 if too_many else len(data) - len(expected_bad))
        assert report.inserted == len(data) - len(expected_bad)
        database.dispose()


def _physical_lines(text: str) -> list[int]:
    """The line each data row starts on (quoted cells may span lines)."""
    starts, line = [], 2
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    for _ in reader:
        starts.append(line)
        line = reader.line_num + 1
    return starts


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=400))
def test_any_bytes_either_import_or_abort_cleanly(template: Path, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "deals.csv"
        path.write_bytes(content)
        database_path = Path(directory) / "db.sqlite3"
        database_path.write_bytes(template.read_bytes())
        database = Database(f"sqlite:///{database_path}")
        try:
            report = import_deals(database, path, DealImportOptions(), now=NOW)
        except ImportAborted as aborted:
            assert str(aborted)
            with database.transaction() as session:
                assert session.scalar(select(func.count()).select_from(Deal)) == 0
        else:
            with database.transaction() as session:
                assert session.scalar(select(func.count()).select_from(Deal)) == report.inserted
        database.dispose()
