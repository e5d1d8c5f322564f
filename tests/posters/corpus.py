"""A small varied set of posters for search tests: Greek letters, accents, cytokine names
with hyphens, digits; and the boards each query must find on both databases."""

from __future__ import annotations

from typing import Any

from posters.models import PosterState
from tests.posters.factories import PosterFactory

POSTERS: list[dict[str, Any]] = [
    {
        "board": "S1",
        "title": "IL-1β drives NLRP3 inflammasome activation",
        "abstract": "Caspase-1 cleaves pro-IL-1β in **monocytes**.",
        "authors": [{"name": "José Müller", "affiliation": "Universität Zürich"}],
        "topic": "Inflammasome",
        "keywords": ["IL-1β", "NLRP3"],
    },
    {
        "board": "S2",
        "title": "IL-6 trans-signalling in sepsis",
        "abstract": "Soluble IL-6R and gp130 shape STAT3 activity.",
        "authors": [{"name": "Ana Silva", "affiliation": "Universidade de Lisboa"}],
        "topic": "IL-6 family",
        "keywords": ["IL-6", "gp130"],
    },
    {
        "board": "S3",
        "title": "Type I IFN-α/β responses",
        "abstract": "IFN-α2 and IFN-β signal through JAK-STAT; STAT1 in macrophages.",
        "authors": [{"name": "Ken Tanaka", "affiliation": "Osaka University"}],
        "topic": "IFN signalling",
        "keywords": ["Interferon", "JAK-STAT"],
    },
    {
        "board": "S4",
        "title": "IL-10 restrains macrophages",
        "abstract": "TNF-α falls when IL-10 rises.",
        "authors": [{"name": "Mary Smith", "affiliation": "King's College London"}],
        "topic": "Therapeutics",
        "keywords": ["IL-10"],
    },
    {
        "board": "S5",
        "title": "Cytokine storm in COVID-19",
        "abstract": "A 2020 cohort of 1,024 patients treated with CAR-T cells.",
        "authors": [{"name": "Li Wei", "affiliation": "Fudan University"}],
        "topic": "Cytokine storms",
        "keywords": ["cytokine storm"],
    },
    {
        "board": "S7",
        "title": "Ångström-scale structure of the γc receptor",
        "abstract": "Cryo-EM of the common gamma chain.",
        "authors": [{"name": "Zoë Ørsted", "affiliation": "Københavns Universitet"}],
        "topic": "Therapeutics",
        "keywords": ["γc"],
    },
]
# Never found: a draft with the words of S1.
DRAFT: dict[str, Any] = {"board": "S6", "title": "IL-1β draft", "keywords": ["IL-1β"]}

EVERY = {"S1", "S2", "S3", "S4", "S5", "S7"}
# Query -> the boards it finds (the same on SQLite and PostgreSQL).
EXPECTED: dict[str, set[str]] = {
    "IL-1β": {"S1"},
    "il-1β": {"S1"},
    "IL-1": {"S1", "S4"},  # the last word is a prefix: 1β, 10
    "IL-6": {"S2"},
    "il 6": {"S2"},
    "Müller": {"S1"},
    "MULLER zurich": {"S1"},
    "interfer": {"S3"},
    "stat": {"S2", "S3"},  # stat3, stat1, stat
    "stat macrophages": {"S3"},  # "stat" whole, then a prefix
    "α": {"S3", "S4"},  # α (IFN-α/β), α2 and TNF-α
    "β": {"S3"},  # a word of its own only in IFN-α/β and IFN-β; 1β does not start with β
    "2020": {"S5"},
    "1,024": {"S5"},
    "covid 19": {"S5"},
    "COVID-19 cytokine storm": {"S5"},
    "københavns": {"S7"},
    "angstrom": {"S7"},
    "Ångström": {"S7"},
    "γc": {"S7"},
    "zoe orsted": set(),  # ø is a letter of its own, not an o with a stroke to drop
    "zoe ørsted": {"S7"},
    "gamma chain": {"S7"},
    "nothing like this": set(),
    "": EVERY,
    "!!! --- ...": EVERY,
    "\"' OR 1=1 --": set(),
    "caspase*": {"S1"},
    "NEAR(il 6)": set(),  # no operators: "near" is a word, found nowhere
    "il AND 6": {"S2"},  # "and" is a word like any other (S2: "IL-6R and gp130")
    "tnf- -α": {"S4"},
}


async def create_corpus(posters: PosterFactory) -> None:
    """The posters above (published) and the draft."""
    for fields in POSTERS:
        await posters.create(**fields)
    await posters.create(state=PosterState.draft, **DRAFT)
