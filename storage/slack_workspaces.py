"""Slack workspaces that installed the app, OAuth states, and the channels the bot posts in.

Plain rows and dicts: the Slack SDK's own types stay in bot/slack/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import SlackChannel, SlackInstallation, SlackOAuthState
from storage.upsert import insert_ignoring_conflicts


def save_installation(session: Session, values: dict[str, Any]) -> None:
    """Insert or refresh one workspace's installation (keyed by enterprise and team)."""
    key = {
        "enterprise_id": values.get("enterprise_id") or "",
        "team_id": values.get("team_id") or "",
    }
    row = session.scalar(
        select(SlackInstallation).where(
            SlackInstallation.enterprise_id == key["enterprise_id"],
            SlackInstallation.team_id == key["team_id"],
        )
    )
    if row is None:
        row = SlackInstallation(**key)
        session.add(row)
    for name, value in values.items():
        if name not in key:
            setattr(row, name, value)


def find_installation(
    session: Session, enterprise_id: str | None, team_id: str | None, *, org_wide: bool = False
) -> SlackInstallation | None:
    """A workspace's installation; for an org-wide install, the enterprise's."""
    query = select(SlackInstallation)
    if org_wide or not team_id:
        query = query.where(
            SlackInstallation.enterprise_id == (enterprise_id or ""),
            SlackInstallation.team_id == "",
        )
    else:
        query = query.where(SlackInstallation.team_id == team_id)
    return session.scalars(query.order_by(SlackInstallation.id.desc())).first()


def delete_installation(session: Session, enterprise_id: str | None, team_id: str | None) -> int:
    """Delete a workspace's installation (or, with no team, the org-wide one); the count."""
    if team_id:
        where = SlackInstallation.team_id == team_id
    else:
        where = (SlackInstallation.enterprise_id == (enterprise_id or "")) & (
            SlackInstallation.team_id == ""
        )
    result = session.execute(delete(SlackInstallation).where(where))
    return int(getattr(result, "rowcount", 0) or 0)


def installed_teams(session: Session, allowed: frozenset[str] | None = None) -> list[str]:
    """Installed workspaces, oldest first; with `allowed`, only those whose team or
    Enterprise Grid org is in it."""
    query = select(SlackInstallation.team_id).where(SlackInstallation.team_id != "")
    if allowed is not None:
        query = query.where(
            SlackInstallation.team_id.in_(allowed) | SlackInstallation.enterprise_id.in_(allowed)
        )
    return list(session.scalars(query.order_by(SlackInstallation.id)))


def sealed_tokens(session: Session) -> list[str]:
    """Every stored bot token, as stored (sealed)."""
    return list(session.scalars(select(SlackInstallation.bot_token)))


def issue_state(session: Session, state: str, expires_at: dt.datetime) -> None:
    session.add(SlackOAuthState(state=state, expires_at=expires_at))


def consume_state(session: Session, state: str, now: dt.datetime) -> bool:
    """True once for a state that was issued and has not expired (an atomic delete)."""
    expires_at = session.scalar(
        delete(SlackOAuthState)
        .where(SlackOAuthState.state == state)
        .returning(SlackOAuthState.expires_at)
    )
    session.execute(delete(SlackOAuthState).where(SlackOAuthState.expires_at < now))
    return expires_at is not None and expires_at >= now


def remember_channel(session: Session, channel_id: str, team_id: str, now: dt.datetime) -> None:
    """Note which workspace a channel belongs to, so posts to it use that workspace's token."""
    row = {"channel_id": channel_id, "team_id": team_id, "seen_at": now}
    insert_ignoring_conflicts(session, SlackChannel, [row], ["channel_id"])


def team_of_channel(session: Session, channel_id: str) -> str | None:
    return session.scalar(select(SlackChannel.team_id).where(SlackChannel.channel_id == channel_id))
