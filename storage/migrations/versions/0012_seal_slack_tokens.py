"""seal slack tokens: bot tokens stored in plain text are sealed with DEALCOACH_TOKEN_KEY

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

import os
from collections.abc import Callable

import sqlalchemy as sa
from alembic import context, op

from storage.sealing import TokenSealer, is_sealed

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TOKENS = sa.table("slack_installations", sa.column("id", sa.Integer), sa.column("bot_token"))


def _sealer() -> TokenSealer:
    key = context.config.attributes.get("token_key") or os.environ.get("DEALCOACH_TOKEN_KEY")
    return TokenSealer(key or None)


def _rewrite(change: Callable[[str], str], wanted: Callable[[str], bool]) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(TOKENS.c.id, TOKENS.c.bot_token)).all()
    todo = [(row.id, row.bot_token) for row in rows if wanted(row.bot_token)]
    for row_id, token in todo:
        connection.execute(
            TOKENS.update().where(TOKENS.c.id == row_id).values(bot_token=change(token))
        )


def upgrade() -> None:
    _rewrite(_sealer().seal, lambda token: not is_sealed(token))


def downgrade() -> None:
    _rewrite(_sealer().unseal, is_sealed)
