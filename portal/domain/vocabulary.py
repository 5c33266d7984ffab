"""Every code the portal stores with the words, tones and groups shown for it.

The one place both areas read: a coordinator's status line, the staff queue, the dashboard,
the public pages and the seed file must never disagree about what a code means. Templates
reach these through the ``label``/``tone`` filters (``portal.web.filters``).
"""

from __future__ import annotations

from types import MappingProxyType

# --- Residents ----------------------------------------------------------------------------

CATEGORIES = MappingProxyType(
    {
        "pemula": "Pemula 16–17 tahun",
        "dewasa": "Belum rekam (dewasa)",
        "lansia": "Lansia",
        "disabilitas": "Disabilitas/sakit — perlu kunjungan rumah",
        "luar_kota": "Sekolah/kerja di luar kota",
        "lainnya": "Lainnya",
    }
)
# Categories whose residents cannot come to a session: staff plan a home visit.
HOME_VISIT_CATEGORIES = frozenset({"disabilitas"})
HOME_VISIT_TAG = "Kunjungan rumah"

STATUSES = MappingProxyType(
    {
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
)
# The tag colour of a status, the same for coordinators and staff.
STATUS_TONES = MappingProxyType(
    {
        "draft": "",
        "diterima": "",
        "diverifikasi": "ok",
        "perlu_perbaikan": "warn",
        "dijadwalkan": "ok",
        "sudah_rekam": "ok",
        "ditolak": "error",
        "duplikat": "error",
        "tidak_hadir": "warn",
    }
)

# Staff moves. The coordinator's only moves are draft → diterima (submit) and
# perlu_perbaikan → diterima (resubmit after a correction).
TRANSITIONS = MappingProxyType(
    {
        "diterima": frozenset({"diverifikasi", "perlu_perbaikan", "ditolak", "duplikat"}),
        "diverifikasi": frozenset(
            {"dijadwalkan", "perlu_perbaikan", "ditolak", "duplikat", "sudah_rekam"}
        ),
        "dijadwalkan": frozenset(
            {"sudah_rekam", "tidak_hadir", "dijadwalkan", "ditolak", "diverifikasi"}
        ),
        "tidak_hadir": frozenset({"dijadwalkan", "sudah_rekam", "ditolak"}),
        "perlu_perbaikan": frozenset({"ditolak", "duplikat"}),
        "sudah_rekam": frozenset(),
        "ditolak": frozenset({"diterima"}),
        "duplikat": frozenset({"diterima"}),
    }
)
FINAL_STATUSES = frozenset({"sudah_rekam", "ditolak", "duplikat"})
# Statuses a coordinator may still edit.
EDITABLE_STATUSES = frozenset({"draft", "perlu_perbaikan"})
SCHEDULABLE_STATUSES = frozenset(s for s, moves in TRANSITIONS.items() if "dijadwalkan" in moves)

# The road a resident travels; a coordinator's status line marks how far along they are.
STEPS = ("diterima", "diverifikasi", "dijadwalkan", "sudah_rekam")
# Counts on a coordinator's list page, in the order a coordinator cares about.
COUNT_ORDER = (
    "perlu_perbaikan",
    "diterima",
    "diverifikasi",
    "dijadwalkan",
    "tidak_hadir",
    "sudah_rekam",
    "ditolak",
    "duplikat",
    "draft",
)

# Groups of statuses that the dashboards and the public progress page count.
SUBMITTED = frozenset(STATUSES) - {"draft"}
NOT_YET_CHECKED = frozenset({"diterima", "perlu_perbaikan"})
WAITING_FOR_SESSION = frozenset({"diverifikasi", "tidak_hadir"})
VERIFIED = frozenset({"diverifikasi", "dijadwalkan", "tidak_hadir", "sudah_rekam"})
SCHEDULED = frozenset({"dijadwalkan"})
RECORDED = frozenset({"sudah_rekam"})
REJECTED = frozenset({"ditolak", "duplikat"})

REJECT_REASONS = MappingProxyType(
    {
        "sudah_rekam": "Sudah rekam",
        "di_luar_wilayah": "Di luar wilayah",
        "meninggal": "Meninggal",
        "pindah": "Pindah",
        "data_tidak_valid": "Data tidak valid",
        "lainnya": "Lainnya",
    }
)
WARNING_FLAGS = MappingProxyType(
    {
        "warn_nik": "NIK tidak cocok",
        "warn_duplicate": "Kemungkinan duplikat",
        "warn_under_age": "Belum cukup umur",
    }
)
SEX_LABELS = MappingProxyType({"L": "Laki-laki", "P": "Perempuan"})
# Resident.married, as the coordinator's checkbox puts it.
MARRIED_LABELS = MappingProxyType({True: "Sudah kawin atau pernah kawin", False: "Belum kawin"})

# What a resident's history (resident_event.action) says.
EVENT_LABELS = MappingProxyType(
    {
        "status": "Status diubah",
        "assigned": "Diambil petugas",
        "released": "Dilepas petugas",
        "not_duplicate": "Dinyatakan bukan duplikat",
        "note": "Catatan ditambahkan",
    }
)

LIST_STATES = ("draft", "submitted", "withdrawn")


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


# --- Places, sessions and public content ---------------------------------------------------

SESSION_KINDS = MappingProxyType(
    {
        "sekolah": "Sekolah",
        "kelurahan": "Kelurahan/desa",
        "kecamatan": "Kecamatan",
        "kunjungan_rumah": HOME_VISIT_TAG,
        "kantor": "Kantor",
    }
)
LOCATION_KINDS = MappingProxyType(
    {
        "mpp": "Mal Pelayanan Publik",
        "dinas": "Kantor Dispendukcapil",
        "kantor_kecamatan": "Kantor kecamatan",
        "kantor_kelurahan": "Kantor kelurahan/desa",
        "sekolah": "Sekolah",
    }
)
# The order locations are listed in: offices first, schools last.
LOCATION_KIND_ORDER = MappingProxyType({kind: n for n, kind in enumerate(LOCATION_KINDS)})
SERVICES = MappingProxyType(
    {
        "perekaman": "Perekaman KTP-el",
        "pencetakan": "Pencetakan KTP-el",
        "aktivasi_ikd": "Aktivasi IKD (KTP digital)",
        "adminduk_lain": "Layanan kependudukan lain",
    }
)
REQUIREMENT_TOPICS = MappingProxyType(
    {
        "wajib": "Siapa wajib rekam",
        "usia": "Batas usia",
        "dokumen": "Dokumen yang dibawa",
        "biaya": "Biaya",
        "proses": "Proses",
        "perbedaan": "Perbedaan layanan",
        "ikd": "IKD",
        "risiko": "Risiko",
        "lokasi": "Lokasi",
    }
)
VILLAGE_KINDS = MappingProxyType({"kelurahan": "Kelurahan", "desa": "Desa"})

# --- Accounts -------------------------------------------------------------------------------

ROLES = MappingProxyType({"admin": "Admin", "staff": "Petugas", "coordinator": "Koordinator"})
COORDINATOR_TITLES = MappingProxyType(
    {
        "ketua_rt": "Ketua RT",
        "ketua_rw": "Ketua RW",
        "kader_pkk": "Kader PKK",
        "operator_sekolah": "Operator sekolah",
    }
)

# An account's state, as the account listings filter and tag it (derived from ``active``
# and whether a password was set; not stored).
ACCOUNT_STATES = MappingProxyType(
    {"aktif": "Aktif", "menunggu": "Menunggu aktivasi", "nonaktif": "Nonaktif"}
)
ACCOUNT_STATE_TONES = MappingProxyType({"aktif": "ok", "menunggu": "warn", "nonaktif": "error"})

# What the audit log's actions say. Actions of other areas without words here are shown as
# recorded.
AUDIT_ACTIONS = MappingProxyType(
    {
        "login.success": "Masuk",
        "login.failed": "Gagal masuk",
        "login.throttled": "Masuk ditahan: terlalu banyak percobaan",
        "logout": "Keluar",
        "account.created": "Akun dibuat",
        "account.activated": "Akun diaktifkan (kata sandi dibuat)",
        "account.password_reset": "Kata sandi dibuat ulang lewat tautan",
        "account.password_changed": "Kata sandi diganti",
        "account.reset": "Tautan atur ulang dibuat",
        "account.link_reissued": "Tautan aktivasi dibuat ulang",
        "account.deactivated": "Akun dinonaktifkan",
        "account.reactivated": "Akun diaktifkan kembali",
        "account.scope_changed": "Wilayah/jabatan diubah",
        "account.role_changed": "Peran/kantor/wilayah diubah",
        "totp.enabled": "Verifikasi dua langkah dipasang",
        "totp.disabled": "Verifikasi dua langkah dimatikan",
        "totp.recovery_code_used": "Kode pemulihan dipakai",
        "totp.recovery_codes_renewed": "Kode pemulihan dibuat baru",
        "sessions.ended_elsewhere": "Perangkat lain dikeluarkan",
    }
)

# Every code family of the areas before the drive; ``FAMILIES`` (below) adds the drive's.
CORE_FAMILIES = MappingProxyType(
    {
        "status": STATUSES,
        "category": CATEGORIES,
        "reject_reason": REJECT_REASONS,
        "warning": WARNING_FLAGS,
        "sex": SEX_LABELS,
        "event": EVENT_LABELS,
        "session_kind": SESSION_KINDS,
        "location_kind": LOCATION_KINDS,
        "service": SERVICES,
        "topic": REQUIREMENT_TOPICS,
        "village_kind": VILLAGE_KINDS,
        "role": ROLES,
        "title": COORDINATOR_TITLES,
        "account_state": ACCOUNT_STATES,
        "audit_action": AUDIT_ACTIONS,
    }
)


def label(family: str, code: object) -> str:
    """The words for ``code`` in ``family``; the code itself when it has none (an old value
    shown as stored rather than hidden)."""
    words = FAMILIES[family].get(code)
    return words if words is not None else ("" if code is None else str(code))


# --- The drive (issue 12): office lists, after recording, blank cards ------------------------
# Registered in ``FAMILIES`` and ``TONES`` at the end of this module.

# What a coordinator found out about someone on the office's "belum rekam" list.
OFFICE_OUTCOMES = MappingProxyType(
    {
        "tinggal": "Masih tinggal di sini",
        "pindah": "Sudah pindah",
        "meninggal": "Meninggal",
        "tidak_dikenal": "Tidak dikenal",
        "rumah_kosong": "Rumah kosong",
        "sudah_rekam": "Sudah rekam",
    }
)
OFFICE_OUTCOME_TONES = MappingProxyType(
    {
        "tinggal": "ok",
        "pindah": "warn",
        "meninggal": "",
        "tidak_dikenal": "warn",
        "rumah_kosong": "warn",
        "sudah_rekam": "ok",
    }
)
OFFICE_OUTCOME_UNCHECKED = "Belum dicek"
# What the optional detail field asks for, per outcome ("" = no detail field).
OFFICE_OUTCOME_DETAILS = MappingProxyType(
    {
        "tinggal": "",
        "pindah": "Pindah ke mana (jika tahu)",
        "meninggal": "",
        "tidak_dikenal": "",
        "rumah_kosong": "",
        "sudah_rekam": "Rekam di mana dan kapan (jika tahu)",
    }
)
# Outcomes that are reports for the office's own records: the portal records them and
# changes no civil record. "tinggal" instead makes the person a resident of a list.
OFFICE_REPORT_OUTCOMES = frozenset(OFFICE_OUTCOMES) - {"tinggal"}

# Where an office import stands; the page a worker's progress shows.
OFFICE_IMPORT_STATES = MappingProxyType(
    {
        "uploaded": "Menunggu dibaca",
        "parsing": "Sedang dibaca",
        "parsed": "Siap diperiksa",
        "applying": "Sedang disimpan",
        "applied": "Selesai",
        "failed": "Gagal dibaca",
        "cancelled": "Dibatalkan",
    }
)
OFFICE_IMPORT_STATE_TONES = MappingProxyType(
    {
        "uploaded": "",
        "parsing": "",
        "parsed": "warn",
        "applying": "",
        "applied": "ok",
        "failed": "error",
        "cancelled": "",
    }
)
# How a row of a re-import compares with what the portal already holds; "hilang" is a
# person the new export no longer lists.
OFFICE_IMPORT_CHANGES = MappingProxyType(
    {
        "baru": "Baru",
        "berubah": "Data berubah",
        "tetap": "Tetap",
        "hilang": "Tidak ada lagi di data kantor",
        "galat": "Perlu diperbaiki",
    }
)
OFFICE_IMPORT_CHANGE_TONES = MappingProxyType(
    {"baru": "ok", "berubah": "warn", "tetap": "", "hilang": "", "galat": "error"}
)

# After recording: the card. IKD (digital ID) is a separate yes/no beside it.
CARD_STATES = MappingProxyType(
    {
        "menunggu_cetak": "Menunggu cetak",
        "dicetak": "KTP-el dicetak",
        "diambil": "Sudah diambil",
        "suket": "Suket diterbitkan",
    }
)
# A Suket stands in until a blank is available; a printed card is collected in person.
CARD_TRANSITIONS = MappingProxyType(
    {
        "menunggu_cetak": frozenset({"dicetak", "suket"}),
        "suket": frozenset({"dicetak"}),
        "dicetak": frozenset({"diambil"}),
        "diambil": frozenset(),
    }
)
CARD_FIRST_STATE = "menunggu_cetak"
CARD_STATE_TONES = MappingProxyType(
    {"menunggu_cetak": "warn", "dicetak": "ok", "diambil": "ok", "suket": "warn"}
)
# Moves that use one blank card from the office's stock.
CARD_PRINTS = frozenset({"dicetak"})
IKD_LABELS = MappingProxyType({True: "IKD diaktifkan", False: "IKD belum diaktifkan"})
IKD_TONES = MappingProxyType({True: "ok", False: ""})

# Blank-card stock movements.
STOCK_KINDS = MappingProxyType(
    {
        "masuk": "Kiriman blangko masuk",
        "cetak": "Dipakai mencetak KTP-el",
        "rusak": "Blangko rusak atau gagal cetak",
        "koreksi": "Koreksi hitungan",
    }
)
STOCK_KIND_TONES = MappingProxyType({"masuk": "ok", "cetak": "", "rusak": "warn", "koreksi": ""})
# Kinds that use blanks up: the print rate counts them.
STOCK_USES = frozenset({"cetak", "rusak"})

DRIVE_FAMILIES = MappingProxyType(
    {
        "outcome": OFFICE_OUTCOMES,
        "import_state": OFFICE_IMPORT_STATES,
        "import_change": OFFICE_IMPORT_CHANGES,
        "card_state": CARD_STATES,
        "ikd": IKD_LABELS,
        "stock_kind": STOCK_KINDS,
    }
)
DRIVE_TONES = MappingProxyType(
    {
        "outcome": OFFICE_OUTCOME_TONES,
        "import_state": OFFICE_IMPORT_STATE_TONES,
        "import_change": OFFICE_IMPORT_CHANGE_TONES,
        "card_state": CARD_STATE_TONES,
        "ikd": IKD_TONES,
        "stock_kind": STOCK_KIND_TONES,
    }
)

# Every code family by the name templates use with the ``label`` filter, and the tag colour
# of each code of the families that have one (the ``tone`` filter).
FAMILIES = MappingProxyType({**CORE_FAMILIES, **DRIVE_FAMILIES})
TONES = MappingProxyType(
    {"status": STATUS_TONES, "account_state": ACCOUNT_STATE_TONES, **DRIVE_TONES}
)


def tone(family: str, code: object) -> str:
    """The tag colour of ``code`` in ``family``; "" when it has none."""
    return TONES.get(family, {}).get(code, "")  # type: ignore[call-overload]
