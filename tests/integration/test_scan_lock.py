"""Several processes: the risk scan takes a try-lock and skips while another holds it,
instead of queueing behind it and scanning everything again."""

import datetime as dt

from bot.bootstrap import App
from bot.managers.risk_scan import ScanReport
from storage import risk


def test_a_scan_skips_while_another_session_scans_and_runs_after(app: App) -> None:
    database = app.services.database
    scan = app.tick("risk_scan")
    later = app.services.clock.now() + dt.timedelta(days=3)
    with risk.scan_lock(database) as first:
        assert first
        with risk.scan_lock(database) as second:
            assert not second  # one holder at a time, even within one process
        skipped = scan.run(later)
    assert skipped == ScanReport(skipped=1)
    done = scan.run(later)
    assert done.skipped == 0 and done.raised >= 1
    with risk.scan_lock(database) as again:
        assert again  # released after the scan
