"""Many posters at once, by INSERT statements (for statement counts and benchmarks).

Each poster gets a ~250-word abstract drawn from a cytokine vocabulary (seeded, so runs
match), two authors, three keywords from a pool and one of a few topics; its search text
is made as ``posters.service.write_poster`` makes it, and the full-text index follows
(SQLite's triggers, PostgreSQL's expression index).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from conference.db.types import utcnow
from posters import content
from posters.models import Poster, PosterAuthor, PosterKeyword, PosterState

TOPICS = [
    "IFN signalling",
    "IL-6 family",
    "JAK-STAT",
    "Inflammasome",
    "Cytokine storms",
    "Therapeutics",
]
KEYWORDS = [
    "IL-1β", "IL-6", "IL-10", "IL-17", "IL-23", "TNF-α", "IFN-γ", "IFN-β", "STAT1", "STAT3",
    "JAK1", "JAK2", "TYK2", "SOCS3", "NLRP3", "gp130", "CXCL10", "CCL2", "GM-CSF", "TGF-β",
    "Macrophages", "T cells", "B cells", "NK cells", "Sepsis", "COVID-19", "Lupus",
    "Rheumatoid arthritis", "Psoriasis", "Biologics", "Cryo-EM", "Single-cell RNA-seq",
    "Mouse models", "Biomarkers", "Neutrophils", "Dendritic cells", "Fibrosis", "Asthma",
    "Tuberculosis", "Vaccines",
]  # fmt: skip
VOCABULARY = [
    "cytokine", "interferon", "interleukin", "signalling", "receptor", "kinase",
    "phosphorylation", "transcription", "macrophage", "monocyte", "lymphocyte",
    "neutrophil", "inflammation", "inflammasome", "caspase", "pyroptosis", "secretion",
    "expression", "pathway", "antagonist", "agonist", "antibody", "blockade", "therapy",
    "patients", "cohort", "mice", "model", "response", "infection", "viral", "bacterial",
    "chronic", "acute", "autoimmune", "tolerance", "memory", "effector", "regulatory",
    "cells", "tissue", "serum", "plasma", "levels", "increased", "decreased",
    "significantly", "compared", "control", "treated", "untreated", "baseline", "analysis",
    "sequencing", "single", "cell", "proteomic", "structure", "binding", "affinity",
    "complex", "the", "of", "and", "in", "with", "by", "for", "to", "a", "we", "show",
    "that", "these", "results", "suggest",
]  # fmt: skip
AFFILIATIONS = [
    "Karolinska Institutet", "Osaka University", "Universität Zürich", "Institut Pasteur",
    "University of Oxford", "Monash University", "Fudan University", "McGill University",
]  # fmt: skip


def abstract(rng: random.Random, words: int = 250) -> str:
    """About ``words`` words in a few paragraphs, with a cytokine name now and then."""
    out: list[str] = []
    for i in range(words):
        out.append(rng.choice(KEYWORDS) if i % 17 == 0 else rng.choice(VOCABULARY))
        if i % 60 == 59:
            out.append(".\n\n")
    return " ".join(out) + "."


async def insert_posters(
    db: AsyncSession,
    *,
    meeting_id: int,
    count: int,
    words: int = 250,
    session_guid: str | None = None,
    seed: int = 11,
) -> list[int]:
    """Insert ``count`` published posters (boards B1…); their ids, in board order."""
    rng = random.Random(seed)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    extras: list[tuple[list[tuple[str, str]], list[tuple[str, str]]]] = []
    for n in range(1, count + 1):
        text = abstract(rng, words)
        title = f"{rng.choice(KEYWORDS)} and {rng.choice(VOCABULARY)} in {rng.choice(TOPICS)} #{n}"
        authors = [
            (f"Author {n} {rng.choice(VOCABULARY).title()}", rng.choice(AFFILIATIONS))
            for _ in range(2)
        ]
        keywords = content.clean_keywords(rng.sample(KEYWORDS, 3))
        rows.append(
            {
                "meeting_id": meeting_id,
                "board": f"B{n}",
                "board_order": n,
                "title": title,
                "abstract": text,
                "abstract_html": content.abstract_html(text),
                "topic": TOPICS[n % len(TOPICS)],
                "session_guid": session_guid,
                "doi": "",
                "links": [],
                "state": PosterState.published,
                "pdf_path": "",
                "pdf_bytes": 0,
                "pdf_sha256": "",
                "render_state": "none",
                "render_progress": 0.0,
                "render_error": "",
                "render_version": 0,
                "image_width": 0,
                "image_height": 0,
                "search_text": content.search_text(
                    title=title,
                    abstract=text,
                    authors=authors,
                    keywords=[label for _, label in keywords],
                ),
                "vote_count": rng.randrange(0, 50),
                "comment_count": 0,
                "created_at": now,
                "updated_at": now,
                "active_at": now - timedelta(minutes=rng.randrange(0, 10_000)),
            }
        )
        extras.append((authors, keywords))
    ids = list(await db.scalars(insert(Poster).returning(Poster.id), rows))
    # RETURNING over many rows comes back in the order of the rows.
    author_rows = [
        {"poster_id": pid, "position": i, "name": name, "affiliation": aff, "presenting": i == 0}
        for pid, (authors, _) in zip(ids, extras, strict=True)
        for i, (name, aff) in enumerate(authors)
    ]
    keyword_rows = [
        {"poster_id": pid, "position": i, "keyword": key, "label": label}
        for pid, (_, keywords) in zip(ids, extras, strict=True)
        for i, (key, label) in enumerate(keywords)
    ]
    await db.execute(insert(PosterAuthor), author_rows)
    await db.execute(insert(PosterKeyword), keyword_rows)
    await db.commit()
    return ids


async def clear_posters(db: AsyncSession, *, meeting_id: int) -> None:
    """Delete the meeting's posters (authors, keywords, bookmarks go with them)."""
    await db.execute(delete(Poster).where(Poster.meeting_id == meeting_id))
    await db.commit()


async def set_fields(db: AsyncSession, poster_id: int, **values: Any) -> None:
    """Set columns of a poster directly (counters, render state) and commit."""
    await db.execute(update(Poster).where(Poster.id == poster_id).values(**values))
    await db.commit()


async def meeting_id_of(db: AsyncSession, poster_id: int) -> int:
    found = await db.scalar(select(Poster.meeting_id).where(Poster.id == poster_id))
    assert found is not None
    return found
