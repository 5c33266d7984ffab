"""Reading tables people send (portal.rules.tablefiles) with no idea what the rows mean:
the limits and file-safety rules come from the caller's TableRules, the words too."""

import io
import zipfile

import pytest

from portal.rules import tablefiles
from portal.rules.tablefiles import TableFileError, TableRules, read_upload, split_text

EXPORTS = TableRules(subject="ekspor kantor", item="data", max_bytes=1024 * 1024, max_rows=3)


def _xlsx(rows, sheet_title="Sheet1", second=None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    if second:
        other = book.create_sheet(second[0])
        for row in second[1]:
            other.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_text_is_split_by_the_separator_its_lines_agree_on():
    assert split_text("a;b\nc;d\n", EXPORTS).rows == [(1, ["a", "b"]), (2, ["c", "d"])]
    assert split_text("\ta\tb\n", EXPORTS).rows == [(1, ["", "a", "b"])]  # tabs never typed
    assert split_text("one\n\ntwo\n", EXPORTS).rows == [(1, ["one"]), (3, ["two"])]


def test_comma_rows_can_be_mended_by_the_caller():
    def join_first(cells):
        return [cells[0] + "," + cells[1], *cells[2:]]

    assert split_text("a,b,c\n", EXPORTS, mend=join_first).rows == [(1, ["a,b", "c"])]
    assert split_text("a;b;c\n", EXPORTS, mend=join_first).rows == [(1, ["a", "b", "c"])]


def test_the_callers_limits_and_words():
    with pytest.raises(TableFileError, match="Paling banyak 3 baris sekali kirim; ada 5"):
        split_text("1\n2\n3\n4\n5\n", EXPORTS)
    split_text("h\n1\n2\n3\n", EXPORTS)  # one more line: a header row
    with pytest.raises(TableFileError, match="Isi minimal satu baris data"):
        split_text(" \n", EXPORTS)
    with pytest.raises(TableFileError, match="paling banyak 1 MB"):
        read_upload("a.csv", b"x" * (1024 * 1024 + 1), EXPORTS)
    with pytest.raises(TableFileError, match="berisi ekspor kantor") as empty:
        read_upload("a.csv", b"   ", EXPORTS)
    assert "templat" not in empty.value.message
    wide = TableRules(subject="x", item="y", max_columns=2)
    assert split_text("a;b;c;d\n", wide).rows == [(1, ["a", "b"])]


def test_xlsx_reads_cached_values_and_the_sheet_asked_for():
    data = _xlsx([["=1+1", 3, 2.0]], second=("Data", [["dipilih", 3576011708900001]]))
    [(n, cells)] = tablefiles.read_xlsx(data, EXPORTS).rows
    # A formula is never read as text: its cached value, here none (openpyxl keeps none).
    assert (n, cells[:3]) == (1, ["", "3", "2"]) and not any(cells[3:])
    chosen = TableRules(subject="x", item="y", sheet="Data")
    table = tablefiles.read_xlsx(data, chosen)
    assert table.rows[0][1][:2] == ["dipilih", "3576011708900001"] and table.numeric == {1: {1}}


def test_a_zip_bomb_or_a_zip_that_is_no_workbook_is_refused_before_parsing(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(TableFileError, match="lembar ekspor kantor"):
        tablefiles.check_xlsx_container(out.getvalue(), EXPORTS)
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(TableFileError, match=r"\(\.xlsx\)\. Unggah file\.$"):
        tablefiles.read_xlsx(plain.getvalue(), EXPORTS)
    monkeypatch.setattr(tablefiles, "XLSX_MAX_ENTRIES", 1)
    with pytest.raises(TableFileError, match="terlalu banyak bagian"):
        tablefiles.read_xlsx(_xlsx([["a"]]), EXPORTS)
