"""After recording (``staff:after-recording``): the list of recorded residents' cards with
moves in bulk, and the panel on a resident's page (one move, taking back a print)."""

from __future__ import annotations

from collections.abc import Awaitable

from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.params import FromPath

from portal.clock import today_local
from portal.domain.errors import Conflict, Invalid
from portal.rules.cards import IN_PERSON_ONLY
from portal.staff import after_recording
from portal.staff.after_recording import (
    ACTIONS,
    IKD_ACTIONS,
    IKD_FILTERS,
    CardFilter,
    MoveInput,
    UndoInput,
)
from portal.staff.card_stock import StockShort
from portal.staff.resident_pages import detail_page
from portal.staff.triage import parse_items
from portal.staff.web import get, page, post, safe_back
from portal.web import flash
from portal.web.deps import Access
from portal.web.flash import Counts, Notice
from portal.web.forms import query_of, refill
from portal.web.urls import url

# A refused bulk move says why with the code of the field its Invalid points at.
FIELD_CODES = {
    "pilih": "kosong",  # registered by the staff queue: the same words
    "tindakan": "aksi",
    "datang_sendiri": "kartu-datang-sendiri",
    "tempat_ambil": "kartu-tempat",
}
WORDS = {
    "dicetak": "ditandai KTP-el-nya dicetak",
    "diambil": "ditandai sudah mengambil KTP-el",
    "suket": "ditandai Suket diterbitkan",
    "ikd": "ditandai IKD diaktifkan",
    "ikd_batal": "dibatalkan tanda IKD-nya",
}


def card_done(words: str):
    def notice(counts: Counts) -> Notice:
        ok, skipped, clashed = counts["ok"], counts["lewat"], counts["bentrok"]
        lines = [f"Warga {words}." if counts["n"] == 1 else f"{ok} warga {words}."]
        if skipped:
            lines.append(
                f"{skipped} warga dilewati: keadaan KTP-el atau usianya belum memungkinkan "
                "tindakan ini (buka halaman warga untuk alasannya)."
            )
        if clashed:
            lines.append(f"{clashed} warga dilewati karena baru saja diubah petugas lain.")
        return Notice(tuple(lines), "ok" if ok and not skipped and not clashed else "warn")

    return notice


def short(counts: Counts) -> Notice:
    return flash.error(
        f"Stok blangko tinggal {counts['sisa']}, tidak cukup untuk semua KTP-el yang dipilih; "
        "tidak ada yang dicetak. Pilih lebih sedikit, atau terbitkan Suket sampai kiriman "
        "blangko datang."
    )


flash.messages(
    {
        **{f"kartu-{action.replace('_', '-')}": card_done(w) for action, w in WORDS.items()},
        "kartu-batal-cetak": flash.ok("Cetak KTP-el dibatalkan; blangkonya kembali ke stok."),
        "kartu-datang-sendiri": flash.error(IN_PERSON_ONLY + "."),
        "kartu-tempat": flash.error("Tempat pengambilan paling banyak 200 karakter."),
        "blangko-kurang": short,
    }
)


def done_code(action: str) -> str:
    return f"kartu-{action.replace('_', '-')}"


@get("/pasca-rekam", name="staff:after-recording", dependencies={"f": query_of(CardFilter)})
async def after_recording_page(
    request: Request, access: Access, f: NamedDependency[CardFilter]
) -> Response:
    view = await after_recording.listing(access, f, today_local())
    back = url(request, "staff:after-recording", {**f.params(access), "halaman": f.halaman})
    context = {"v": view, "f": f, "back": back, "actions": ACTIONS, "ikd_filters": IKD_FILTERS}
    return page(request, "staff/after_recording.html", context, access, "pasca-rekam")


@post("/pasca-rekam/ubah", name="staff:after-recording-move", form=MoveInput)
async def move_cards(
    request: Request, access: Access, form: NamedDependency[MoveInput]
) -> Response:
    home = url(request, "staff:after-recording")
    back = safe_back(form.kembali, home, url(request, "staff:dashboard"))
    items = parse_items(form.pilih)
    try:
        outcome = await after_recording.move(access, items, form.tindakan, form, today_local())
    except StockShort as exc:
        return flash.redirect(back, "blangko-kurang", sisa=exc.balance)
    except Invalid as exc:
        return flash.redirect(back, FIELD_CODES.get(next(iter(exc.errors)), "aksi"))
    done, skipped, clashed = len(outcome.done), len(outcome.skipped), len(outcome.conflicts)
    return flash.redirect(back, done_code(form.tindakan), ok=done, lewat=skipped, bentrok=clashed)


async def on_resident(
    request: Request,
    access: Access,
    rid: int,
    form: object,
    act: Awaitable[object],
    code: str,
    anchor: str,
    **numbers: int,
) -> Response:
    """Do ``act`` to one resident's card, then back to their page at ``anchor`` with the
    message ``code``; refused, the page again: the refusal above it, or a field to fix with
    what was typed."""
    try:
        await act
    except Invalid as exc:
        values = refill(form)
        return await detail_page(
            request, access, rid, errors=exc.errors, values=values, status_code=422
        )
    except Conflict as exc:
        return await detail_page(request, access, rid, problem=exc.message, status_code=409)
    target = url(request, "staff:resident", rid=rid)
    return flash.redirect(target, code, anchor=anchor, **numbers)


@post("/pasca-rekam/warga/{rid:int}", name="staff:after-recording-resident", form=MoveInput)
async def move_card(
    request: Request, access: Access, rid: FromPath[int], form: NamedDependency[MoveInput]
) -> Response:
    act = after_recording.move_one(access, rid, form, today_local())
    anchor = "ikd" if form.tindakan in IKD_ACTIONS else "kartu"
    code = done_code(form.tindakan)
    return await on_resident(request, access, rid, form, act, code, anchor, n=1, ok=1)


@post("/pasca-rekam/warga/{rid:int}/batal-cetak", name="staff:after-recording-undo", form=UndoInput)
async def undo_print(
    request: Request, access: Access, rid: FromPath[int], form: NamedDependency[UndoInput]
) -> Response:
    act = after_recording.undo_print(access, rid, form, today_local())
    return await on_resident(request, access, rid, form, act, "kartu-batal-cetak", "kartu")
