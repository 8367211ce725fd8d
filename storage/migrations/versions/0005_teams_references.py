"""teams conversation references

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("tenant", sa.String(length=100), nullable=False),
        sa.Column("team_id", sa.String(length=400), nullable=True),
        sa.Column("user_id", sa.String(length=400), nullable=True),
        sa.Column("aad_object_id", sa.String(length=100), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column(
            "reference",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('personal', 'channel', 'groupChat')",
            name=op.f("ck_conversation_references_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_conversation_references_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_references")),
        sa.UniqueConstraint(
            "conversation_id", name=op.f("uq_conversation_references_conversation_id")
        ),
    )
    with op.batch_alter_table("conversation_references", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_references_person", ["person_id", "kind"], unique=False
        )
        batch_op.create_index(
            "ix_conversation_references_user", ["aad_object_id", "user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation_references", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_references_user")
        batch_op.drop_index("ix_conversation_references_person")
    op.drop_table("conversation_references")
