#!/usr/bin/python3
"""What the bare-library floor (floor.c) must write to match a report: every cell of report.xlsx and the
text of every page of report.pdf, in the line formats floor.c reads.

  floor_inputs.py cells REPORT.xlsx OUT   one line per cell: SHEET<TAB>ROW<TAB>COL<TAB>KIND<TAB>TEXT
                                          (KIND s = string, n = number; TEXT with \\, \\n, \\t escaped)
  floor_inputs.py pages REPORT.pdf OUT    pdftotext's text: pages separated by form feeds
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1, int(ref[len(letters):]) - 1


def esc(text):
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def cells(xlsx, out):
    with zipfile.ZipFile(xlsx) as z, open(out, "w", encoding="utf-8") as f:
        names = sorted((n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                       key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[1]).group(0)))
        for sheet, name in enumerate(names):
            with z.open(name) as x:
                for _, el in ET.iterparse(x):
                    if el.tag != NS + "c":
                        continue
                    col, row = col_index(el.get("r"))
                    t = el.find(NS + "is/" + NS + "t")
                    v = el.find(NS + "v")
                    if t is not None:
                        f.write(f"{sheet}\t{row}\t{col}\ts\t{esc(t.text or '')}\n")
                    elif v is not None:
                        f.write(f"{sheet}\t{row}\t{col}\tn\t{v.text}\n")
                    el.clear()


def pages(pdf, out):
    subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, out], check=True)


if __name__ == "__main__":
    {"cells": cells, "pages": pages}[sys.argv[1]](sys.argv[2], sys.argv[3])
