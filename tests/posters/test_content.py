"""Abstracts rendered and sanitized once, the words the search reads, board order."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from posters import content


class Elements(HTMLParser):
    """The tags and attributes of an HTML fragment, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs


def test_markdown_is_rendered() -> None:
    html = content.abstract_html("**IL-6** drives *STAT3*.\n\n1. one\n2. two")
    assert html == (
        "<p><strong>IL-6</strong> drives <em>STAT3</em>.</p>\n"
        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '<p onclick="alert(1)">x</p>',
    ],
)
def test_script_never_survives(hostile: str) -> None:
    found = Elements()
    found.feed(content.abstract_html(hostile))
    assert found.tags <= content.ALLOWED_TAGS
    assert not [name for name, _ in found.attributes if name.startswith("on")]
    assert not [v for _, v in found.attributes if v and v.strip().lower().startswith("java")]


def test_links_are_kept_and_marked_nofollow() -> None:
    html = content.abstract_html("See [the lab](https://example.org/lab).")
    assert html == (
        '<p>See <a href="https://example.org/lab" rel="noopener noreferrer nofollow">'
        "the lab</a>.</p>\n"
    )


def test_headings_are_demoted_below_the_page_outline() -> None:
    assert content.abstract_html("# Methods") == "<h3>Methods</h3>\n"


def test_search_words_are_the_same_whichever_way_written() -> None:
    assert content.normalise_words("IL-6 / Interféron-γ, STAT3!") == "il 6 interferon γ stat3"
    text = content.search_text(
        title="JAK–STAT in T cells",
        abstract="*Tofacitinib* blocks JAK1.",
        authors=[("Zoë Müller", "Charité Berlin")],
        keywords=["Cytokine storm"],
    )
    assert (
        text
        == "jak stat in t cells tofacitinib blocks jak1 zoe muller charite berlin cytokine storm"
    )


def test_keywords_are_trimmed_and_deduplicated() -> None:
    assert content.clean_keywords([" JAK-STAT ", "jak-stat", "", "IL-6  family"]) == [
        ("jak-stat", "JAK-STAT"),
        ("il-6 family", "IL-6 family"),
    ]


@pytest.mark.parametrize(
    ("board", "order"), [("P2", 2), ("P10", 10), ("A-017", 17), ("X", 999_999_999)]
)
def test_board_order(board: str, order: int) -> None:
    assert content.board_order(board) == order
