"""Alembic environment: run by `dealcoach db upgrade` and by `storage.migrate`."""

from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine

from storage.models import Base, UTCDateTime

config = context.config


def render_item(kind: str, obj: Any, _autogen_context: Any) -> str | bool:
    """Migrations spell our column types in plain SQLAlchemy, not via storage.models."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        migrate(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        migrate(connection)
    engine.dispose()


main()
