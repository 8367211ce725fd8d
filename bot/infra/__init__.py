"""What every feature and transport stands on: outbox delivery, the scheduler's ticks,
the inbox spool, the HTTP server, inbound request checks, where messages go, local time."""
