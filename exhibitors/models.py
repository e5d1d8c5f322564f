"""Sponsors of the meeting."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from conference.db.base import Base


class SponsorTier(StrEnum):
    platinum = "platinum"
    gold = "gold"
    silver = "silver"
    bronze = "bronze"
    supporter = "supporter"
    media_partner = "media_partner"


TIER_TITLES: dict[SponsorTier, str] = {
    SponsorTier.platinum: "Platinum sponsors",
    SponsorTier.gold: "Gold sponsors",
    SponsorTier.silver: "Silver sponsors",
    SponsorTier.bronze: "Bronze sponsors",
    SponsorTier.supporter: "Supporters",
    SponsorTier.media_partner: "Media partners",
}


class Sponsor(Base):
    """A company or publisher supporting the meeting; its booth comes with the booths issue."""

    __tablename__ = "sponsors"
    __table_args__ = (UniqueConstraint("meeting_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(32))
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
