"""Reading console pages in tests: post forms like a browser, read what a person sees."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

import httpx

HTML = {"Accept": "text/html"}
DASH = "\u2013"  # between the start and end of a time span


class _Texts(HTMLParser):
    """Collects the text inside the element carrying an attribute value (id/data-testid)."""

    VOID = frozenset({"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col"})

    def __init__(self, attribute: str, value: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attribute, self.value = attribute, value
        self.depth = 0
        self.parts: list[str] = []
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif (self.attribute, self.value) in attrs:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def text_of(html: str, value: str, attribute: str = "data-testid") -> str | None:
    """The visible text of the element whose ``attribute`` is ``value`` (None if absent)."""
    parser = _Texts(attribute, value)
    parser.feed(html)
    return squash("".join(parser.parts)) if parser.found else None


def page_text(html: str) -> str:
    """All text of the page body, tags removed, whitespace squashed."""
    body = html.split("<main", 1)[-1].split(">", 1)[-1]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return squash(unescape(re.sub(r"<[^>]+>", " ", body)))


def field_error(html: str, field: str) -> str | None:
    return text_of(html, f"{field}-error", "id")


class Console:
    """An organizer's browser on the console: GET pages, POST forms with the CSRF field."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params or None, headers=HTML)

    async def post(self, path: str, data: dict[str, Any]) -> httpx.Response:
        """Submit a form as a browser does: the CSRF token in a field, not a header."""
        token = self.client.headers.pop("X-CSRF-Token", "")
        try:
            return await self.client.post(path, data={"csrf_token": token, **data}, headers=HTML)
        finally:
            self.client.headers["X-CSRF-Token"] = token
