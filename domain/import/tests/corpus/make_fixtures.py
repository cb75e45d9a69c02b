"""Makes the corpus's .docx, .xlsx and .xls fixtures from its text and CSV documents.

Run from this directory: python3 make_fixtures.py [maker ...] (needs python-docx,
openpyxl and xlwt); without names it makes every fixture.
The .docx numbering is Word's automatic numbering (numbering.xml, chineseCounting
for chapters, decimal for items), not typed numbers, so the reader must print them.
"""
import csv
import re

import docx
import openpyxl
import xlwt
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def numbering(document, levels=((0, "chineseCounting", "%1、"), (1, "decimal", "%2."))):
    """Adds a two-level list (一、 / 1. unless told) to the document; returns its numId."""
    part = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for ilvl, fmt, text in levels:
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, val in [("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)]:
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        abstract.append(lvl)
    part.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    part.append(num)
    return "90"


def numbered(paragraph, num_id, ilvl):
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    for tag, val in [("w:ilvl", str(ilvl)), ("w:numId", num_id)]:
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        numpr.append(el)
    ppr.append(numpr)


def points_docx():
    document = docx.Document()
    num_id = numbering(document)
    for line in open("wuhu_2024_points.txt", encoding="utf-8").read().splitlines():
        chapter = re.match(r"^[一二三四五六七八九十]+、(.*)", line)
        item = re.match(r"^[0-9]+\.(.*)", line)
        if chapter:
            numbered(document.add_paragraph(chapter.group(1)), num_id, 0)
        elif item:
            numbered(document.add_paragraph(item.group(1)), num_id, 1)
        else:
            document.add_paragraph(line)
    document.save("wuhu_2024_points.docx")


def table_docx():
    rows = list(csv.reader(open("qiaocheng_2025_tasks.csv", encoding="utf-8")))
    document = docx.Document()
    document.add_paragraph(rows[0][0])
    body = rows[1:]
    table = document.add_table(rows=len(body), cols=len(body[1]))
    for r, row in enumerate(body):
        if len(set(row)) == 1:
            table.cell(r, 0).merge(table.cell(r, len(row) - 1)).text = row[0]
            continue
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save("qiaocheng_2025_tasks.docx")


def merged_xlsx():
    rows = list(csv.reader(open("nanling_2024_tasks.csv", encoding="utf-8")))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务分解"
    sheet.append(rows[0][:1])
    for row in rows[1:]:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    # The lead and responsible columns merged over both task rows, as offices print them.
    for col in "DE":
        sheet.merge_cells(f"{col}3:{col}4")
    book.save("nanling_2024_tasks.xlsx")


def merged_xls():
    """The Nanling table as an Excel 97-2003 workbook (xlwt), lead cells merged."""
    rows = list(csv.reader(open("nanling_2024_tasks.csv", encoding="utf-8")))
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("任务分解")
    sheet.write(0, 0, rows[0][0])
    for r, row in enumerate(rows[1:], start=1):
        for c, value in enumerate(row):
            if r == 3 and c in (3, 4):
                continue
            if r == 2 and c in (3, 4):
                sheet.write_merge(2, 3, c, c, value)
            else:
                sheet.write(r, c, int(value) if value.isdigit() else value)
    book.save("nanling_2024_tasks.xls")


def yunfu_docx():
    """The Yunfu plan with 一、 and （一） as Word's automatic numbering."""
    document = docx.Document()
    num_id = numbering(
        document, ((0, "chineseCounting", "%1、"), (1, "chineseCounting", "（%2）"))
    )
    for line in open("yunfu_2019_action.txt", encoding="utf-8").read().splitlines():
        chapter = re.match(r"^[一二三四五六七八九十]+、(.*)", line)
        item = re.match(r"^[(（][一二三四五六七八九十]+[)）](.*)", line)
        if chapter:
            numbered(document.add_paragraph(chapter.group(1)), num_id, 0)
        elif item:
            numbered(document.add_paragraph(item.group(1)), num_id, 1)
        else:
            document.add_paragraph(line)
    document.save("yunfu_2019_action.docx")


def zhaoyuan_xlsx():
    """The Zhaoyuan table as a workbook: 类别, 责任单位 and 分管市领导 merged over the rows."""
    lines = open("zhaoyuan_2022_livelihood.txt", encoding="utf-8").read().splitlines()
    cells = [[c.strip() for c in line.split("|")] for line in lines]
    cells = [[c for c in row if c] for row in cells]
    width = len(cells[0])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "民生实事"
    sheet.append(cells[0])
    for row in cells[1:4]:
        sheet.append([""] * (width - len(row)) + row)
    for col in "ADE":
        sheet.merge_cells(f"{col}2:{col}4")
    sheet.append([])
    sheet.append(cells[4])
    book.save("zhaoyuan_2022_livelihood.xlsx")


MAKERS = {
    "points_docx": points_docx,
    "table_docx": table_docx,
    "merged_xlsx": merged_xlsx,
    "merged_xls": merged_xls,
    "yunfu_docx": yunfu_docx,
    "zhaoyuan_xlsx": zhaoyuan_xlsx,
}

if __name__ == "__main__":
    import sys

    for name in sys.argv[1:] or MAKERS:
        MAKERS[name]()
