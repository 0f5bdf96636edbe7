"""Alembic environment. Used by ``app.db.upgrade_to_head`` and by ``alembic upgrade head``.

From the command line give the database as ``alembic -x db=PATH_OR_URL upgrade head``
or with ``CENTREDESK_DB``.
"""

from __future__ import annotations

import os

from alembic import context

from app.db import create_db_engine, database_url
from app.fts import is_search_index_table
from app.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    x_args = context.get_x_argument(as_dictionary=True)
    explicit = x_args.get("db") or os.environ.get("CENTREDESK_DB")
    if explicit:
        return database_url(explicit)
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("no database given: use 'alembic -x db=PATH upgrade head' or CENTREDESK_DB")
    return url


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Autogenerate and ``alembic check`` leave the full-text index alone: it is made with
    raw SQL in 0007 and is not a model (``app.fts``)."""
    return not (type_ == "table" and is_search_index_table(name))


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_db_engine(_url())
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True, include_name=include_name)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
