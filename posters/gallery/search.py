"""Full-text search of posters: SQLite's FTS5 and PostgreSQL's text search, same answers.

``Poster.search_text`` holds the poster's normalised words (``posters.content``: title,
abstract, authors, affiliations, keywords; lower-case, accent-free, split on anything not
a letter or digit). A query is cut into words the same way, so "IL-1β" searches for the
words "il" and "1β" on both databases, and "Müller" finds "Muller".

Every word must be found (AND). The last word also matches as a prefix, as in a
search-as-you-type box: "interfer" finds "interferon", "stat" finds "stat1" and "stat3";
the earlier words match whole words only ("il 6" does not find "il 10").

The user's text never reaches SQL: it becomes a list of letter-and-digit words, each
quoted for the engine's query syntax, and the whole expression is a bound parameter.

- SQLite: ``poster_search MATCH '"il" "1β"*'`` on the FTS5 table migration 0009 made
  (external content, rowid = poster id).
- PostgreSQL: ``search_vector @@ to_tsquery('simple', $1)`` with ``'il' & '1β':*``, where
  ``search_vector`` is the stored ``to_tsvector('simple', search_text)`` with a GIN index.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, TextClause, bindparam, column, select, table, text

from posters import content
from posters.models import SEARCH_TABLE, SEARCH_VECTOR, Poster

# A query longer than this is refused by the API (422) and cut by the gallery page.
MAX_QUERY_LENGTH = 200
# Words past this many are dropped: the answer does not get narrower in a useful way.
MAX_QUERY_WORDS = 24

_fts = table(SEARCH_TABLE, column("rowid"))


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
        condition = text(f"{SEARCH_TABLE} MATCH :fts_query").bindparams(
            bindparam("fts_query", fts5_expression(words))
        )
        return Poster.id.in_(select(_fts.c.rowid).where(condition))
    return text(
        f"posters.{SEARCH_VECTOR} @@ to_tsquery('simple'::regconfig, :ts_query)"
    ).bindparams(bindparam("ts_query", tsquery_expression(words)))
