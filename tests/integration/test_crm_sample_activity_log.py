"""The synthetic activity log of the crm-sample imports, links and yields signals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from manager_support import import_crm_sample

from storage.db import Database
from storage.importers.activity_import import ActivityImportOptions, import_activities
from testkit.activity_log import write_activity_log

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


@pytest.mark.slow
def test_a_slice_of_the_log_links_to_the_shifted_deals(
    database: Database, crm_sample: Path, tmp_path: Path
) -> None:
    import_crm_sample(database, crm_sample, NOW)
    path = tmp_path / "activities.csv"

    log = write_activity_log(path, sample=crm_sample, today=NOW.date(), max_rows=3000)
    report = import_activities(database, path, ActivityImportOptions(), now=NOW)

    assert log.rows == report.rows == 3000
    assert report.mapping.preset.name == "salesforce"
    assert len(report.rejections) == len(report.unlinked) == 0
    assert report.saved.inserted == 3000
    assert report.linked_by["id"] > report.linked_by["account"] > 0
    assert report.directions["buyer"] > report.directions["rep"] > 0
    for kind in ("follow_up_unanswered", "fear_of_change", "budget_blocked", "competitor"):
        assert report.signals[kind] > 0, kind
