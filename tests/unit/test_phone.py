import pytest

from portal.rules.phone import PhoneError, format_phone_national, mask_phone, normalise_phone


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "(0812) 3456-7890",
        "6281234567890",
        "62 812 3456 7890",
        "+6281234567890",
        "+62 812-3456-7890",
        "+62 0812 3456 7890",  # the trunk 0 people keep after +62
        "81234567890",
        " 0812 3456 7890 ",
    ],
)
def test_formats_people_type(raw):
    assert normalise_phone(raw) == "+6281234567890"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0857-1234-5678", "+6285712345678"),
        ("0895-1234-5678", "+6289512345678"),
        ("0811-234-567", "+62811234567"),
    ],
)
def test_other_operators(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Masukkan nomor HP"),
        ("   ", "Masukkan nomor HP"),
        ("08l2-3456-7890", "hanya boleh berisi angka"),
        ("telp 0812 3456 7890", "hanya boleh berisi angka"),
        ("0812-3456-7890 / 0813-1111-2222", "hanya boleh berisi angka"),
        ("0812", "tidak valid"),
        ("+628", "tidak valid"),
        ("08123456789012", "tidak valid"),
        ("+", "tidak valid"),
        ("+44 7911 123456", "Indonesia"),
        ("+1 202 555 0123", "Indonesia"),
    ],
)
def test_invalid_numbers(raw, message):
    with pytest.raises(PhoneError, match=message) as excinfo:
        normalise_phone(raw)
    assert str(excinfo.value) == excinfo.value.message


def test_landline_is_refused_unless_allowed():
    with pytest.raises(PhoneError, match="seluler"):
        normalise_phone("(0321) 321234")
    assert normalise_phone("(0321) 321234", mobile_only=False) == "+62321321234"


def test_format_phone_national():
    assert format_phone_national("+6281234567890") == "0812-3456-7890"
    with pytest.raises(PhoneError):
        format_phone_national("12")


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("+6281234567890", "+62812•••••890"),
        ("0812-3456-7890", "+62812•••••890"),
        ("+62321321234", "+62321•••234"),
        ("", ""),
        ("0812", "••••••••••"),
        ("+44 7911 123456", "••••••••••"),
        ("nomor saya 0812 3456 7890", "••••••••••"),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


def test_mask_hides_the_middle_digits():
    masked = mask_phone("+6281234567890")
    assert "34567" not in masked
    assert sum(c.isdigit() for c in masked) == 8
