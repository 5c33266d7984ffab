"""What every staff handler shares: the guard, rendering with the staff helpers, today's date
in the offices' time zone, and the short messages shown after a redirect."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from litestar import Request, Response
from litestar.response import Redirect

from portal.auth.guards import require_staff
from portal.staff.present import h
from portal.staff.scope import StaffScope
from portal.staff.triage import Actor, Outcome
from portal.web.render import render

GUARDS = [require_staff]

# Messages shown after a redirect, chosen by a code in the URL (never free text, so a link
# cannot make the portal say something it did not).
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


# Problems with a bulk action, shown on the page it returns to.
FAILED = {
    "kosong": "Pilih minimal satu warga dengan mencentang kotaknya.",
    "nihil": "Tidak ada warga yang cocok dengan saringan ini; tidak ada yang diubah.",
    "aksi": "Pilih tindakan yang akan dilakukan.",
    "sesi": "Pilih sesi jemput bola untuk penjadwalan.",
    "penuh": "Sesi tidak cukup untuk semua warga terpilih; tidak ada yang dijadwalkan.",
    "alasan_tolak": "Pilih alasan penolakan.",
    "keterangan_tolak": "Tulis alasan penolakan bila memilih “Lainnya”.",
    "belum-hari": "Kehadiran baru bisa dicatat pada hari sesi atau sesudahnya.",
}


def actor(request: Request) -> Actor:
    return Actor(request.scope["user"], request)


def staff_render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    scope: StaffScope,
    section: str,
    block: str = "main",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        template,
        {"h": h, "scope": scope, "access": scope, "section": section, "notice": notice(request), **context},
        block=block,
        status_code=status_code,
        headers=headers,
    )


def notice(request: Request) -> dict | None:
    """The message for ``?selesai=…`` (an action's outcome) or ``?disimpan=…``."""
    params = request.query_params
    failed = FAILED.get(params.get("galat") or "")
    if failed:
        left = params.get("sisa")
        extra = [f"Sisa kuota sesi itu: {left} orang."] if left and left.isdigit() else []
        return {"tone": "error", "lines": [failed, *extra]}
    saved = SAVED.get(params.get("disimpan") or "")
    if saved:
        return {"tone": "ok", "lines": [saved]}
    done = DONE.get(params.get("selesai") or "")
    if not done:
        return None
    count = _int(params.get("ok"))
    skipped = _int(params.get("lewat"))
    clashed = _int(params.get("bentrok"))
    lines = []
    if params.get("n") == "1" or (count == 1 and not skipped and not clashed):
        lines.append(f"Warga {done}.")
    else:
        lines.append(f"{count} warga {done}.")
    if skipped:
        lines.append(f"{skipped} warga dilewati karena statusnya tidak memungkinkan tindakan ini.")
    if clashed:
        lines.append(
            f"{clashed} warga dilewati karena baru saja diubah petugas lain; "
            "periksa lagi lalu ulangi bila perlu."
        )
    return {"tone": "ok" if count and not skipped and not clashed else "warn", "lines": lines}


def _int(value: Any) -> int:
    return int(value) if str(value or "").isdigit() else 0


def outcome_query(code: str, outcome: Outcome) -> dict[str, Any]:
    return {
        "selesai": code,
        "ok": len(outcome.done),
        "lewat": len(outcome.refused),
        "bentrok": len(outcome.conflicts),
    }


def safe_back(target: str | None, default: str) -> str:
    """A same-site path under /petugas to go back to (never another host)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/petugas"):
        return default
    return parts.path + (f"?{parts.query}" if parts.query else "")


def redirect(path: str, params: dict[str, Any] | None = None) -> Redirect:
    if params:
        clean = {k: v for k, v in params.items() if v not in (None, "", 0)}
        joiner = "&" if "?" in path else "?"
        path = path + (joiner + urlencode(clean) if clean else "")
    return Redirect(path, status_code=303)
