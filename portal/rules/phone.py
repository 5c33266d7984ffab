"""Indonesian phone numbers: E.164 for storage and messaging, national format and masks for
display. Parsing and validity come from `phonenumbers` (libphonenumber metadata)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from portal.rules.errors import RuleError

DEFAULT_REGION = "ID"
INDONESIA_COUNTRY_CODE = 62
MASK_CHAR = "•"

# Refuse letters up front: libphonenumber would otherwise read "0812-FLOWERS" as keypad
# digits or pick a number out of free text ("telp 0812...", "0812... / 0813...").
_ALLOWED = re.compile(r"[0-9+\-.()\s]+")
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_INVALID = "Nomor HP tidak valid. Tulis seperti 0812-3456-7890"


class PhoneError(RuleError):
    """Not a phone number the portal can call or text."""


def _parse(raw: str) -> phonenumbers.PhoneNumber:
    text = (raw or "").strip()
    if not text:
        raise PhoneError("Masukkan nomor HP")
    if not _ALLOWED.fullmatch(text):
        raise PhoneError("Nomor HP hanya boleh berisi angka, spasi, tanda +, - atau ( )")
    try:
        # Region ID makes "0812…", "812…" and "62812…" all read as +62 812….
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except NumberParseException:
        raise PhoneError(_INVALID) from None
    if number.country_code != INDONESIA_COUNTRY_CODE:
        raise PhoneError("Gunakan nomor HP Indonesia (+62), misalnya 0812-3456-7890")
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(_INVALID)
    return number


def normalise_phone(raw: str, *, mobile_only: bool = True) -> str:
    """E.164 ("+6281234567890"). Mobile only by default because the portal reaches people by
    SMS/WhatsApp, which a landline cannot receive."""
    number = _parse(raw)
    if mobile_only and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise PhoneError("Masukkan nomor HP (seluler), bukan nomor telepon rumah atau kantor")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def format_phone_national(value: str) -> str:
    """ "0812-3456-7890" for display; raises PhoneError like `normalise_phone`."""
    return phonenumbers.format_number(_parse(value), PhoneNumberFormat.NATIONAL)


def mask_phone(value: str) -> str:
    """Keep "+62" with the 3-digit operator/area prefix and the last 3 digits; anything that
    is not a valid Indonesian number is fully masked, so nothing leaks."""
    if not value:
        return ""
    try:
        e164 = phonenumbers.format_number(_parse(value), PhoneNumberFormat.E164)
    except PhoneError:
        return MASK_CHAR * 10
    return e164[:6] + MASK_CHAR * (len(e164) - 9) + e164[-3:]
