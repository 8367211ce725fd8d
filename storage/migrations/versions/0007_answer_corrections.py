"""answer corrections: a superseded answer, and the answer that added a stakeholder

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_answers_superseded_by_answers"),
            "answers",
            ["superseded_by"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("added_by_answer", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_stakeholders_added_by_answer_answers"),
            "answers",
            ["added_by_answer"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_stakeholders_added_by_answer_answers"), type_="foreignkey"
        )
        batch_op.drop_column("added_by_answer")
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_answers_superseded_by_answers"), type_="foreignkey")
        batch_op.drop_column("superseded_by")
        batch_op.drop_column("superseded_at")
