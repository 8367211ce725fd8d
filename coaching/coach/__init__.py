"""The coach you can talk to: deal and pipeline reviews, meeting prep, role-play,
managers' questions, and reading what people type. Pure and deterministic: every
reply is built from the deal's data (cited facts) and the YAML wording beside it.

Seams for work landing in parallel:
- the role table (roles.yaml) is meant to be the one the champion briefings use for
  stakeholder objections (issue 17); until then it lives here;
- findings come from the risk engine as they are; evidence quotes (issue 14) will
  reach a review through `Finding.reason`;
- a reply typed during a check-in reaches `respond` once the understanding layer
  (issue 12) classifies it as a question for the coach.
"""

from coaching.coach.attendees import Attendee, find_attendee
from coaching.coach.chart import PipelineChart, pipeline_chart, render_png
from coaching.coach.deal_view import DealView, build_view
from coaching.coach.grounding import check_reply, unsupported, yaml_texts
from coaching.coach.intents import Intent, IntentBook, default_intents, read_intent, suggest_command
from coaching.coach.kit import CoachKit, default_kit
from coaching.coach.managers import (
    CheckinStats,
    compose_one_on_one,
    compose_rep_summary,
    compose_slipping,
    digest_at_risk_lines,
)
from coaching.coach.prep import compose_prep
from coaching.coach.respond import Asker, CoachReply, Scope, respond
from coaching.coach.review import compose_pipeline, compose_review
from coaching.coach.roleplay import (
    RolePlayState,
    Scene,
    debrief,
    roleplay_turn,
    scene,
    start_roleplay,
)
from coaching.coach.text import Fact, Line, Reply, Section

__all__ = [
    "Asker",
    "Attendee",
    "CheckinStats",
    "CoachKit",
    "CoachReply",
    "DealView",
    "Fact",
    "Intent",
    "IntentBook",
    "Line",
    "PipelineChart",
    "Reply",
    "RolePlayState",
    "Scene",
    "Scope",
    "Section",
    "build_view",
    "check_reply",
    "compose_one_on_one",
    "compose_pipeline",
    "compose_prep",
    "compose_rep_summary",
    "compose_review",
    "compose_slipping",
    "debrief",
    "default_intents",
    "default_kit",
    "digest_at_risk_lines",
    "find_attendee",
    "pipeline_chart",
    "read_intent",
    "render_png",
    "respond",
    "roleplay_turn",
    "scene",
    "start_roleplay",
    "suggest_command",
    "unsupported",
    "yaml_texts",
]
