"""A poster's text as every page shows it: the abstract's HTML, keywords, the search text.

The abstract is Markdown rendered by markdown-it (CommonMark, raw HTML off) and then
sanitized by nh3 (ammonia) to an allow-list of tags, so a ``<script>``, an event handler
or a ``javascript:`` link in an abstract never reaches a browser, whichever page shows it.
Rendering happens once, when the abstract is written; pages insert the stored HTML.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import nh3
from markdown_it import MarkdownIt

# What an abstract may use: paragraphs, emphasis, sub/superscript (IL-1β, Ca²⁺ written as
# tags), lists, links, simple tables, code. No images: a poster's pictures are on its PDF.
ALLOWED_TAGS = {
    "p", "br", "em", "strong", "sub", "sup", "ul", "ol", "li", "a", "code", "pre",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
LINK_SCHEMES = {"http", "https", "mailto"}

MAX_KEYWORDS = 12
MAX_KEYWORD_LENGTH = 80

_BOARD_DIGITS = re.compile(r"\d+")
# A DOI: "10.", a registrant code, "/", a suffix without spaces (ISO 26324, DOI Handbook 2).
DOI_PATTERN = r"^10\.\d{4,9}(\.\d+)*/\S+$"
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")
_WORD = re.compile(r"[^\W_]+")


def _markdown() -> MarkdownIt:
    # "js-default": CommonMark without raw HTML, plus tables and strikethrough.
    return MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})


def abstract_html(markdown: str) -> str:
    """The sanitized HTML of an abstract written in Markdown."""
    rendered = _markdown().render(markdown)
    # Demote headings: the page's own h1/h2 outline the poster; an abstract's sections are h3.
    rendered = re.sub(r"<(/?)h[12]>", r"<\1h3>", rendered)
    rendered = re.sub(r"<(/?)h[56]>", r"<\1h4>", rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(markdown: str) -> str:
    """The abstract's words without markup (for search, previews and the text alternative)."""
    text = nh3.clean(_markdown().render(markdown), tags=set())
    return re.sub(r"\s+", " ", text.replace("&amp;", "&").replace("&lt;", "<")).strip()


def normalise_words(text: str) -> str:
    """Lower-case, accent-free words separated by single spaces.

    Both full-text engines index this form (and queries are cut the same way), so SQLite's
    FTS5 tokenizer and PostgreSQL's ``simple`` parser see the same words and return the
    same posters: "IL-6" is the words "il 6" in the index and in the query alike.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(stripped))


def search_text(
    *,
    title: str,
    abstract: str,
    authors: Iterable[tuple[str, str]],
    keywords: Iterable[str],
) -> str:
    """What the full-text index holds for a poster (authors as (name, affiliation))."""
    parts = [title, plain_text(abstract)]
    for name, affiliation in authors:
        parts += [name, affiliation]
    parts += list(keywords)
    return normalise_words(" ".join(parts))


def keyword_key(label: str) -> str:
    """The form a keyword is filtered and counted by: trimmed, spaces collapsed, lower-case."""
    return " ".join(label.split()).casefold()


def clean_keywords(labels: Iterable[str]) -> list[tuple[str, str]]:
    """(key, label) pairs: empty and repeated keywords dropped, in the given order."""
    seen: set[str] = set()
    cleaned: list[tuple[str, str]] = []
    for raw in labels:
        label = " ".join(raw.split())
        key = keyword_key(label)
        if key and key not in seen:
            seen.add(key)
            cleaned.append((key, label))
    return cleaned


def clean_doi(value: object) -> object:
    """A DOI as written, without the resolver address or ``doi:`` people often paste."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    for prefix in _DOI_PREFIXES:
        if text[: len(prefix)].casefold() == prefix:
            return text[len(prefix) :].strip()
    return text


def board_order(board: str) -> int:
    """A sort key putting "P2" before "P10": the board's first number, else a large one."""
    found = _BOARD_DIGITS.search(board)
    return int(found.group()) if found and len(found.group()) < 9 else 999_999_999
