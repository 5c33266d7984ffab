import pytest

from portal.rules.passwords import (
    COMMON_PASSWORDS_PATH,
    MAX_LENGTH,
    common_passwords,
    password_problems,
)

PASSPHRASE = "kuda lumping menari di alun-alun"


def test_common_password_file_is_10000_lowercase_lines():
    lines = COMMON_PASSWORDS_PATH.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10_000
    assert len(set(lines)) == 10_000
    assert all(line and line == line.lower() and line == line.strip() for line in lines)
    assert lines[:3] == ["123456", "password", "12345678"]


def test_common_passwords_loaded_once():
    assert common_passwords() is common_passwords()
    assert "iloveyou" in common_passwords()


def test_long_passphrase_is_fine():
    assert password_problems(PASSPHRASE) == []
    assert password_problems(PASSPHRASE, username="budi.santoso", extra_words=["Wates"]) == []


def test_empty():
    assert password_problems("") == ["Masukkan kata sandi"]


@pytest.mark.parametrize("password", ["a", "kuda lumpin", "x" * 11])
def test_too_short(password):
    problems = password_problems(password)
    assert problems[0] == (
        f"Kata sandi minimal 12 karakter; Anda mengetik {len(password)} karakter"
    )


def test_exactly_12_and_exactly_256_are_allowed():
    assert password_problems("kuda lumping") == []
    assert password_problems(("kuda lumping menari " * 13)[:MAX_LENGTH]) == []


def test_too_long_stops_early():
    assert password_problems("a" * (MAX_LENGTH + 1)) == ["Kata sandi paling banyak 256 karakter"]


def test_no_composition_rules():
    assert password_problems("semua huruf kecil tanpa angka") == []
    assert password_problems("ALLCAPSBUTLONGENOUGH") == []


@pytest.mark.parametrize(
    "password", ["123qweasdzxc", "Q1W2E3R4T5Y6", "1qaz2wsx3edc", "LEAVEMEALONE", "SonyEricsson"]
)
def test_common_passwords_are_refused_case_insensitively(password):
    assert password.lower() in common_passwords()
    problems = password_problems(password)
    assert len(problems) == 1
    assert "10.000 kata sandi yang paling sering dipakai" in problems[0]


def test_short_common_password_gets_both_problems():
    problems = password_problems("password")
    assert len(problems) == 2
    assert "minimal 12" in problems[0]
    assert "paling sering dipakai" in problems[1]


@pytest.mark.parametrize("password", ["iloveyou2024!!", "Sunshine12345", "!!monkey!!2024"])
def test_common_password_with_digits_added_is_refused(password):
    problems = password_problems(password)
    assert len(problems) == 1
    assert "ditambah angka atau tanda baca" in problems[0]


def test_common_word_with_a_long_random_number_is_fine():
    assert password_problems("sunshine-48219735") == []


@pytest.mark.parametrize(
    "password",
    [
        "budisantoso2024!",
        "BudiSantoso!!!!",
        "budi.santoso@mail",  # "mail" leaves only 4 letters
        "osotnasidub2024",  # reversed
        "budi.santoso.1234567",
        "budi santoso 1",
    ],
)
def test_built_from_username_is_refused(password):
    problems = password_problems(password, username="budi.santoso@example.com")
    assert any("nama pengguna" in p for p in problems), problems


def test_username_plus_enough_other_words_is_fine():
    assert password_problems("budi suka naik sepeda", username="budi.santoso") == []
    assert password_problems("budisantoso-naik-sepeda", username="budi.santoso") == []


@pytest.mark.parametrize(
    "password",
    [
        "mojokerto2024!",
        "Mojokerto123456",
        "M0j0kert0-2024!",  # look-alike digits
        "otrekojom!!2024",  # reversed
        "dukcapil-mojokerto",
        "ektp-rekam-portal",
        "DISPENDUKCAPIL1",
        "ktpktpktpktp",
    ],
)
def test_built_from_local_words_is_refused(password):
    problems = password_problems(password)
    assert len(problems) == 1, problems
    assert "terlalu mudah ditebak" in problems[0]


def test_local_word_message_names_only_the_whole_word():
    problems = password_problems("gununggedangan123", extra_words=["Gunung Gedangan"])
    assert problems == [
        'Kata sandi terlalu mudah ditebak karena dibuat dari "gununggedangan". Tambahkan kata '
        "lain yang tidak berhubungan dengan kantor atau wilayah"
    ]


@pytest.mark.parametrize("password", ["Prajuritkulon2024", "prajurit kulon 99", "Wates-Wates-2025"])
def test_extra_words_such_as_kelurahan_names(password):
    kelurahan = ["Prajurit Kulon", "Wates", "Gununggedangan"]
    assert password_problems(password, extra_words=kelurahan)
    assert password_problems(password) == []


def test_local_word_inside_a_real_passphrase_is_fine():
    assert password_problems("kota mojokerto punya onde-onde enak") == []
    assert password_problems("mojokerto48219735") == []  # 8 random digits are real entropy


@pytest.mark.parametrize("digits", ["2024", "123456", "999999", "654321", "121212", "20242024"])
def test_trivial_digits_do_not_count_as_leftover(digits):
    assert password_problems(f"mojokerto{digits}")


def test_short_username_is_ignored():
    assert password_problems("al dan kawan kawan", username="al") == []


async def test_hashing_runs_on_one_thread_nicer_than_the_event_loop():
    import asyncio
    import os
    import threading

    from portal.auth import passwords

    stored = await passwords.hash_password(PASSPHRASE)
    assert await passwords.verify_password(stored, PASSPHRASE)
    assert not await passwords.verify_password(stored, PASSPHRASE + "!")

    def where() -> tuple[int, int]:
        tid = threading.get_native_id()
        return tid, os.getpriority(os.PRIO_PROCESS, tid)

    loop = asyncio.get_running_loop()
    seen = {await loop.run_in_executor(passwords._HASHING, where) for _ in range(3)}
    assert len(seen) == 1  # one hashing thread: sign-ins queue instead of taking every core
    (_, thread_nice), loop_nice = seen.pop(), os.getpriority(os.PRIO_PROCESS, 0)
    assert thread_nice == min(19, loop_nice + passwords.HASHING_NICENESS)
