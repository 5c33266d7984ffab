"""The home page: what the portal is, which office serves whom from what age, and the routes
to each task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.domain import regions
from portal.domain.regions import OfficeRef
from portal.public import schedule
from portal.public.locations import Place, one_place
from portal.public.schedule import SessionView


@dataclass(frozen=True, slots=True)
class OfficeCard:
    office: OfficeRef
    main_location: Place | None
    next_session: SessionView | None


async def office_cards(today: date) -> list[OfficeCard]:
    offices = await regions.load_offices()
    cards = []
    for office in offices:
        coming = await schedule.upcoming(offices, today, office_id=office.id, limit=1)
        cards.append(
            OfficeCard(
                office=office,
                main_location=await one_place(offices, office.main_location_slug),
                next_session=coming[0] if coming else None,
            )
        )
    return cards
