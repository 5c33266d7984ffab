"""After recording: which moves of a resident's KTP-el are allowed, and from when.

menunggu cetak → KTP-el dicetak → sudah diambil; or menunggu cetak → Suket diterbitkan while
there is no blank, then → dicetak once there is (``vocabulary.CARD_TRANSITIONS``). IKD
activation is a separate yes/no beside these and needs only the recording.

- Printing: only at 17 or once married or ever married (UU 23/2006 jo. UU 24/2013 Pasal 63;
  Dukcapil refused to print earlier even for first-time voters, domain.md §3.2). Someone
  recorded at 16 waits as "menunggu cetak" until their 17th birthday ("print ready record").
- Printing uses one blank from the office's stock (``portal.rules.stock``).
- Collecting: by the person in person only; the officer confirms they saw them.
"""

from __future__ import annotations

from datetime import date

from portal.domain.vocabulary import CARD_FIRST_STATE, CARD_PRINTS, CARD_STATES, CARD_TRANSITIONS
from portal.rules.ages import add_years
from portal.rules.dates import format_date_id
from portal.rules.errors import RuleError

PRINT_AGE_YEARS = 17
IN_PERSON_ONLY = (
    "KTP-el hanya boleh diambil oleh pemiliknya sendiri: centang bahwa warga datang sendiri"
)


class CardRuleError(RuleError):
    """A move that is not allowed; ``message`` is ready to show."""


def print_from(birth_date: date | None, married: bool) -> date | None:
    """The first day the card may be printed; None when it may be printed now whatever
    the day (married or ever married, or no birth date known to wait for)."""
    if married or birth_date is None:
        return None
    return add_years(birth_date, PRINT_AGE_YEARS)


def uses_blank(target: str) -> bool:
    return target in CARD_PRINTS


def check_move(
    current: str | None,
    target: str,
    *,
    birth_date: date | None,
    married: bool,
    in_person: bool,
    today: date,
) -> None:
    """Raise ``CardRuleError`` unless ``current`` → ``target`` may happen today. A resident
    with no card state yet (``None``) stands at the first state."""
    state = current or CARD_FIRST_STATE
    if target not in CARD_STATES:
        raise CardRuleError("Pilih keadaan KTP-el")
    if target not in CARD_TRANSITIONS.get(state, frozenset()):
        raise CardRuleError(
            f"KTP-el yang {CARD_STATES[state].lower()} tidak bisa ditandai “{CARD_STATES[target]}”"
        )
    if target == "dicetak" and (first := print_from(birth_date, married)) and today < first:
        raise CardRuleError(
            "Belum 17 tahun: KTP-el baru bisa dicetak mulai "
            f"{format_date_id(first)}, atau lebih awal jika sudah menikah"
        )
    if target == "diambil" and not in_person:
        raise CardRuleError(IN_PERSON_ONLY)


def ikd_problem(recorded: bool) -> str | None:
    """IKD can be activated once the person has recorded (a card is not needed)."""
    return None if recorded else "IKD baru bisa diaktifkan setelah warga rekam KTP-el"


UNDO_REASON_MAX = 300


def check_undo(current: str | None, reason: str) -> None:
    """A print recorded by mistake (the wrong resident ticked, a card not actually printed)
    is taken back with the officer's reason; a collected card cannot be."""
    if current != "dicetak":
        raise CardRuleError("Hanya KTP-el yang berstatus “KTP-el dicetak” yang bisa dibatalkan")
    if not reason.strip():
        raise CardRuleError("Tulis alasan pembatalan cetak")
    if len(reason) > UNDO_REASON_MAX:
        raise CardRuleError(f"Alasan paling banyak {UNDO_REASON_MAX} karakter")


def after_undo(suket_issued: bool) -> str:
    """Where a card goes back to when its print is taken back: a Suket already issued still
    stands in for it."""
    return "suket" if suket_issued else CARD_FIRST_STATE


def card_news(state: str | None, pickup_place: str, ikd_active: bool) -> list[str]:
    """What a coordinator (and through them the resident) is told after recording, in the
    order they act on it: the card, then IKD. Empty for a resident with no card state
    (recorded before after-recording states existed)."""
    if state is None:
        return []
    place = pickup_place.strip()
    news = {
        "menunggu_cetak": "KTP-el menunggu dicetak",
        "dicetak": f"KTP-el siap diambil di {place}" if place else "KTP-el siap diambil",
        "diambil": "KTP-el sudah diambil",
        "suket": "Suket diterbitkan (pengganti sementara sampai KTP-el dicetak)",
    }
    parts = [news[state]] if state in news else []
    if ikd_active:
        parts.append("IKD aktif")
    return parts
