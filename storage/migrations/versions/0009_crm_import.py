"""crm exports: pipeline, forecast, next step, stage placement, stage entry known, missing

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

STATUSES = "status IN ('open', 'won', 'lost', 'missing')"
OLD_STATUSES = "status IN ('open', 'won', 'lost')"


def upgrade() -> None:
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "stage_entered_known", sa.Boolean(), server_default=sa.text("true"), nullable=False
            )
        )
        batch_op.add_column(sa.Column("stage_group", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("pipeline", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("forecast_category", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("probability", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_step", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("next_step_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("deal_type", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("lead_source", sa.String(length=100), nullable=True))
        batch_op.drop_constraint(op.f("ck_deals_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_deals_status"), sa.text(STATUSES))
        batch_op.create_check_constraint(
            op.f("ck_deals_stage_group"),
            sa.text("stage_group IS NULL OR stage_group IN ('early', 'middle', 'late')"),
        )
        batch_op.create_check_constraint(
            op.f("ck_deals_probability"),
            sa.text("probability IS NULL OR (probability BETWEEN 0 AND 100)"),
        )
    _mark_invented_stage_entries()
    op.create_table(
        "stage_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pipeline_key", sa.String(length=100), nullable=False),
        sa.Column("stage_key", sa.String(length=100), nullable=False),
        sa.Column("pipeline", sa.String(length=100), nullable=False),
        sa.Column("stage", sa.String(length=100), nullable=False),
        sa.Column("target", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "target IN ('early', 'middle', 'late', 'won', 'lost')",
            name=op.f("ck_stage_mappings_target"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_mappings")),
        sa.UniqueConstraint(
            "pipeline_key", "stage_key", name=op.f("uq_stage_mappings_pipeline_key_stage_key")
        ),
    )


def _mark_invented_stage_entries() -> None:
    """Earlier imports set a missing stage entry to the created date: not a fact. Those
    deals are in their stage at least since their last write, as far as we know."""
    written = "date(updated_at)" if op.get_bind().dialect.name == "sqlite" else "updated_at::date"
    op.execute(
        "UPDATE deals SET stage_entered_known = false, "
        f"stage_entered_on = {written} "
        "WHERE stage_entered_on IS NULL OR stage_entered_on = created_on"
    )


def downgrade() -> None:
    op.drop_table("stage_mappings")
    op.execute("UPDATE deals SET status = 'lost' WHERE status = 'missing'")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_deals_probability"), type_="check")
        batch_op.drop_constraint(op.f("ck_deals_stage_group"), type_="check")
        batch_op.drop_constraint(op.f("ck_deals_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_deals_status"), sa.text(OLD_STATUSES))
        batch_op.drop_column("lead_source")
        batch_op.drop_column("deal_type")
        batch_op.drop_column("next_step_on")
        batch_op.drop_column("next_step")
        batch_op.drop_column("probability")
        batch_op.drop_column("forecast_category")
        batch_op.drop_column("pipeline")
        batch_op.drop_column("stage_group")
        batch_op.drop_column("stage_entered_known")
