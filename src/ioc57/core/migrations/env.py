"""Alembic environment: the engine comes from ioc57 (``config.attributes['engine']``)."""

from alembic import context

config = context.config
engine = config.attributes["engine"]
target_metadata = config.attributes.get("metadata")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
