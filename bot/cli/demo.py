"""`dealcoach demo`: a simulated week of check-ins (bot/cli/demo_week.py), printed."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from bot.cli.common import settings_or_exit


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    days: Annotated[int, typer.Option(min=1, max=28, help="How many days to simulate.")] = 7,
) -> None:
    """Simulate a week of check-ins on the demo pipeline and print what happened."""
    from bot.cli.demo_week import run_demo

    settings_or_exit()
    logging.getLogger().setLevel(logging.WARNING)
    run_demo(sys.stdout, days)
