"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from qa_app.extensions import db as _db


def test_migrations_match_the_models(app, db):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = compare_metadata(context, _db.metadata)
    assert differences == []
