"""Statuses, categories and reasons with their Indonesian labels, and the allowed moves.

The one place both areas read: the coordinator's status line and the staff queue must never
disagree about what a status means.
"""

from __future__ import annotations

CATEGORIES = {
    "pemula": "Pemula 16–17 tahun",
    "dewasa": "Belum rekam (dewasa)",
    "lansia": "Lansia",
    "disabilitas": "Disabilitas/sakit — perlu kunjungan rumah",
    "luar_kota": "Sekolah/kerja di luar kota",
    "lainnya": "Lainnya",
}
HOME_VISIT_CATEGORIES = frozenset({"disabilitas"})

STATUSES = {
    "draft": "Draf",
    "diterima": "Diterima",
    "diverifikasi": "Diverifikasi",
    "perlu_perbaikan": "Perlu perbaikan",
    "dijadwalkan": "Dijadwalkan",
    "sudah_rekam": "Sudah rekam",
    "ditolak": "Ditolak",
    "duplikat": "Duplikat",
    "tidak_hadir": "Tidak hadir",
}

# Staff moves. The coordinator's only moves are draft → diterima (submit) and
# perlu_perbaikan → diterima (resubmit after a correction).
TRANSITIONS = {
    "diterima": {"diverifikasi", "perlu_perbaikan", "ditolak", "duplikat"},
    "diverifikasi": {"dijadwalkan", "perlu_perbaikan", "ditolak", "duplikat", "sudah_rekam"},
    "dijadwalkan": {"sudah_rekam", "tidak_hadir", "dijadwalkan", "ditolak", "diverifikasi"},
    "tidak_hadir": {"dijadwalkan", "sudah_rekam", "ditolak"},
    "perlu_perbaikan": {"ditolak", "duplikat"},
    "sudah_rekam": set(),
    "ditolak": {"diterima"},
    "duplikat": {"diterima"},
}
FINAL_STATUSES = frozenset({"sudah_rekam", "ditolak", "duplikat"})

# Resident.married, as the coordinator's checkbox puts it.
MARRIED_LABELS = {True: "Sudah kawin atau pernah kawin", False: "Belum kawin"}

REJECT_REASONS = {
    "sudah_rekam": "Sudah rekam",
    "di_luar_wilayah": "Di luar wilayah",
    "meninggal": "Meninggal",
    "pindah": "Pindah",
    "data_tidak_valid": "Data tidak valid",
    "lainnya": "Lainnya",
}

WARNING_FLAGS = {
    "warn_nik": "NIK tidak cocok",
    "warn_duplicate": "Kemungkinan duplikat",
    "warn_under_age": "Belum cukup umur",
}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())
