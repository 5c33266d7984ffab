"""Whether two Indonesian names are probably the same name written differently.

RT volunteers type names from a KK, an old KTP or memory, so one person arrives as
"Mochammad Rizky", "Muhamad Rizki" or "M. Rizky". Names are turned into spelling tokens
(old Van Ophuijsen spellings folded into the modern ones, doubled letters and common
abbreviations folded), then compared token by token with at most one typo per long token.

Some spellings cannot be folded one way: an initial "ch" is the old way of writing "kh"
(Chairul / Khairul) but also the plain "c" of names such as Chandra / Candra. Such a name has
more than one *reading*, and two names are similar when any reading of one is similar to any
reading of the other.

Titles are not part of the name: "Hj. Siti Aminah", "Drs. Budi Santoso, M.Pd." and "Siti
Aminah" / "Budi Santoso" are read alike. A title is taken off only where it cannot be a
name part: honorifics and religious or academic titles at the start (H., Hj., KH, Dr., Drs.,
Dra., Ir., Prof. ...), degrees after a comma, and degrees at the end only when written with
a dot (S.Pd., A.Md.), since an undotted "SE" or "ST" at the end may be a name or initials.
Even so "H." may be a first initial and "Dra" a name, so a name with titles is also read as
written: taking titles off only ever adds a match, and the last name word is never taken.

This only *suggests*: a match becomes a warning that staff confirm or dismiss, so it leans
towards flagging spelling variants while refusing names that are merely alike
("Budi Santoso" and "Budi Susanto" are two common, distinct surnames; "Rina" and "Rini"
are different short names, often twins with the same birth date).
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Old spellings (before 1972) still live in names and in older documents. Order matters:
# "tj" must become "c" before "ch" is read as the old way of writing "kh". Inside a word
# "ch" is nearly always that "kh" (Achmad, Fachri, Ichsan); at the start of a word it can
# also be a "c" (Chandra, Chintya), so _INITIAL_CH adds that reading.
_SPELLINGS = (
    ("oe", "u"),  # Soekarno / Sukarno, Noer / Nur
    ("dj", "j"),  # Djoko / Joko
    ("tj", "c"),  # Tjahjo / Cahyo
    ("sj", "sy"),  # Sjahrir / Syahrir
    ("ch", "h"),  # Achmad / Ahmad, Chairul / Khairul
    ("kh", "h"),  # Akhmad / Ahmad
    ("dh", "d"),  # Ramadhan / Ramadan
    ("th", "t"),  # Fathur / Fatur
    ("q", "k"),  # Taufiq / Taufik
)
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_Y = re.compile(r"y$")  # Rizky / Rizki, Dedy / Dedi
_APOSTROPHES = re.compile(r"['`’‘ʼ]")
_WORDS = re.compile(r"[a-z]+")
_INITIAL_CH = re.compile(r"^ch")
# Every ambiguous word doubles the readings and titles add the name as written; real names
# stay well below this, which only bounds a pathological input ("Cha Cha Cha ...").
_MAX_READINGS = 8

# Abbreviations and variants of the most common name parts, by their spelling-folded form.
_MUHAMMAD = "muhamad"
_ALIASES = {
    **dict.fromkeys(
        (
            "m",
            "mh",
            "md",
            "mhd",
            "moh",
            "muh",
            "mohd",
            "muhd",
            "mohamad",
            "mohamed",
            "muhamed",
            "mohamat",
            "muhamat",
        ),
        _MUHAMMAD,
    ),
    "st": "siti",
    "nor": "nur",  # Noor, after doubled letters are folded
    "abd": "abdul",
}

# Titles written before a name, without their dots. Noble titles (R., Rr., Raden) are left
# alone: they are part of the name on a KTP, and "R." is as often an initial.
_PREFIX_TITLES = (
    # Religious: Haji / Hajah, Kiai Haji, Ustadz / Ustadzah
    *("h", "hj", "haji", "hajah", "hajjah", "kh", "kiai", "kyai"),
    *("ust", "ustad", "ustadz", "ustaz", "ustadzah", "ustazah"),
    # Academic and professional: Doktorandus / Doktoranda, Insinyur, a physician, a dentist,
    # a veterinarian
    *("prof", "dr", "drs", "dra", "drg", "drh", "ir"),
    # Forms of address copied from a letter or a form
    *("bpk", "bapak", "ibu", "sdr", "sdri", "sdra", "tn", "ny", "nn"),
)
# One title at the start of the text, ended by a dot or a space, never by a letter
# ("Hadi" keeps its "h"); "K.H." is the one title also written with a dot inside.
_PREFIX = re.compile(r"\s*(?:k\.h|" + "|".join(_PREFIX_TITLES) + r")(?:\.\s*|\s+)")
# Degrees without their dots: bachelor (S.Pd.), master (M.Pd.), diploma (A.Md.Kep.),
# medical specialist (Sp.A.) and a few more.
_FIELDS = (
    *("ag", "ak", "ap", "ars", "ds", "e", "ei", "farm", "fil", "gz", "h", "hi", "hum", "hut"),
    *("i", "ikom", "ip", "ked", "keb", "kep", "kes", "kg", "km", "kom", "ks", "mat", "p", "pd"),
    *("pdi", "pdsd", "pi", "psi", "pt", "si", "sn", "sos", "sosi", "st", "stat", "sy", "t"),
    *("th", "thi", "tp", "tr", "trkeb", "trkep", "trkes"),
)
_DEGREES = frozenset(
    {
        *(f"s{field}" for field in _FIELDS),
        *(f"m{field}" for field in (*_FIELDS, "a", "ba", "eng", "kn", "m", "sc")),
        *(f"amd{field}" for field in ("", "ak", "farm", "gz", "keb", "kep", "kes", "kom")),
        *(f"amd{field}" for field in ("par", "rad", "t")),
        *("ama", "amapd"),
        *(f"sp{field}" for field in ("a", "an", "b", "jp", "kj", "kk", "m", "n", "og", "ok")),
        *(f"sp{field}" for field in ("p", "pd", "pk", "rad", "s", "tht", "thtkl", "u")),
        *("apt", "ba", "bsc", "gr", "lc", "ners", "phd"),
    }
)
_LONGEST_DEGREE = max(map(len, _DEGREES))
_NOT_LETTERS = re.compile(r"[^a-z]+")
# The last word of a name when it has a dot in it ("S.Pd.", "Lc.").
_DOTTED_LAST_WORD = re.compile(r"\s(\S*\.\S*)\s*$")

# Below this length one letter makes another name (Rina / Rini, Budi / Bude), not a typo.
_MIN_TYPO_LENGTH = 5


def name_key(name: str) -> str:
    """A name as it is stored for sorting and searching: lower case, spaces folded."""
    return " ".join((name or "").lower().split())


def _fold(word: str) -> str:
    for old, new in _SPELLINGS:
        word = word.replace(old, new)
    word = _FINAL_Y.sub("i", _DOUBLED.sub(r"\1", word))
    return _ALIASES.get(word, word)


def _spellings(word: str) -> tuple[str, ...]:
    """The folded spellings a written word may stand for, the usual one first."""
    usual = _fold(word)
    if not _INITIAL_CH.match(word):
        return (usual,)
    plain_c = _fold(_INITIAL_CH.sub("c", word))
    return (usual,) if plain_c == usual else (usual, plain_c)


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    # "Ma'ruf" and "Maruf" are one word; a dot or dash separates ("M.Rizki").
    return _APOSTROPHES.sub("", text.lower())


def is_degrees(text: str) -> bool:
    """Whether the text is only academic degrees ("S.Pd.", "S.Pd., M.Pd", "A.Md.Kep")."""
    return _degrees_only(_plain(text))


def _degrees_only(text: str) -> bool:
    """Whether the letters of the text are one or more degrees run together ("S.Pd., M.Pd")."""
    letters = _NOT_LETTERS.sub("", text)
    ends = {0}  # where a run of whole degrees can end
    for end in range(1, len(letters) + 1):
        if any(
            start in ends and letters[start:end] in _DEGREES
            for start in range(max(0, end - _LONGEST_DEGREE), end)
        ):
            ends.add(end)
    return bool(letters) and len(letters) in ends


def _without_titles(text: str) -> str:
    """The plain text of a name without the titles around it; never without a name word."""
    name, *after_comma = text.split(",")
    while (title := _PREFIX.match(name)) and _WORDS.search(name, title.end()):
        name = name[title.end() :]
    while (last := _DOTTED_LAST_WORD.search(name)) and _degrees_only(last[1]):
        if not _WORDS.search(name, 0, last.start()):
            break
        name = name[: last.start()]
    # What follows a comma is kept unless it is degrees: "Santoso, Budi" is still a name.
    return " ".join([name, *(part for part in after_comma if not _degrees_only(part))])


def name_tokens(name: str) -> tuple[str, ...]:
    """The spelling-folded words of a name in their usual reading: "Moch. Rizky" →
    ("muhamad", "rizki")."""
    return name_readings(name)[0]


def name_readings(name: str) -> tuple[tuple[str, ...], ...]:
    """Every way the name's words may be read, the usual reading (``name_tokens``, without
    titles) first: "Chandra Wijaya" → (("handra", "wijaya"), ("candra", "wijaya"))."""
    text = _plain(name)
    readings = (
        itertools.product(*(_spellings(word) for word in _WORDS.findall(version)))
        for version in dict.fromkeys((_without_titles(text), text))
    )
    found: dict[tuple[str, ...], None] = {}
    for reading in itertools.chain.from_iterable(readings):
        found[reading] = None
        if len(found) == _MAX_READINGS:
            break
    return tuple(found)


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    two neighbouring letters ("Rziki") each count one."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[-1]


def similar_tokens(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same spelling tokens (spaces aside: "Nurhayati" / "Nur Hayati"), or the same number of
    words where each long word differs by at most one typo (never in its first letter) and
    the name by at most one typo per two words."""
    if not a or not b:
        return False
    if "".join(a) == "".join(b):
        return True
    if len(a) != len(b):
        return False
    typos = 0
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        # People rarely get the first letter wrong, and names that differ only there are
        # usually other names (Salim / Halim, Yanto / Hanto).
        if x[0] != y[0] or min(len(x), len(y)) < _MIN_TYPO_LENGTH or edit_distance(x, y) > 1:
            return False
        typos += 1
    return typos <= max(1, len(a) // 2)


def similar_readings(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...]) -> bool:
    """Whether any reading of one name is similar to any reading of the other."""
    return any(similar_tokens(x, y) for x in a for y in b)


def similar_names(a: str, b: str) -> bool:
    return similar_readings(name_readings(a), name_readings(b))
