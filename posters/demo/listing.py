"""The demo posters' listing (:mod:`posters.demo.data`) read into plain objects.

The format, one block per poster::

    == P101 | ifn                       board and topic code (see TOPICS)
    T: title
    A: Name* 1; Name 1; Name 2          authors, * presenting, affiliation numbers
    F: First affiliation | Second       numbered from 1
    K: keyword; keyword                 3-6 keywords
    D: 10.5555/...                      optional DOI
    L: label | https://...              optional link, repeatable
    S: draft                            optional state (default published)
    G: bar | caption | unit | label value, label value
    G: line | caption | unit | x unit | x1 x2 ... | series: y1 y2 ...; series: ...
    G: path | caption | step > step > step
    ### Background                      the abstract (Markdown) runs to the next block

A header line that starts with two spaces continues the one before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from posters.demo.data import LISTINGS
from posters.models import PosterState

TOPICS = {
    "ifn": "Interferon signalling",
    "ifnl": "Type III interferons",
    "evasion": "Viral evasion of interferon",
    "jak": "JAK-STAT signalling",
    "il6": "IL-6 family",
    "inflam": "Inflammasomes",
    "storm": "Cytokine storms",
    "thera": "Therapeutics: biologics and JAK inhibitors",
    "il17": "IL-17 and IL-23",
    "chemo": "Chemokines",
    "tnf": "TNF superfamily",
    "il1": "IL-1 family",
}


@dataclass(frozen=True)
class Figure:
    """A figure drawn on the poster: ``kind`` is "bar", "line" or "path"."""

    kind: str
    caption: str
    unit: str = ""
    x_unit: str = ""
    labels: tuple[str, ...] = ()  # bar labels, line x values, or pathway steps
    series: tuple[tuple[str, tuple[float, ...]], ...] = ()  # bars: one unnamed series


@dataclass(frozen=True)
class Author:
    name: str
    affiliation: str
    presenting: bool


@dataclass
class DemoPoster:
    board: str
    topic: str
    title: str = ""
    authors: list[Author] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    doi: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    state: PosterState = PosterState.published
    figure: Figure | None = None
    abstract: str = ""

    @property
    def session_number(self) -> int:
        """Boards P1xx are in poster session 1, P2xx in session 2, ..."""
        return int(self.board[1])


def parse_posters(listings: Iterable[str] = LISTINGS) -> list[DemoPoster]:
    """Every demo poster, in board order of the listings."""
    posters: list[DemoPoster] = []
    for listing in listings:
        for block in listing.split("\n== ")[1:]:
            posters.append(_parse_block(block))
    return posters


def _parse_block(block: str) -> DemoPoster:
    head, _, rest = block.partition("\n")
    board, topic = (part.strip() for part in head.split("|"))
    if topic not in TOPICS:
        raise ValueError(f"{board}: unknown topic {topic!r}")
    header, _, abstract = rest.partition("\n###")
    fields: list[tuple[str, str]] = []
    for line in header.splitlines():
        if line.startswith("  "):
            key, value = fields[-1]
            fields[-1] = (key, f"{value} {line.strip()}")
        elif line.strip():
            key, _, value = line.partition(": ")
            fields.append((key, value.strip()))
    poster = DemoPoster(board=board, topic=TOPICS[topic], abstract=f"###{abstract}".strip())
    values = dict(fields)
    affiliations = values["F"].split(" | ")
    for entry in values["A"].split("; "):
        name, numbers = entry.rsplit(" ", 1)
        where = "; ".join(affiliations[int(n) - 1] for n in numbers.split(","))
        poster.authors.append(Author(name.rstrip("*"), where, name.endswith("*")))
    poster.title = values["T"]
    poster.keywords = values["K"].split("; ")
    poster.doi = values.get("D", "")
    poster.links = [_pair(value) for key, value in fields if key == "L"]
    poster.state = PosterState(values.get("S", PosterState.published))
    if "G" in values:
        poster.figure = _figure(values["G"])
    return poster


def _pair(value: str) -> tuple[str, str]:
    label, url = value.split(" | ")
    return label, url


def _figure(value: str) -> Figure:
    kind, caption, *parts = value.split(" | ")
    if kind == "bar":
        unit, items = parts
        pairs = [item.rsplit(" ", 1) for item in items.split(", ")]
        labels = tuple(label for label, _ in pairs)
        return Figure(kind, caption, unit, "", labels, (("", tuple(float(v) for _, v in pairs)),))
    if kind == "line":
        unit, x_unit, xs, lines = parts
        series = []
        for line in lines.split("; "):
            name, ys = line.split(": ")
            series.append((name, tuple(float(y) for y in ys.split())))
        return Figure(kind, caption, unit, x_unit, tuple(xs.split()), tuple(series))
    if kind == "path":
        (steps,) = parts
        return Figure(kind, caption, labels=tuple(s.strip() for s in steps.split(" > ")))
    raise ValueError(f"Unknown figure kind {kind!r}")
