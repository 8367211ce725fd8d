"""The managers' side of the bot, built from settings: the risk scan, the weekly
digests, their commands and buttons, and the scheduler ticks that drive them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.engine.feature import Command, Feature, Tick
from bot.infra.services import Context
from bot.managers.commands import ManagerCommands
from bot.managers.digests import Digests, DigestSchedule
from bot.managers.risk_scan import AlertPolicy, RiskScan
from bot.managers.team_schedule import TeamSchedule
from coaching.risk import RiskEngine, load_risk_config, load_wording
from coaching.schedule import parse_time


@dataclass
class ManagerDesk:
    scan: RiskScan
    digests: Digests
    commands: ManagerCommands
    team: TeamSchedule
    scan_every: dt.timedelta
    tick_every: dt.timedelta

    def feature(self) -> Feature:
        """The manager commands, the warning buttons, the scan and digest ticks (the
        scan on its own interval; digests are looked for at every tick)."""
        commands = self.commands
        return Feature(
            name="managers",
            commands=(
                Command(("warnings",), commands.warnings, help="help_warnings", audience="manager"),
                Command(("digest",), commands.digest, help="help_digest", audience="manager"),
                Command(("feedback",), commands.feedback),
                Command(("team",), self.team.team, help="help_team", audience="manager"),
            ),
            actions={"warning_feedback": commands.feedback_action},
            ticks=(
                Tick("risk_scan", self.scan_every, self.scan.run),
                Tick("digests", self.tick_every, self.digests.run_due),
            ),
            parts=(self, self.scan, self.digests),
        )


def build_manager_desk(ctx: Context) -> ManagerDesk:
    """Everything managers get, from the settings (a bad rules file fails here)."""
    services = ctx.services
    settings = services.settings
    engine = RiskEngine(
        load_risk_config(settings.risk_rules_path), load_wording(), services.playbook
    )
    digests = Digests(
        services.database,
        services.playbook,
        engine.wording,
        DigestSchedule(settings.digest_day, parse_time(settings.digest_time)),
        ctx.recipients,
    )
    policy = AlertPolicy(settings.alert_budget, settings.alert_budget_week)
    return ManagerDesk(
        scan=RiskScan(services.database, engine, policy, ctx.recipients),
        digests=digests,
        commands=ManagerCommands(digests, engine.wording),
        team=TeamSchedule(settings.checkin_rules),
        scan_every=dt.timedelta(minutes=settings.risk_scan_minutes),
        tick_every=settings.tick_every,
    )
