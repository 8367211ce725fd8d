"""Check-ins: the scheduled rounds, the question-by-question dialog, the rep's own
commands (deals, snooze, out of office, pause, schedule) and qualification edits."""
