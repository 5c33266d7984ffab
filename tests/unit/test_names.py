import pytest

from portal.rules.names import edit_distance, name_readings, name_tokens, similar_names


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siti Aminah", "Siti Aminah"),
        ("Siti Aminah", "  siti   AMINAH "),
        ("Muhammad Rizki", "M. Rizky"),
        ("Muhammad Rizki", "Muhamad Rizki"),
        ("Mohammad Hatta", "Moh. Hatta"),
        ("Mochammad Ilham", "Moch Ilham"),
        ("Mohammed Fajar", "Muhammad Fajar"),
        ("Siti Khotijah", "St. Khotijah"),
        ("Nur Hasanah", "Noor Hasanah"),
        ("Noer Cholis", "Nur Kholis"),
        ("Ahmad Fauzi", "Achmad Fauzi"),
        ("Ahmad Fauzi", "Akhmad Fauzy"),
        ("Soekarno", "Sukarno"),
        ("Djoko Susilo", "Joko Susilo"),
        ("Tjahjo Kumolo", "Cahyo Kumolo"),  # old "j" for "y" left to the one-typo allowance
        ("Sjahrir", "Syahrir"),
        ("Chairul Anwar", "Khairul Anwar"),
        ("Rizky Ramadhan", "Rizki Ramadan"),
        ("Taufiq Hidayat", "Taufik Hidayat"),
        ("Fathur Rohman", "Fatur Rohman"),
        ("Abdoel Rachman", "Abd. Rahman"),
        ("Dewi Lestarri", "Dewi Lestari"),  # doubled letter
        ("Nurhayati", "Nur Hayati"),  # missing space
        ("Siti Nurhayati", "St. Nur Hayati"),
        ("Ma'ruf Amin", "Maruf Amin"),
        ("André Wijaya", "Andre Wijaya"),
        ("Sri Wahyuni", "Sri Wahyunni"),
        ("Budi Santoso", "Budi Santosa"),  # one typo in a long word
        ("Eko Prasetyo", "Eko Prasetya"),
        ("Hendra Gunawan", "Hendar Gunawan"),  # two letters swapped
        ("Agus Setiawan", "Agus Setiwan"),  # one letter left out
        ("Dwi Purnomo Adi Santoso", "Dwi Purnoma Adi Santosa"),  # two typos in four words
        # An initial "ch" is read both as the old "kh" and as a plain "c".
        ("Chandra Wijaya", "Candra Wijaya"),
        ("Chandra Wijaya", "Tjandra Wijaya"),
        ("Chintya Dewi", "Cintya Dewi"),
        ("Chusnul Chotimah", "Khusnul Khotimah"),
        ("Chusnul Chotimah", "Husnul Hotimah"),
        ("Chusnul Khotimah", "Husnul Chotimah"),
        ("Chairul Anwar", "Hairul Anwar"),
        ("Chairul Anwar", "Khoirul Anwar"),  # "ai" / "oi": one typo on the "kh" reading
        ("Fachri Hidayat", "Fakhri Hidayat"),
        ("Fachri Hidayat", "Fahri Hidayat"),
        ("Ichsan Maulana", "Ihsan Maulana"),
        # Titles and honorifics around a name are not part of it.
        ("Hj. Siti Aminah", "Siti Aminah"),
        ("Hj Siti Aminah", "Hajjah Siti Aminah"),
        ("H. Ahmad Fauzi", "Ahmad Fauzi"),
        ("H.Ahmad Fauzi", "Achmad Fauzi"),
        ("KH. Ahmad Dahlan", "Ahmad Dahlan"),
        ("K.H. Ahmad Dahlan", "Kyai Haji Ahmad Dahlan"),
        ("Ust. Abdul Somad, Lc., M.A.", "Abdul Somad"),
        ("Drs. Budi Santoso", "Budi Santoso, S.Pd."),
        ("Dra. Sri Wahyuni", "Sri Wahyuni"),
        ("Ir. Joko Widodo", "Djoko Widodo"),
        ("Prof. Dr. Ir. H. Budi Santoso, M.Sc.", "Budi Santoso"),
        ("dr. Siti Aminah, Sp.OG", "Siti Aminah"),
        ("Bpk. Budi Santoso", "Budi Santoso"),
        ("Ibu Siti Aminah", "Siti Aminah"),
        ("Budi Santoso, S.Pd., M.Pd.", "Budi Santoso"),
        ("Budi Santoso,S.Pd", "Budi Santoso"),
        ("Budi Santoso, SE", "Budi Santoso"),  # after a comma, dots or not
        ("Budi Santoso, S. Kom.", "Budi Santosa"),  # and a typo
        ("Budi Santoso S.E.", "Budi Santoso"),  # at the end, with its dots
        ("Siti Aminah, A.Md.Kep.", "Siti Aminah"),
        ("Siti Aminah, Amd", "Siti Aminah"),
        ("Nur Hasanah, S.Pd.I", "Noer Hasanah"),
        ("Hj. Chusnul Chotimah, S.Pd.", "Khusnul Khotimah"),
        # The name as written is compared too, where a title is left on or is not one.
        ("Budi Santoso SPd", "Budi Santoso, S.Pd."),
        ("Ahmad S.H.", "Ahmad S. H."),  # a law degree or two initials
        ("Dra Ayu Lestari", "Dra Ayu Lestarri"),
    ],
)
def test_spelling_variants_match(a, b):
    assert similar_names(a, b)
    assert similar_names(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Santoso and Susanto are two common surnames, four edits apart: two people.
        ("Budi Santoso", "Budi Susanto"),
        ("Rina Wati", "Rini Wati"),  # short given names: one letter is another name (twins)
        ("Budi Santoso", "Bude Santoso"),
        ("Agus Salim", "Agus Halim"),  # differ in the first letter: another name
        ("Siti Aminah", "Siti Maryam"),
        ("Siti Aminah", "Sri Aminah"),
        ("Muhammad Rizki", "Ahmad Rizki"),
        ("Muhammad Rizki", "Rizki"),  # a part left out is not a typo
        ("Sri Wahyuni", "Sri Wahyuningsih"),
        ("Rizki Ramadhan", "Rizka Ramadani"),  # a typo in each of two words
        ("Dwi Purnomo Santoso", "Dwi Purnoma Santosa"),  # two typos in three words
        ("Dewi Lestari", "Dewi Kartika"),
        ("Hadi Santoso", "Adi Santoso"),  # a letter more at the start: another name
        ("Candra Wijaya", "Hendra Wijaya"),
        ("Chandra Wijaya", "Sandra Wijaya"),
        ("Chairul Anwar", "Choirun Anwar"),  # two letters apart on every reading
        ("Hj. Siti Aminah", "Siti Maryam"),
        ("H. Budi Santoso", "Budi Susanto"),
        ("Dr. Rina Wati", "Rini Wati, S.Pd."),
        ("H. Santoso", "Hadi Santoso"),  # the title is taken off, not read as an initial
        ("Budi Santoso SE", "Budi Santoso"),  # undotted at the end: maybe a name or initials
        ("Santoso, Budi", "Santoso"),  # after a comma only degrees are taken off
        ("Haji", "Hj."),  # the only word is the name
        ("Andi", ""),
        ("", ""),
        ("...", "..."),
    ],
)
def test_different_names_do_not_match(a, b):
    assert not similar_names(a, b)
    assert not similar_names(b, a)


def test_tokens_fold_spellings_and_abbreviations():
    assert name_tokens("Moch. Rizky") == ("muhamad", "rizki")
    assert name_tokens("M.Rizky") == ("muhamad", "rizki")
    assert name_tokens("Soekarno Djojohadikoesoemo") == ("sukarno", "jojohadikusumo")
    assert name_tokens("") == ()


def test_an_initial_ch_has_a_kh_and_a_c_reading():
    assert name_readings("Chandra Wijaya") == (("handra", "wijaya"), ("candra", "wijaya"))
    assert name_tokens("Chandra Wijaya") == ("handra", "wijaya")  # the usual reading first
    # Inside a word "ch" is only the old "kh".
    assert name_readings("Achmad Fachri") == (("ahmad", "fahri"),)
    assert name_readings("Tjandra") == (("candra",),)
    assert name_readings("") == ((),)


def test_titles_are_taken_off_but_never_the_last_word():
    assert name_tokens("Hj. Siti Aminah") == ("siti", "aminah")
    assert name_tokens("Prof. Dr. H. Budi Santoso, S.Pd., M.Pd.") == ("budi", "santoso")
    assert name_tokens("Hadi Santoso") == ("hadi", "santoso")  # not "H." before "adi"
    assert name_tokens("H Santoso") == ("santoso",)
    assert name_tokens("Budi Santoso S.E.") == ("budi", "santoso")
    assert name_tokens("Budi Santoso SE") == ("budi", "santoso", "se")
    assert name_tokens("Santoso, Budi") == ("santoso", "budi")
    assert name_tokens("Haji") == ("haji",)
    assert name_tokens("H. Dra") == ("dra",)
    assert name_tokens("Dra., S.Pd.") == ("dra",)
    assert name_tokens("S.Pd.") == ("s", "pd")
    # The name as written is the other reading.
    assert name_readings("Hj. Siti") == (("siti",), ("hj", "siti"))


def test_readings_are_bounded():
    assert len(name_readings(" ".join(["Cha"] * 60))) == 8
    assert len(name_readings("Hj. Chusnul Chotimah Chandra")) == 8


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("", "", 0),
        ("abc", "", 3),
        ("rizki", "rizki", 0),
        ("rizki", "riski", 1),
        ("rizki", "rziki", 1),  # swap of neighbours
        ("santoso", "susanto", 4),
        ("kitten", "sitting", 3),
    ],
)
def test_edit_distance(a, b, expected):
    assert edit_distance(a, b) == expected
    assert edit_distance(b, a) == expected
