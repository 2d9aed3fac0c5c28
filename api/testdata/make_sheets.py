#!/usr/bin/python3
"""Writes the spreadsheet fixtures of api/sheets_test.go with openpyxl (Debian's
python3-openpyxl), a spreadsheet library other than the one Pantau writes with, the way people
lay out such files: a title above the header, merged group headers, blank rows, stray spaces,
numbers stored as text with a decimal comma, percentages formatted as such, a formula.

    cd api/testdata && /usr/bin/python3 make_sheets.py

catalogue-gnumeric.xlsx is the catalogue opened and saved by a spreadsheet application
(Debian's gnumeric, which computes and stores the formula's result):

    ssconvert --export-type=Gnumeric_Excel:xlsx2 catalogue-openpyxl.xlsx catalogue-gnumeric.xlsx
"""
import datetime
from openpyxl import Workbook
from openpyxl.styles import Font

FIXED = datetime.datetime(2024, 1, 1)


def save(wb, name):
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(name)


def catalogue():
    wb = Workbook()
    ws = wb.active
    ws.title = "Katalog 2019"
    ws["A1"] = "KATALOG RENCANA AKSI PENCEGAHAN KORUPSI 2019"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:J1")
    # Row 2 is empty. Rows 3 and 4: a two-row header with merged group cells.
    ws["A3"] = "No"
    ws.merge_cells("A3:A4")
    ws["B3"] = "Area"
    ws.merge_cells("B3:D3")
    ws["E3"] = "Indikator"
    ws.merge_cells("E3:I3")
    ws["J3"] = "Berlaku untuk"
    ws.merge_cells("J3:J4")
    for col, text in zip("BCDEFGHI", ["Kode", "Nama", "Bobot", "Kode", "Induk", "Uraian", "Bobot", "Bukti dukung"]):
        ws[col + "4"] = text
    rows = [
        (5, [1, " PTSP ", "Pelayanan Terpadu Satu Pintu", "1", "I1", None, "Perkada pendelegasian ", "1", None, "semua"]),
        # row 6 is blank
        (7, [2, "PTSP", "Pelayanan Terpadu Satu Pintu ", None, "I2", None, "Perizinan daring", "2,5", "Tangkapan layar", "Kabupaten/Kota"]),
        (8, [3, "PBJ", "Pengadaan Barang dan Jasa", 2, "PBJ.1", None, "RUP diumumkan", "=1+1", None, None]),
        (9, [4, "PBJ", "Pengadaan Barang dan Jasa", None, "PBJ.1.a", "PBJ.1", "Paket melalui e-katalog", 1, " SK ", "kabupaten, kota"]),
    ]
    for r, values in rows:
        for i, v in enumerate(values):
            if v is not None:
                ws.cell(row=r, column=i + 1, value=v)
    save(wb, "catalogue-openpyxl.xlsx")


def claims():
    wb = Workbook()
    notes = wb.active
    notes.title = "Petunjuk"
    notes["A1"] = "Isi kolom Klaim (%) lalu impor berkas ini di Pantau."
    ws = wb.create_sheet("Klaim Seruyan")
    ws["A1"] = "Klaim progres Kabupaten Seruyan"
    ws.merge_cells("A1:D1")
    for col, text in zip("ABCD", ["Kode Pemda", "Kode Indikator ", "Klaim (%)", "Keterangan"]):
        ws[col + "2"] = text
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = "62.08", "I1", "87,5", "SK sudah terbit"
    ws["A5"], ws["B5"], ws["C5"] = " 62.08", "I2", 0.25
    ws["C5"].number_format = "0.00%"
    save(wb, "claims-openpyxl.xlsx")


catalogue()
claims()
