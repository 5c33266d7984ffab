"""Password rules in the spirit of NIST SP 800-63B: length and a block-list of guessable
passwords, no composition rules (those push people to "Mojokerto2024!")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import pairwise
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256
# What must be left once the guessable words and trivial digits/symbols are taken out.
MIN_LEFTOVER = 8
MIN_WORD_LENGTH = 3

COMMON_PASSWORDS_PATH = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"

# The first words an attacker tries against a Mojokerto Dukcapil portal.
LOCAL_WORDS = frozenset(
    {"mojokerto", "dukcapil", "dispendukcapil", "ktp", "ektp", "portal", "rekam"}
)

# One character for one character, so positions found in the translated text still point
# at the same characters of the original. "1" is read as both "i" and "l".
_LEET_TABLES = (
    str.maketrans("013457@$!", "oieastasi"),
    str.maketrans("013457@$!|", "oleastasil"),
)
_EDGE_NON_LETTERS = re.compile(r"^[^a-z]+|[^a-z]+$")
_DIGIT_RUN = re.compile(r"[0-9]+")


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS_PATH.read_text(encoding="utf-8").splitlines())


def password_problems(
    password: str, *, username: str = "", extra_words: Iterable[str] = ()
) -> list[str]:
    """Everything wrong with `password`, most important first (a form shows the first one).
    An empty list means it is acceptable."""
    if not password:
        return ["Masukkan kata sandi"]
    if len(password) > MAX_LENGTH:
        # Stop here: no need to scan a megabyte someone pasted.
        return [f"Kata sandi paling banyak {MAX_LENGTH} karakter"]
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(
            f"Kata sandi minimal {MIN_LENGTH} karakter; Anda mengetik {len(password)} karakter"
        )
    lower = _lower_same_length(password)
    # "iloveyou2024!!": a common password with a year or symbols stuck on the ends.
    core = _EDGE_NON_LETTERS.sub("", lower)
    if lower in common_passwords():
        problems.append(
            "Kata sandi ini termasuk 10.000 kata sandi yang paling sering dipakai, jadi mudah "
            "ditebak. Pilih yang lain, misalnya gabungan 3 atau 4 kata acak"
        )
    elif core in common_passwords() and _leftover_length(lower, {core}) < MIN_LEFTOVER:
        problems.append(
            f'Kata sandi ini hanya "{core}" ditambah angka atau tanda baca, dan "{core}" '
            "termasuk kata sandi yang paling sering dipakai. Pilih yang lain, misalnya "
            "gabungan 3 atau 4 kata acak"
        )
    user_words = _username_words(username)
    local_words = LOCAL_WORDS | _extra_words(extra_words)
    found = _found_words(lower, user_words | local_words)
    if found and _leftover_length(lower, found) < MIN_LEFTOVER:
        if found & user_words:
            problems.append(
                "Kata sandi tidak boleh dibuat dari nama pengguna Anda. Tambahkan kata lain "
                "yang tidak berhubungan dengan nama pengguna"
            )
        else:
            named = ", ".join(f'"{w}"' for w in _outermost(found & local_words)[:3])
            problems.append(
                f"Kata sandi terlalu mudah ditebak karena dibuat dari {named}. Tambahkan "
                "kata lain yang tidak berhubungan dengan kantor atau wilayah"
            )
    return problems


def _lower_same_length(text: str) -> str:
    # str.lower() can lengthen a few characters ("İ" -> "i̇"), which would shift positions.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _username_words(username: str) -> set[str]:
    name = username.strip().lower()
    local_part = name.split("@", 1)[0]
    words = {name, local_part, *re.split(r"[^a-z0-9]+", local_part)}
    return {w for w in words if len(w) >= MIN_WORD_LENGTH}


def _extra_words(extra_words: Iterable[str]) -> set[str]:
    # Kelurahan names come spaced or not ("Gunung Gedangan" / "Gununggedangan").
    words = set()
    for word in extra_words:
        lower = word.strip().lower()
        words |= {lower, re.sub(r"[^a-z0-9]+", "", lower), *re.split(r"[^a-z0-9]+", lower)}
    return {w for w in words if len(w) >= MIN_WORD_LENGTH}


def _variants(lower: str) -> set[str]:
    return {lower, *(lower.translate(table) for table in _LEET_TABLES)}


def _found_words(lower: str, words: Iterable[str]) -> set[str]:
    variants = _variants(lower)
    return {
        w
        for w in words
        if len(w) >= MIN_WORD_LENGTH and any(w in v or w[::-1] in v for v in variants)
    }


def _outermost(words: set[str]) -> list[str]:
    # Name "gununggedangan", not also the "gunung" and "gedangan" inside it.
    return sorted(w for w in words if not any(w != other and w in other for other in words))


def _leftover_length(lower: str, words: Iterable[str]) -> int:
    """Characters left once every occurrence of `words` (also reversed, also written with
    digit look-alikes) and the trivial digits and symbols around them are removed."""
    covered = [False] * len(lower)
    for variant in _variants(lower):
        for word in words:
            for needle in {word, word[::-1]}:
                start = variant.find(needle)
                while start != -1:
                    covered[start : start + len(needle)] = [True] * len(needle)
                    start = variant.find(needle, start + 1)
    rest = "".join(" " if hit else c for c, hit in zip(lower, covered, strict=True))
    letters = sum(c.isalpha() for c in rest)
    digits = sum(len(run) for run in _DIGIT_RUN.findall(rest) if not _is_trivial_digits(run))
    return letters + digits


def _is_trivial_digits(run: str) -> bool:
    """Years, short numbers, repeats and counting runs: "2024", "123", "777777", "98765",
    "121212". A longer random number is real entropy and is kept."""
    if len(run) <= 4 or len(set(run)) == 1:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(run)}
    if steps in ({1}, {9}):
        return True
    return any(
        len(run) % size == 0 and run == run[:size] * (len(run) // size) for size in range(1, 5)
    )
