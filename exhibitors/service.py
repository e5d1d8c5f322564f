"""Reading sponsors."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from exhibitors.models import Sponsor, SponsorTier


async def sponsors_by_tier(
    db: AsyncSession, *, meeting_id: int
) -> dict[SponsorTier, list[Sponsor]]:
    """Sponsors grouped by tier, highest tier first; empty tiers left out."""
    rows = await db.scalars(
        select(Sponsor).where(Sponsor.meeting_id == meeting_id).order_by(Sponsor.position)
    )
    grouped: dict[SponsorTier, list[Sponsor]] = {tier: [] for tier in SponsorTier}
    for sponsor in rows:
        grouped[SponsorTier(sponsor.tier)].append(sponsor)
    return {tier: sponsors for tier, sponsors in grouped.items() if sponsors}
