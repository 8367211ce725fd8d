"""Run every rule on a deal and word what it found: explainable findings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from coaching.playbook import Playbook
from coaching.risk.baseline import TeamBaseline
from coaching.risk.case import DealCase, RuleContext, raised
from coaching.risk.config import RiskConfig
from coaching.risk.evidence import Quote
from coaching.risk.rules import RULES
from coaching.risk.wording import Wording


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule a deal crossed: why, in one line citing the facts, and what to do."""

    deal_id: int
    rule: str
    severity: int
    reason: str
    action: str
    signals: tuple[str, ...]
    facts: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[Quote, ...] = ()
    """The quotes (date, source, words) the finding rests on, oldest first."""

    @property
    def details(self) -> dict[str, Any]:
        """What a warning keeps beside its text (JSON): signals, facts and quoted evidence."""
        return {
            "signals": list(self.signals),
            "facts": self.facts,
            "evidence": [quote.as_dict() for quote in self.evidence],
        }


class RiskEngine:
    """The configured rules, their wording and the playbook's stage groups."""

    def __init__(self, config: RiskConfig, wording: Wording, playbook: Playbook) -> None:
        missing = sorted(set(RULES) - set(wording.rules))
        if missing:
            raise ValueError(f"the risk wording has no text for rule {missing[0]!r}")
        self.config = config
        self.wording = wording
        self.playbook = playbook

    def assess(self, case: DealCase, baselines: Mapping[int, TeamBaseline]) -> list[Finding]:
        """Every rule this deal crosses now; a large deal's one level more severe."""
        ctx = RuleContext(
            case=case,
            group=self.playbook.group_of(case.deal.stage, case.deal.stage_group),
            config=self.config,
            wording=self.wording,
            playbook=self.playbook,
            baselines=baselines,
        )
        context = {"owner": case.owner, "stage": case.deal.stage, "deal": case.deal.name}
        findings = []
        for rule_id, rule in RULES.items():
            hit = rule(ctx)
            if hit is None:
                continue
            facts = {key: value for signal in hit.signals for key, value in signal.facts.items()}
            severity = hit.severity
            if ctx.large:
                severity = raised(severity)
                facts["large_deal"] = True
            findings.append(
                Finding(
                    deal_id=case.deal.id,
                    rule=rule_id,
                    severity=severity,
                    reason=self.wording.reason(rule_id, hit.signals, context),
                    action=self.wording.action(rule_id, context),
                    signals=tuple(signal.id for signal in hit.signals),
                    facts=facts,
                    evidence=tuple(dict.fromkeys(hit.evidence)),
                )
            )
        return findings
