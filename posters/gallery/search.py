"""Full-text search of posters: SQLite's FTS5 and PostgreSQL's text search, same answers.

``Poster.search_text`` holds the poster's normalised words (``posters.content``: title,
abstract, authors, affiliations, keywords; lower-case, accent-free, split on anything not
a letter or digit). A query is cut into words the same way, so "IL-1β" searches for the
words "il" and "1β" on both databases, and "Müller" finds "Muller".

Every word must be found (AND). The last word also matches as a prefix, as in a
search-as-you-type box: "interfer" finds "interferon", "stat" finds "stat1" and "stat3";
the earlier words match whole words only ("il 6" does not find "il 10").

A gallery page asks for the matching posters once (:func:`matching_ids`) and narrows its
counts and its page to those ids (:func:`among`): matching is the dear part (PostgreSQL
tests each row's stored vector, 5-7 ms for 1,000 posters), and a page counts four ways.

The user's text never reaches SQL: it becomes a list of letter-and-digit words, each
quoted for the engine's query syntax, and the whole expression is a bound parameter.

- SQLite: ``poster_search MATCH '"il" "1β"*'`` on the FTS5 table migration 0009 made
  (external content, rowid = poster id).
- PostgreSQL: ``search_vector @@ to_tsquery('simple', $1)`` with ``'il' & '1β':*``, where
  ``search_vector`` is the stored ``to_tsvector('simple', search_text)`` with a GIN index.
"""

from __future__ import annotations

import json

from sqlalchemy import ColumnElement, Integer, TextClause, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from posters import content
from posters.models import SEARCH_VECTOR, Poster, PosterState

# A query longer than this is refused by the API (422) and cut by the gallery page.
MAX_QUERY_LENGTH = 200
# Words past this many are dropped: the answer does not get narrower in a useful way.
MAX_QUERY_WORDS = 24


def query_words(query: str) -> list[str]:
    """The words a query searches for (none: the query does not filter)."""
    return content.normalise_words(query[:MAX_QUERY_LENGTH]).split()[:MAX_QUERY_WORDS]


def fts5_expression(words: list[str]) -> str:
    """An FTS5 query: each word a quoted string, the last one a prefix."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery_expression(words: list[str]) -> str:
    """A ``to_tsquery`` text: each word a quoted lexeme, ANDed, the last one a prefix."""
    quoted = ["'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in words]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def matches(dialect: str, words: list[str]) -> ColumnElement[bool] | TextClause:
    """A condition on ``Poster`` true for the posters containing every word (non-empty)."""
    if not words:
        raise ValueError("no words to search for")
    if dialect == "sqlite":
        # Unary plus: SQLite reads the meeting and state from the gallery's covering index
        # and tests each id against the matches, rather than reading every matching row.
        return text(
            "+posters.id IN (SELECT rowid FROM poster_search WHERE poster_search MATCH :fts_query)"
        ).bindparams(bindparam("fts_query", fts5_expression(words)))
    return text(
        f"posters.{SEARCH_VECTOR} @@ to_tsquery('simple'::regconfig, :ts_query)"
    ).bindparams(bindparam("ts_query", tsquery_expression(words)))


async def matching_ids(db: AsyncSession, *, meeting_id: int, words: list[str]) -> list[int]:
    """The ids of the meeting's published posters containing every word (non-empty)."""
    dialect = db.get_bind().dialect.name
    found = await db.scalars(
        select(Poster.id).where(
            Poster.meeting_id == meeting_id,
            Poster.state == PosterState.published,
            matches(dialect, words),
        )
    )
    return list(found)


def among(dialect: str, ids: list[int]) -> TextClause:
    """A condition on ``Poster`` true for the posters whose id is in ``ids``.

    One bound parameter whatever the number of ids (a JSON array on SQLite, an array on
    PostgreSQL), so the statement's text, and the compiled statement cached for it, is the
    same for every search.
    """
    if dialect == "sqlite":
        # The unary plus keeps SQLite from looking each id up in the table (its rows are
        # long): it reads the gallery's covering index and tests each id against the set.
        return text("+posters.id IN (SELECT value FROM json_each(:poster_ids))").bindparams(
            bindparam("poster_ids", json.dumps(ids))
        )
    return text("posters.id = ANY(:poster_ids)").bindparams(
        bindparam("poster_ids", ids, type_=ARRAY(Integer))
    )
