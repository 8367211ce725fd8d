"""The risk engine: explainable rules over a deal's facts, answers and its team's history."""

from coaching.risk.baseline import StageChange, TeamBaseline, WonDeal, learn_baselines
from coaching.risk.case import DateChange, DealCase
from coaching.risk.config import RiskConfig, RiskConfigError, load_risk_config
from coaching.risk.engine import Finding, RiskEngine
from coaching.risk.evidence import DealEvidence, Quote
from coaching.risk.history import AnswerHistory
from coaching.risk.rules import RULES
from coaching.risk.wording import Wording, WordingError, load_wording

__all__ = [
    "RULES",
    "AnswerHistory",
    "DateChange",
    "DealCase",
    "DealEvidence",
    "Finding",
    "Quote",
    "RiskConfig",
    "RiskConfigError",
    "RiskEngine",
    "StageChange",
    "TeamBaseline",
    "WonDeal",
    "Wording",
    "WordingError",
    "learn_baselines",
    "load_risk_config",
    "load_wording",
]
