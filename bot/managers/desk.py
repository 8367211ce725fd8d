"""The managers' side of the bot, built from settings: the risk scan, the weekly
digests, their commands and buttons, and the scheduler ticks that drive them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.bootstrap import Services
from bot.engine.engine import ConversationEngine
from bot.infra.recipients import default_transport, enabled_platforms
from bot.infra.scheduler import Tick
from bot.managers.commands import ManagerCommands
from bot.managers.digests import Digests, DigestSchedule
from bot.managers.risk_scan import AlertPolicy, RiskScan
from coaching.risk import RiskEngine, load_risk_config, load_wording
from coaching.schedule import parse_time


@dataclass
class ManagerDesk:
    scan: RiskScan
    digests: Digests
    commands: ManagerCommands
    scan_every: dt.timedelta

    def install(self, engine: ConversationEngine) -> None:
        """Register the manager commands and the warning buttons with the dialog engine."""
        engine.commands.update(
            {
                "warnings": self.commands.warnings,
                "digest": self.commands.digest,
                "feedback": self.commands.feedback,
            }
        )
        engine.actions["warning_feedback"] = self.commands.feedback_action

    def ticks(self, every: dt.timedelta) -> list[Tick]:
        """The risk scan on its own interval; digests checked at every tick."""
        return [
            Tick("risk_scan", self.scan_every, self.scan.run),
            Tick("digests", every, self.digests.run_due),
        ]


def build_manager_desk(services: Services) -> ManagerDesk:
    """Everything managers get, from the settings (a bad rules file fails here)."""
    settings = services.settings
    engine = RiskEngine(
        load_risk_config(settings.risk_rules_path), load_wording(), services.playbook
    )
    transport, platforms = default_transport(settings), enabled_platforms(settings)
    digests = Digests(
        services.database,
        services.playbook,
        engine.wording,
        DigestSchedule(settings.digest_day, parse_time(settings.digest_time)),
        default_transport=transport,
        platforms=platforms,
    )
    policy = AlertPolicy(settings.alert_budget, transport, platforms)
    return ManagerDesk(
        scan=RiskScan(services.database, engine, policy),
        digests=digests,
        commands=ManagerCommands(digests, engine.wording),
        scan_every=dt.timedelta(minutes=settings.risk_scan_minutes),
    )
