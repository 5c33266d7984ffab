"""Factories for the after-recording tests: residents recorded through the staff service
(so their card state comes from the real hook), and blank-card stock."""

from __future__ import annotations

from datetime import UTC, date, datetime

from portal.clock import today_local
from portal.domain.actor import Actor
from portal.domain.transactions import write_transaction
from portal.rules.ages import add_years
from portal.staff import card_stock, triage
from portal.tables.cards import CardState, CardStock, CardStockMovement
from portal.tables.regions import Office
from tests.integration import staff_fixtures as fx

TODAY = today_local()
ADULT = date(1990, 5, 1)


async def recorded(officer, count: int = 1, office: str = "kota", **fields) -> list:
    """``count`` residents of ``office`` marked recorded by ``officer`` (a user)."""
    village = fx.KOTA_VILLAGE if office == "kota" else fx.KAB_VILLAGE
    lst = await fx.submitted_list(await fx.coordinator(office, village), village)
    fields.setdefault("birth_date", ADULT)
    people = await fx.residents(lst, count, status="diverifikasi", **fields)
    access = await fx.scope_of(officer)
    items = [(p.id, p.version) for p in people]
    outcome = await triage.mark_recorded(access, items, TODAY.isoformat(), "MPP Gajah Mada", TODAY)
    assert len(outcome.done) == count
    return people


def born_years_ago(years: int, days: int = 0) -> date:
    from datetime import timedelta

    return add_years(TODAY, -years) + timedelta(days=days)


async def card(person) -> dict:
    return await CardState.select().where(CardState.resident == person.id).first()


async def office_id(slug: str = "kota") -> int:
    return (await Office.select(Office.id).where(Office.slug == slug).first())["id"]


async def stock(blanks: int, slug: str = "kota", *, kind: str = "masuk") -> int:
    """Put ``blanks`` into an office's stock (a movement, as any delivery)."""
    async with write_transaction():
        return await card_stock.move_stock(
            Actor.system("test"),
            await office_id(slug),
            kind,
            blanks,
            day=TODAY,
            moment=datetime.now(UTC),
            reference="uji",
        )


async def balance(slug: str = "kota") -> int:
    row = (
        await CardStock.select(CardStock.balance)
        .where(CardStock.office == await office_id(slug))
        .first()
    )
    return row["balance"] if row else 0


async def ledger_sum(slug: str = "kota") -> int:
    rows = await CardStockMovement.select(CardStockMovement.quantity).where(
        CardStockMovement.office == await office_id(slug)
    )
    return sum(r["quantity"] for r in rows)


async def movements(kind: str | None = None, slug: str = "kota") -> list[dict]:
    query = CardStockMovement.select().where(CardStockMovement.office == await office_id(slug))
    if kind:
        query = query.where(CardStockMovement.kind == kind)
    return await query.order_by(CardStockMovement.id)


async def print_card(client, person, **more: str):
    """Post "KTP-el dicetak" for ``person`` from their page, with the version shown."""
    from tests.integration.staff_client import post

    shown = await card(person)
    form = {"versi": shown["version"], "tindakan": "dicetak", **more}
    return await post(client, f"/petugas/pasca-rekam/warga/{person.id}", form)
