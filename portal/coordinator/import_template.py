"""The templates a coordinator downloads to fill in offline: CSV and XLSX with the columns
``imports`` reads back, and a sheet of instructions."""

from __future__ import annotations

import csv
import io

from portal.coordinator.imports import RULES, TEMPLATE_HEADERS

TEMPLATE_NOTES = (
    "Isi satu warga per baris di lembar Data warga. Jangan ubah baris judul.",
    "Nama lengkap wajib diisi.",
    "NIK boleh kosong. Jika diisi, 16 angka. Kolom NIK sudah berformat teks supaya Excel "
    "tidak mengubah angka terakhir menjadi 0.",
    "Tanggal lahir wajib jika NIK kosong. Tulis seperti 17-08-2008.",
    "Jenis kelamin: L atau P.",
    "RT dan RW: angka, misalnya 03.",
    "No. HP boleh kosong, misalnya 0812-3456-7890.",
    "Kategori: pemula, dewasa, lansia, disabilitas, luar kota, atau lainnya. Boleh kosong.",
    "Persetujuan orang tua/wali: isi ya untuk warga di bawah 18 tahun.",
    "Status kawin: Belum kawin, Kawin, Cerai hidup, atau Cerai mati, seperti di KK. Boleh "
    "kosong (dianggap belum kawin). Warga yang sudah atau pernah kawin wajib rekam KTP-el "
    "berapa pun umurnya.",
    f"Paling banyak {RULES.rows_text} baris dan {RULES.size_text} per file.",
)


def template_csv() -> bytes:
    """Headers only, UTF-8 with BOM so Excel shows the letters right, semicolons because
    Excel on Indonesian Windows splits CSV on them."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow([label for _, label in TEMPLATE_HEADERS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    text = workbook.add_format({"num_format": "@"})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDDDDD", "num_format": "@"})
    sheet = workbook.add_worksheet(RULES.sheet)
    for col, (_, label) in enumerate(TEMPLATE_HEADERS):
        sheet.write_string(0, col, label, bold)
        sheet.set_column(col, col, max(12, len(label) + 2), text)
    sheet.freeze_panes(1, 0)
    notes = workbook.add_worksheet("Petunjuk")
    notes.set_column(0, 0, 100)
    for row, line in enumerate(TEMPLATE_NOTES):
        notes.write_string(row, 0, line)
    workbook.close()
    return out.getvalue()
