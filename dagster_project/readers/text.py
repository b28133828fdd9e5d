"""Reader for the plain-text export format of the seed report.

The format: each table cell is a line that starts with a tab; the cells of one row are
consecutive lines and rows are separated by blank lines; a cell whose text was broken over
several lines continues on lines without the leading tab; merged header cells collapse (a
row simply has fewer cells). Every other non-blank line is a paragraph.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from dagster_project.document import Cell, Document, Location, Paragraph, Table
from dagster_project.readers.errors import EncodingProblem, NotAReport

# Tried in this order; GB18030 is a superset of GBK/GB2312, the other encoding in use.
ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Decode report bytes, returning (text, encoding name)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Windows' "Unicode" text: UTF-16 with a byte-order mark, which the decoder reads.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingProblem(file, f"starts with a UTF-16 byte-order mark but is not valid "
                                        f"UTF-16 (at byte {exc.start})") from None
        return text.replace("\r\n", "\n").replace("\r", "\n"), "utf-16"
    if b"\x00" in data[:4096]:
        raise NotAReport(file, "binary file (NUL bytes), not a text report (or UTF-16 without "
                               "a byte-order mark: save it as UTF-8)")
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        name = "utf-8-bom" if enc == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else enc
        return text.replace("\r\n", "\n").replace("\r", "\n"), name.replace("-sig", "")
    # Say where decoding first fails under UTF-8, which is what most files are.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingProblem(
            file,
            f"cannot decode as UTF-8, UTF-8 with BOM or GB18030 "
            f"(first bad byte 0x{data[exc.start]:02x} at byte {exc.start})",
            f"{file}:L{line}",
        ) from None
    raise EncodingProblem(file, "cannot decode")  # pragma: no cover


def parse_text(text: str, file: str) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    table_start: int | None = None
    last_was_cell = False

    def close_row() -> None:
        nonlocal row
        if row:
            rows.append(row)
            row = []

    def close_table(end_line: int) -> None:
        nonlocal rows, table_start
        close_row()
        if rows:
            blocks.append(Table(rows, Location(file, table_start, end_line)))
        rows, table_start = [], None

    for no, line in enumerate(text.split("\n"), start=1):
        if line.startswith("\t"):
            if table_start is None:
                table_start = no
            row.append(Cell(line[1:].strip(), Location(file, no)))
            last_was_cell = True
        elif line.strip() == "":
            close_row()
            last_was_cell = False
        elif last_was_cell and row:
            # A wrapped cell: the text continues on a line of its own without the tab.
            prev = row[-1]
            loc = Location(file, prev.location.line, no)
            row[-1] = Cell(prev.text + line.strip(), loc)
        else:
            close_table(no - 1)
            blocks.append(Paragraph(line.strip(), Location(file, no)))
            last_was_cell = False
    close_table(text.count("\n") + 1)
    return blocks


def read_text(path: Path) -> Document:
    data = path.read_bytes()
    text, encoding = decode(data, path.name)
    return Document(
        file_name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        format="text",
        blocks=parse_text(text, path.name),
        encoding=encoding,
    )
