"""create poster search index and bookmarks

The full-text index of ``posters.search_text`` is each database's own (posters/gallery/search.py):

- SQLite: an FTS5 table ``poster_search`` with external content (``posters``, rowid = the
  poster's id), kept in step by triggers on ``posters``. A later migration that makes
  SQLite rebuild ``posters`` (batch mode "recreate") drops the triggers with the old table
  and must create them again (``SQLITE_TRIGGERS`` here) and rebuild the index.
- PostgreSQL: a stored generated column ``search_vector`` (``to_tsvector('simple',
  search_text)``) with a GIN index. Stored, because a plain expression index is left
  unused by the planner on a gallery this size, and recomputing the vector of 1,000
  250-word abstracts per statement cost ~160 ms (measured; see docs/PERFORMANCE.md).

Both are outside the models (``conference.db.base.unmanaged_names``).

Revision ID: 0009_poster_search
Revises: 0008_create_posters
Create Date: 2026-12-07 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import conference.db.types

revision: str = "0009_poster_search"
down_revision: str | None = "0008_create_posters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The text is already normalised (lower-case, accent-free words): the tokenizer only splits
# on the spaces, and must not fold anything PostgreSQL's ``simple`` parser would not.
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE poster_search USING fts5("
    "search_text, content='posters', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')"
)
SQLITE_TRIGGERS = {
    "posters_search_insert": (
        "CREATE TRIGGER posters_search_insert AFTER INSERT ON posters BEGIN "
        "INSERT INTO poster_search(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "posters_search_delete": (
        "CREATE TRIGGER posters_search_delete AFTER DELETE ON posters BEGIN "
        "INSERT INTO poster_search(poster_search, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "posters_search_update": (
        "CREATE TRIGGER posters_search_update AFTER UPDATE OF search_text ON posters BEGIN "
        "INSERT INTO poster_search(poster_search, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO poster_search(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}
POSTGRES_COLUMN = (
    "ALTER TABLE posters ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
)
POSTGRES_INDEX = "CREATE INDEX ix_posters_search_vector ON posters USING gin (search_vector)"


def upgrade() -> None:
    op.create_table(
        "poster_bookmarks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("created_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_bookmarks_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_poster_bookmarks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poster_bookmarks")),
        sa.UniqueConstraint("user_id", "poster_id", name=op.f("uq_poster_bookmarks_user_id")),
    )
    with op.batch_alter_table("poster_bookmarks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_poster_bookmarks_poster_id"), ["poster_id"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_CREATE)
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
        # Posters written before this revision.
        op.execute("INSERT INTO poster_search(poster_search) VALUES ('rebuild')")
    else:
        op.execute(POSTGRES_COLUMN)
        op.execute(POSTGRES_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS poster_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_posters_search_vector")
        op.execute("ALTER TABLE posters DROP COLUMN IF EXISTS search_vector")

    with op.batch_alter_table("poster_bookmarks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poster_bookmarks_poster_id"))

    op.drop_table("poster_bookmarks")
