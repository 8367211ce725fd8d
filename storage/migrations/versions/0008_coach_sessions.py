"""coach sessions (a role-play in progress, one per person)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coach_sessions",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('role_play')", name=op.f("ck_coach_sessions_kind")),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_coach_sessions_deal_id_deals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_coach_sessions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_coach_sessions")),
    )
    with op.batch_alter_table("coach_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coach_sessions_deal_id"), ["deal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("coach_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coach_sessions_deal_id"))
    op.drop_table("coach_sessions")
