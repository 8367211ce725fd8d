"""slack: workspace installations, OAuth states, channels the bot posts in

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.String(length=50), nullable=False),
        sa.Column("team_id", sa.String(length=50), nullable=False),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("app_id", sa.String(length=50), nullable=True),
        sa.Column("bot_token", sa.String(length=300), nullable=False),
        sa.Column("bot_id", sa.String(length=50), nullable=True),
        sa.Column("bot_user_id", sa.String(length=50), nullable=True),
        sa.Column("bot_scopes", sa.Text(), nullable=False),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_by", sa.String(length=50), nullable=True),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_installations")),
        sa.UniqueConstraint(
            "enterprise_id",
            "team_id",
            name=op.f("uq_slack_installations_enterprise_id_team_id"),
        ),
    )
    op.create_table(
        "slack_oauth_states",
        sa.Column("state", sa.String(length=100), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_slack_oauth_states")),
    )
    op.create_table(
        "slack_channels",
        sa.Column("channel_id", sa.String(length=50), nullable=False),
        sa.Column("team_id", sa.String(length=50), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_slack_channels")),
    )


def downgrade() -> None:
    op.drop_table("slack_channels")
    op.drop_table("slack_oauth_states")
    op.drop_table("slack_installations")
