"""What every staff handler shares: its route decorator (with the guard), rendering a page
with the staff layout, a safe way back, and the messages shown after a redirect
(``?pesan=<code>``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import litestar
from litestar import Request, Response
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect

from portal.auth.guards import require_staff
from portal.domain.errors import Invalid
from portal.domain.scope import Scope
from portal.staff.inputs import OfficeForm
from portal.staff.triage import Outcome
from portal.web import flash
from portal.web.flash import Counts, Notice
from portal.web.forms import form_of, refill
from portal.web.render import render

GUARDS = [require_staff]


# Staff handlers are declared with these instead of Litestar's ``get``/``post``: the router
# guards the area too, but each handler carries the guard itself so that a walk of the route
# table (tests/integration/test_staff_routes.py) sees it on every one.
def get(path: str, *, name: str, **options: Any) -> HTTPRouteHandler:
    """``@get("/antrian", name="staff:queue")``: a staff page."""
    return litestar.get(path, guards=GUARDS, name=name, **options)


def post(path: str, *, name: str, form: type | None = None, **options: Any) -> HTTPRouteHandler:
    """``@post("/antrian/massal", name="staff:queue-bulk", form=BulkInput)``: a staff form's
    POST; ``form``: the dataclass the posted form is read into, handed to the handler as its
    ``form`` parameter (``portal.web.forms.form_of``)."""
    if form is not None:
        options["dependencies"] = {"form": form_of(form), **options.get("dependencies", {})}
    return litestar.post(path, guards=GUARDS, name=name, **options)


def done(words: str):
    """What one resident (``n=1``) or ``ok`` residents became; ``lewat`` were skipped for
    their status, ``bentrok`` because someone changed them meanwhile."""

    def notice(counts: Counts) -> Notice:
        count, skipped, clashed = counts["ok"], counts["lewat"], counts["bentrok"]
        single = counts["n"] == 1 or (count == 1 and not skipped and not clashed)
        lines = [f"Warga {words}." if single else f"{count} warga {words}."]
        if skipped:
            lines.append(
                f"{skipped} warga dilewati karena statusnya tidak memungkinkan tindakan ini."
            )
        if clashed:
            lines.append(
                f"{clashed} warga dilewati karena baru saja diubah petugas lain; "
                "periksa lagi lalu ulangi bila perlu."
            )
        return Notice(tuple(lines), "ok" if count and not skipped and not clashed else "warn")

    return notice


def full(counts: Counts) -> Notice:
    left = [f"Sisa kuota sesi itu: {counts['sisa']} orang."] if counts["sisa"] else []
    return Notice((FULL, *left), "error")


PUBLISHED = "Halaman publik sudah memakai data baru."
FULL = "Sesi tidak cukup untuk semua warga terpilih; tidak ada yang dijadwalkan."

# Messages after a redirect. Failed bulk actions use the name of the field a service's
# ``Invalid`` points at as their code.
flash.messages(
    {
        "verifikasi": done("diverifikasi"),
        "perbaikan": done("dikembalikan ke koordinator untuk diperbaiki"),
        "tolak": done("ditolak"),
        "duplikat": done("ditandai sebagai duplikat"),
        "bukan-duplikat": done("dinyatakan bukan duplikat"),
        "jadwalkan": done("dijadwalkan"),
        "batal-jadwal": done("dikeluarkan dari jadwal"),
        "rekam": done("ditandai sudah rekam"),
        "buka-kembali": done("dibuka kembali ke antrean"),
        "ambil": done("diambil oleh Anda"),
        "lepas": done("dilepas"),
        "catatan": done("mendapat catatan baru"),
        "kehadiran": done("dicatat kehadirannya"),
        "sesi-baru": flash.ok("Sesi jemput bola dibuat."),
        "sesi-ubah": flash.ok("Perubahan sesi disimpan."),
        "sesi-batal": flash.ok(
            "Sesi dibatalkan. Warga yang terjadwal kembali ke antrean untuk dijadwalkan ulang."
        ),
        "lokasi": flash.ok(f"Lokasi disimpan. {PUBLISHED}"),
        "jam": flash.ok(f"Jam buka disimpan. {PUBLISHED}"),
        "hari-khusus": flash.ok(f"Hari khusus ditambahkan. {PUBLISHED}"),
        "hari-khusus-hapus": flash.ok("Hari khusus dihapus."),
        "persyaratan": flash.ok(f"Persyaratan disimpan. {PUBLISHED}"),
        "angka": flash.ok(f"Angka capaian disimpan. {PUBLISHED}"),
        "angka-hapus": flash.ok("Angka capaian dihapus."),
        "kosong": flash.error("Pilih minimal satu warga dengan mencentang kotaknya."),
        "nihil": flash.error(
            "Tidak ada warga yang cocok dengan saringan ini; tidak ada yang diubah."
        ),
        "aksi": flash.error("Pilih tindakan yang akan dilakukan."),
        "sesi": flash.error("Pilih sesi jemput bola untuk penjadwalan."),
        "penuh": full,
        "alasan_tolak": flash.error("Pilih alasan penolakan."),
        "keterangan_tolak": flash.error("Tulis alasan penolakan bila memilih “Lainnya”."),
        "belum-hari": flash.error("Kehadiran baru bisa dicatat pada hari sesi atau sesudahnya."),
    }
)


def page(
    request: Request, template: str, context: dict, access: Scope, section: str, **how: Any
) -> Response:
    """A staff page: the layout reads the scope as ``access`` and marks ``section`` in
    its menu; ``how``: ``render``'s block, status code and headers."""
    return render(request, template, {"access": access, "section": section, **context}, **how)


def outcome_redirect(path: str, code: str, outcome: Outcome) -> Redirect:
    return flash.redirect(
        path,
        code,
        ok=len(outcome.done),
        lewat=len(outcome.refused),
        bentrok=len(outcome.conflicts),
    )


def safe_back(target: str | None, default: str, area: str) -> str:
    """A same-site path inside the staff area (``area``: its root path) to go back to,
    never another host or another area."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(area):
        return default
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def office_form(
    request: Request,
    access: Scope,
    form: OfficeForm,
    save: Callable[[Scope], Awaitable[Any]],
    again: Callable[..., Awaitable[Response]],
    done: Callable[[Request, Scope, Any], Response],
) -> Response:
    """A posted ``OfficeForm``: ``save`` it for the office it names, then ``done(request, scope,
    result)`` (a redirect); refused input shows the page again (``again(request, scope,
    errors=…, values=…)``) with what was typed."""
    chosen = access.choose(form.kantor)
    try:
        result = await save(chosen)
    except Invalid as exc:
        return await again(request, chosen, errors=exc.errors, values=refill(form))
    return done(request, chosen, result)
