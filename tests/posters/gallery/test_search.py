"""Full-text search: the same posters for the same query on SQLite (FTS5) and PostgreSQL
(to_tsvector 'simple'); every word must match, the last as a prefix."""

from __future__ import annotations

import httpx

from posters.gallery import search
from tests.factories import UserFactory, sign_in
from tests.posters.corpus import EVERY, EXPECTED, create_corpus
from tests.posters.factories import PosterFactory


def test_queries_are_cut_into_normalised_words() -> None:
    assert search.query_words("IL-1β, Müller!") == ["il", "1β", "muller"]
    assert search.query_words("  --- !!! ") == []
    assert search.query_words("x " * 500) == ["x"] * search.MAX_QUERY_WORDS


def test_each_word_is_quoted_for_the_engine() -> None:
    assert search.fts5_expression(["il", "1β"]) == '"il" "1β"*'
    assert search.tsquery_expression(["il", "1β"]) == "'il' & '1β':*"
    # Never reached through query_words (no quotes survive), but quoted all the same.
    assert search.fts5_expression(['a"b']) == '"a""b"*'
    assert search.tsquery_expression(["a'b\\"]) == "'a''b\\\\':*"


async def test_every_query_finds_the_expected_posters(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await create_corpus(posters)
    attendee = await users.create()
    await sign_in(client, attendee.email)
    found: dict[str, set[str]] = {}
    for query in EXPECTED:
        response = await client.get("/api/v1/posters", params={"q": query})
        assert response.status_code == 200, (query, response.text)
        found[query] = {p["board"] for p in response.json()["posters"]}
    wrong = {q: (found[q], EXPECTED[q]) for q in EXPECTED if found[q] != EXPECTED[q]}
    assert wrong == {}


async def test_the_gallery_page_searches_the_same_way(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await create_corpus(posters)
    attendee = await users.create()
    await sign_in(client, attendee.email)
    page = await client.get("/posters", params={"q": "IL-1β"})
    assert page.status_code == 200
    assert page.text.count('data-testid="poster-card"') == 1
    assert "IL-1β drives NLRP3 inflammasome activation" in page.text
    assert 'value="IL-1β"' in page.text  # the search box keeps the query


async def test_a_query_too_long_is_refused_by_the_api_and_cut_by_the_page(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await create_corpus(posters)
    attendee = await users.create()
    await sign_in(client, attendee.email)
    long_query = "stat " + "x" * 5000
    refused = await client.get("/api/v1/posters", params={"q": long_query})
    assert refused.status_code == 422
    page = await client.get("/posters", params={"q": long_query})
    assert page.status_code == 200
    assert "Searches are at most 200 characters" in page.text
    assert page.text.count('data-testid="poster-card"') == 0  # "stat" and x…x: none


async def test_odd_characters_never_fail(
    client: httpx.AsyncClient, users: UserFactory, posters: PosterFactory
) -> None:
    await create_corpus(posters)
    attendee = await users.create()
    await sign_in(client, attendee.email)
    for query in ("\x00il", "il\x00 6", "'; DROP TABLE posters; --", "🧬 il-6 🧪", "\\", "*"):
        response = await client.get("/api/v1/posters", params={"q": query})
        assert response.status_code == 200, query
    everything = await client.get("/api/v1/posters", params={"q": "*"})
    assert {p["board"] for p in everything.json()["posters"]} == EVERY
