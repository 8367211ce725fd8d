"""briefings: edits in progress and once-per-deal suggestions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "briefing_suggestions",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("suggested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_briefing_suggestions_deal_id_deals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_briefing_suggestions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deal_id", name=op.f("pk_briefing_suggestions")),
    )
    op.create_table(
        "briefing_edits",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefings.id"],
            name=op.f("fk_briefing_edits_briefing_id_briefings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_briefing_edits_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_briefing_edits")),
    )
    with op.batch_alter_table("briefing_edits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_briefing_edits_briefing_id"), ["briefing_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("briefing_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefing_edits_briefing_id"))
    op.drop_table("briefing_edits")
    op.drop_table("briefing_suggestions")
