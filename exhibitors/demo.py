"""Sponsors of the demo meeting."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conference.program.demo.meeting import DEMO_SLUG
from conference.program.models import Meeting
from exhibitors.models import Sponsor, SponsorTier

SPONSORS = [
    (
        "PBL Assay Science",
        SponsorTier.platinum,
        "https://www.pblassaybio.com/",
        "Interferon and cytokine detection assays, reagents and services.",
    ),
    (
        "BioLegend",
        SponsorTier.gold,
        "https://www.biolegend.com/",
        "Antibodies, recombinant cytokines and multiplex immunoassays.",
    ),
    (
        "Bio-Techne | R&D Systems",
        SponsorTier.gold,
        "https://www.bio-techne.com/",
        "Proteins, antibodies and immunoassays for cytokine research.",
    ),
    (
        "Cell Signaling Technology",
        SponsorTier.silver,
        "https://www.cellsignal.com/",
        "Antibodies and kits for signalling pathway research.",
    ),
    (
        "Mary Ann Liebert, Inc.",
        SponsorTier.media_partner,
        "https://home.liebertpub.com/",
        "Publisher of the Journal of Interferon & Cytokine Research, the society's journal.",
    ),
    (
        "Elsevier",
        SponsorTier.media_partner,
        "https://www.elsevier.com/",
        "Publisher of Cytokine and Cytokine & Growth Factor Reviews.",
    ),
]


async def seed_sponsors(db: AsyncSession, base_url: str) -> list[str]:
    """Create or refresh the demo sponsors; safe to run again (its lines name no address,
    so ``base_url`` is not needed)."""
    meeting = await db.scalar(select(Meeting).where(Meeting.slug == DEMO_SLUG))
    if meeting is None:
        return []
    for position, (name, tier, website, description) in enumerate(SPONSORS):
        sponsor = await db.scalar(
            select(Sponsor).where(Sponsor.meeting_id == meeting.id, Sponsor.name == name)
        )
        if sponsor is None:
            sponsor = Sponsor(meeting_id=meeting.id, name=name)
            db.add(sponsor)
        sponsor.tier = tier.value
        sponsor.website = website
        sponsor.description = description
        sponsor.position = position
    await db.commit()
    return [f"Sponsors: {len(SPONSORS)}"]
