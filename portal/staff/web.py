"""What every staff handler shares: the guard, rendering a page with the staff layout, a
safe way back, and the messages shown after a redirect (``?pesan=<code>``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response
from litestar.response import Redirect

from portal.auth.guards import require_staff
from portal.domain.scope import Scope
from portal.staff.triage import Outcome
from portal.web import flash
from portal.web.flash import Counts, Notice
from portal.web.render import render

GUARDS = [require_staff]

# What a resident (or n residents) became, by the action's code.
DONE = {
    "verifikasi": "diverifikasi",
    "perbaikan": "dikembalikan ke koordinator untuk diperbaiki",
    "tolak": "ditolak",
    "duplikat": "ditandai sebagai duplikat",
    "bukan-duplikat": "dinyatakan bukan duplikat",
    "jadwalkan": "dijadwalkan",
    "batal-jadwal": "dikeluarkan dari jadwal",
    "rekam": "ditandai sudah rekam",
    "buka-kembali": "dibuka kembali ke antrean",
    "ambil": "diambil oleh Anda",
    "lepas": "dilepas",
    "catatan": "mendapat catatan baru",
    "kehadiran": "dicatat kehadirannya",
}
SAVED = {
    "sesi-baru": "Sesi jemput bola dibuat.",
    "sesi-ubah": "Perubahan sesi disimpan.",
    "sesi-batal": (
        "Sesi dibatalkan. Warga yang terjadwal kembali ke antrean untuk dijadwalkan ulang."
    ),
    "lokasi": "Lokasi disimpan. Halaman publik sudah memakai data baru.",
    "jam": "Jam buka disimpan. Halaman publik sudah memakai data baru.",
    "hari-khusus": "Hari khusus ditambahkan. Halaman publik sudah memakai data baru.",
    "hari-khusus-hapus": "Hari khusus dihapus.",
    "persyaratan": "Persyaratan disimpan. Halaman publik sudah memakai data baru.",
    "angka": "Angka capaian disimpan. Halaman publik sudah memakai data baru.",
    "angka-hapus": "Angka capaian dihapus.",
}
# Why a bulk action did nothing, shown on the page it returns to. The codes are the names
# of the fields a service's ``Invalid`` points at.
FAILED = {
    "kosong": "Pilih minimal satu warga dengan mencentang kotaknya.",
    "nihil": "Tidak ada warga yang cocok dengan saringan ini; tidak ada yang diubah.",
    "aksi": "Pilih tindakan yang akan dilakukan.",
    "sesi": "Pilih sesi jemput bola untuk penjadwalan.",
    "alasan_tolak": "Pilih alasan penolakan.",
    "keterangan_tolak": "Tulis alasan penolakan bila memilih “Lainnya”.",
    "belum-hari": "Kehadiran baru bisa dicatat pada hari sesi atau sesudahnya.",
}
FULL = "Sesi tidak cukup untuk semua warga terpilih; tidak ada yang dijadwalkan."


def done_notice(words: str):
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


def full_notice(counts: Counts) -> Notice:
    left = [f"Sisa kuota sesi itu: {counts['sisa']} orang."] if counts["sisa"] else []
    return Notice((FULL, *left), "error")


MESSAGES = flash.messages(
    {
        **{code: done_notice(words) for code, words in DONE.items()},
        **{code: flash.ok(text) for code, text in SAVED.items()},
        **{code: flash.error(text) for code, text in FAILED.items()},
        "penuh": full_notice,
    }
)


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    access: Scope,
    section: str,
    *,
    block: str = "main",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """A staff page: the layout reads the scope as ``access`` and marks ``section``."""
    return render(
        request,
        template,
        {"access": access, "section": section, **context},
        block=block,
        status_code=status_code,
        headers=headers,
    )


def outcome_redirect(path: str, code: str, outcome: Outcome) -> Redirect:
    return flash.redirect(
        path,
        code,
        ok=len(outcome.done),
        lewat=len(outcome.refused),
        bentrok=len(outcome.conflicts),
    )


def safe_back(target: str | None, default: str) -> str:
    """A same-site path under /petugas to go back to (never another host)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/petugas"):
        return default
    return parts.path + (f"?{parts.query}" if parts.query else "")
