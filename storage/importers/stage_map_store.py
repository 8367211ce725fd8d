"""The stage map a team gave once, kept for every later import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.importers.stage_placement import StageRule
from storage.models import StageMapping


def stored_stage_rules(session: Session) -> list[StageRule]:
    """Every stage map entry saved by earlier imports."""
    return [
        StageRule(row.pipeline, row.stage, row.target)
        for row in session.scalars(select(StageMapping).order_by(StageMapping.id))
    ]


def save_stage_rules(session: Session, rules: Sequence[StageRule], now: dt.datetime) -> int:
    """Add or change these entries (one per pipeline and stage); returns how many changed."""
    saved = {
        (row.pipeline_key, row.stage_key): row for row in session.scalars(select(StageMapping))
    }
    changed = 0
    for rule in rules:
        pipeline_key, stage_key = rule.key
        row = saved.get((pipeline_key, stage_key))
        if row is None:
            row = StageMapping(pipeline_key=pipeline_key, stage_key=stage_key)
            session.add(row)
            saved[(pipeline_key, stage_key)] = row
        elif (row.pipeline, row.stage, row.target) == (rule.pipeline, rule.stage, rule.target):
            continue
        row.pipeline, row.stage, row.target, row.updated_at = (
            rule.pipeline, rule.stage, rule.target, now,
        )  # fmt: skip
        changed += 1
    session.flush()
    return changed
