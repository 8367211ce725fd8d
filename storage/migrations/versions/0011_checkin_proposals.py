"""check-in proposals: what a reply proposed, waiting for the rep's yes / no / edit

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkin_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposal", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkin_questions", schema=None) as batch_op:
        batch_op.drop_column("proposal")
