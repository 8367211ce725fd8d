"""The console transport: a terminal chat as one rep (the embedded default)."""
