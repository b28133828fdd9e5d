"""Reader for text-layer PDFs: the same neutral document the text reader produces.

Ruled tables come from pdfplumber's table finder (cell grid from the drawn lines); tables set
without ruling (or with only horizontal rules or a frame) are rebuilt from the alignment of
their text (`pdf_unruled.py`); every other character is clustered into lines and the lines
into paragraphs. Three things real reports do
shape the code:

- digits are often set in another font on a baseline a few points lower than the Chinese
  around them, so characters join a line by vertical overlap, not by equal `top`;
- prose is justified and wrapped, across pages too: a line that reaches the right margin
  continues on the next line unless that one is indented or numbered;
- page numbers and running headers sit between the two halves of a wrapped paragraph or of a
  table continued on the next page, and are dropped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from dagster_project.document import Cell, Document, Location, Paragraph, Table
from dagster_project.readers.errors import IngestError, NotAReport, ResourceLimit, ScannedPdf
from dagster_project.readers.pdf_unruled import spaced_text, tables_in_lines

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,3}(\s*页)?(\s*/\s*(共\s*)?\d{1,3}\s*页?)?[-—–\s]*$")
# A line that opens a new paragraph even when the line before it is full.
_OPENS_PARAGRAPH = re.compile(
    r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+[.、．](?!\d)|附件|注[:：]|表\s*\d)"
)


class PdfUnreadable(IngestError):
    kind = "unreadable"


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fragment: bool = False  # one of several pieces set apart on one line


def clean_cell_text(text: str | None) -> str:
    """Cell text as one line: wrapped pieces joined, spaces between Chinese characters gone."""
    if not text:
        return ""
    joined = "".join(part.strip() for part in text.split("\n"))
    return _CJK_SPACE.sub("", joined).strip()


def cluster_lines(chars: list[dict]) -> list[_Line]:
    """Group characters into lines by vertical overlap, then order each line left to right."""
    return _lines_of(cluster_rows(chars))


def cluster_rows(chars: list[dict]) -> list[list[dict]]:
    """The characters of each line, lines top to bottom (joined by vertical overlap)."""
    rows: list[list[dict]] = []
    bounds: list[tuple[float, float]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        height = max(ch["bottom"] - ch["top"], 0.1)
        placed = False
        for i in range(len(rows) - 1, max(len(rows) - 3, -1), -1):
            top, bottom = bounds[i]
            overlap = min(bottom, ch["bottom"]) - max(top, ch["top"])
            if overlap >= 0.5 * min(height, bottom - top):
                rows[i].append(ch)
                # The line keeps the band of its first (dominant) characters so a lowered
                # digit does not drag the next line in.
                placed = True
                break
        if not placed:
            rows.append([ch])
            bounds.append((ch["top"], ch["bottom"]))
    return rows


def _lines_of(rows: list[list[dict]]) -> list[_Line]:
    lines: list[_Line] = []
    for row in rows:
        pieces = _make_line(row)
        if len(pieces) > 1:
            for piece in pieces:
                piece.fragment = True
        lines.extend(pieces)
    return lines


def _make_line(chars: list[dict]) -> list[_Line]:
    """One line of characters; pieces set wide apart (a header's 部门 … 单位) come apart."""
    chars = sorted(chars, key=lambda c: c["x0"])
    pieces: list[list[dict]] = [[]]
    for ch in chars:
        if pieces[-1]:
            gap = ch["x0"] - pieces[-1][-1]["x1"]
            if gap > 2.5 * max(ch["size"], 1.0):
                pieces.append([])
        pieces[-1].append(ch)
    return [_piece(p) for p in pieces if any(c["text"].strip() for c in p)]


def _piece(chars: list[dict]) -> _Line:
    text = spaced_text(chars)
    text = re.sub(r"\s{2,}", " ", text)
    sizes = sorted(c["size"] for c in chars)
    return _Line(text, chars[0]["x0"], max(c["x1"] for c in chars),
                 min(c["top"] for c in chars), max(c["bottom"] for c in chars),
                 sizes[len(sizes) // 2])


def _inside(ch: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (ch["x0"] + ch["x1"]) / 2
    cy = (ch["top"] + ch["bottom"]) / 2
    return any(x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1
               for x0, top, x1, bottom in boxes)


def _cell_text(chars: list[dict]) -> str:
    return clean_cell_text("\n".join(ln.text for ln in cluster_lines(chars)))


_CAPTION_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")
_UNIT_NAME = re.compile(r"^(编制|预算|填报)?(单位|部门)(名称)?[:：]")


def _tables(page, file: str, page_no: int) -> list[tuple[float, Table]]:
    if not page.edges:
        return []  # no ruling at all: nothing for the line-based table finder to find
    found = []
    for table in page.find_tables():
        # Each character goes to the cell its centre falls in: one pass over the characters
        # instead of one crop per cell.
        grid = [(row.bbox, [(bbox, []) for bbox in row.cells]) for row in table.rows]
        x0, top, x1, bottom = table.bbox
        for ch in page.chars:
            cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            if not (x0 <= cx <= x1 and top <= cy <= bottom):
                continue
            # A merged cell widens its row's band over the rows below: look on. A cell drawn
            # round others (a frame round title and grid) holds only what no inner cell does:
            # the smallest cell the centre falls in takes the character.
            hits = [(bbox, bucket) for (_a, rtop, _b, rbottom), cells in grid
                    if rtop <= cy <= rbottom
                    for bbox, bucket in cells
                    if bbox is not None and bbox[0] <= cx <= bbox[2]
                    and bbox[1] <= cy <= bbox[3]]
            if hits:
                min(hits, key=lambda h: (h[0][2] - h[0][0]) * (h[0][3] - h[0][1]))[1].append(ch)
        grid = _without_merged_columns(_without_caption(grid))
        if not grid:
            continue
        rows: list[list[Cell]] = []
        for _rbox, cells in grid:
            rows.append([
                Cell(_cell_text(bucket) if bbox is not None else "",
                     Location(file, page=page_no,
                              bbox=tuple(round(v, 1) for v in bbox) if bbox else None))
                for bbox, bucket in cells])
        if not any(c.text for r in rows for c in r):
            continue  # a ruled but empty box (a frame, a stray rule)
        boxes = [bbox for _r, cells in grid for bbox, _b in cells if bbox is not None]
        x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        loc = Location(file, page=page_no, bbox=(round(x0, 1), round(top, 1),
                                                 round(x1, 1), round(bottom, 1)))
        found.append((top, Table(rows, loc)))
    return found


def _without_caption(grid: list) -> list:
    """A grid that prints its caption in its top rows (江苏 2017: "收支预算总表 / 部门：… 单位：
    万元" in the grid's first cell, or in a frame drawn round title and grid, or a title cell
    over a row "部门： | 江苏省人大常委会办公厅 | 单位：万元"): those rows are not the table's,
    their text is read as the lines above the grid. A caption row names the amount unit and
    is one cell, or opens with 部门：/编制单位：; only titles (one cell each) stand above it."""
    for k, (_rbox, cells) in enumerate(grid[:3]):
        texts = [t for t in ("".join(c["text"] for c in bucket).strip()
                             for bbox, bucket in cells if bbox is not None) if t]
        if _CAPTION_UNIT.search("".join(texts)) and (
                len(texts) == 1 or _UNIT_NAME.match(texts[0])):
            return grid[k + 1:] if k + 1 < len(grid) else grid
        if len(texts) != 1:
            return grid
    return grid


def _without_merged_columns(grid: list) -> list:
    """A column no row has a cell of its own in is no column: a rule segment the finder took
    for a column edge (江苏 2017's header rows), or a frame's margin. It never holds text."""
    if not grid:
        return grid
    keep = [j for j in range(len(grid[0][1]))
            if any(j < len(cells) and cells[j][0] is not None for _r, cells in grid)]
    return [(rbox, [cells[j] for j in keep if j < len(cells)]) for rbox, cells in grid]


def _with_cut_rows(table: Table, lines: list[_Line], taken: list[_Line]) -> Table:
    """A table continued over a page break loses the rule between its last row on one page
    and its first on the next: that row's text sits just above the grid's top rule (or just
    below its bottom one), outside every cell, and would be read as lines of prose. Text
    within one row's height of the grid, in two or more pieces that each fall inside one of
    the adjacent row's columns, is that row, put back in its columns. (江苏 2018's tables
    lose "2040504 | 案件审判 | 1,833.30" at the top of a page.) The lines it takes go to
    `taken`."""
    x0, top, x1, bottom = table.location.bbox
    rows = list(table.rows)
    for edge in ("top", "bottom"):
        row = rows[0] if edge == "top" else rows[-1]
        boxes = [c.location.bbox for c in row]
        if sum(b is not None for b in boxes) < 2:
            continue
        height = max(b[3] - b[1] for b in boxes if b)
        band = [ln for ln in lines if x0 - 1 <= ln.x0 and ln.x1 <= x1 + 1 and (
            top - height <= ln.top and ln.bottom <= top + 1 if edge == "top"
            else bottom - 1 <= ln.top and ln.bottom <= bottom + height)]
        if len(band) < 2 or max(ln.top for ln in band) - min(ln.top for ln in band) > height / 2:
            continue
        columns = [next((i for i, b in enumerate(boxes) if b and b[0] - 1 <= ln.x0
                         and ln.x1 <= b[2] + 1), None) for ln in band]
        if None in columns or len(set(columns)) != len(columns):
            continue
        texts = dict(zip(columns, band, strict=True))
        y0, y1 = min(ln.top for ln in band), max(ln.bottom for ln in band)
        cut = [Cell(clean_cell_text(texts[i].text) if i in texts else "",
                    Location(table.location.file, page=table.location.page,
                             bbox=(b[0], round(y0, 1), b[2], round(y1, 1)) if b else None))
               for i, b in enumerate(boxes)]
        taken.extend(band)
        rows = [cut, *rows] if edge == "top" else [*rows, cut]
        top, bottom = min(top, y0), max(bottom, y1)
    if len(rows) == len(table.rows):
        return table
    return Table(rows, Location(table.location.file, page=table.location.page,
                                bbox=(x0, round(top, 1), x1, round(bottom, 1))))


def _is_grid(table: Table) -> bool:
    """A ruled table with columns; a frame or box around a whole table has only one."""
    return any(len(row) > 1 for row in table.rows)


def _unruled(chars: list[dict], file: str,
             page_no: int) -> tuple[list[tuple[float, Table]], list[list[dict]]]:
    """Tables set without ruling among these characters, and the rows left for prose."""
    rows = cluster_rows(chars)
    found = tables_in_lines(rows, file, page_no)
    taken = {i for head, end, _t in found for i in range(head, end)}
    return ([(t.location.bbox[1], t) for _h, _e, t in found],
            [r for i, r in enumerate(rows) if i not in taken])


def _page_items(page, file: str, page_no: int
                ) -> tuple[list[tuple[float, _Line | Table]], list[_Line]]:
    """The page's lines and tables in reading order, and every line of text outside the
    tables before a cut row was put back in its table (the page's margins are theirs)."""
    ruled = _tables(page, file, page_no)
    grids = [(top, t) for top, t in ruled if _is_grid(t)]
    frames = [(top, t) for top, t in ruled if not _is_grid(t)]
    chars = _outside(page.chars, [t.location.bbox for _, t in grids])
    unruled, rows = _unruled(chars, file, page_no)
    # A one-column "table" is a frame drawn around text: when an unruled table is found in
    # it, the frame gives way; otherwise it stays what it was.
    kept = [(top, f) for top, f in frames
            if not any(_overlaps(f.location.bbox, t.location.bbox) for _, t in unruled)]
    if kept:
        chars = _outside(chars, [f.location.bbox for _, f in kept])
        unruled, rows = _unruled(chars, file, page_no)
    lines = _lines_of(rows)
    # Running page numbers at the foot (or head) of the page are not content.
    lines = margins = [ln for ln in lines if not (_PAGE_NUMBER.match(ln.text)
                                                  and (ln.top > page.height * 0.85
                                                       or ln.bottom < page.height * 0.1))]
    taken: list[_Line] = []
    grids = [(t.location.bbox[1], t) for t in (_with_cut_rows(t, lines, taken)
                                                for _top, t in grids)]
    lines = [ln for ln in lines if not any(ln is t for t in taken)]
    items: list[tuple[float, _Line | Table]] = [(ln.top, ln) for ln in lines]
    items.extend(grids + kept + unruled)
    items.sort(key=lambda it: it[0])
    return items, margins


def _outside(chars: list[dict], boxes: list[tuple[float, float, float, float]]) -> list[dict]:
    return [c for c in chars if not boxes or not _inside(c, boxes)]


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass
class _Open:
    text: str
    location: Location
    last: _Line
    right: float
    left: float


def _continues(prev: _Open, line: _Line, left: float) -> bool:
    """Does `line` carry on the paragraph whose last line is `prev.last`?"""
    size = prev.last.size or 10.0
    # Ragged-right layouts leave up to a few characters' room at the end of a wrapped line;
    # a sentence that ends well short of the margin ends its paragraph.
    if prev.last.fragment or line.fragment or prev.last.x0 > prev.left + 2.5 * size:
        return False  # header pieces, centred titles and right-aligned notes stand alone
    room = prev.right - prev.last.x1
    ends_sentence = prev.last.text.endswith(("。", "；", "：", ":", "！", "？"))
    full = (room <= 4 * size and not (room > 1.5 * size and ends_sentence)) or (
        # Chinese paragraphs end on a stop: a long line without one wraps onto the next.
        not ends_sentence and room < 0.5 * (prev.right - prev.left))
    indented = line.x0 > left + 1.2 * size
    return full and not indented and not _OPENS_PARAGRAPH.match(line.text)


def _out_of_memory(exc: BaseException) -> bool:
    """pdfplumber wraps every pdfminer error, a MemoryError (a decompression bomb) included."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, MemoryError) or any(isinstance(a, MemoryError) for a in seen.args):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def read_pdf(path: Path, max_pages: int | None = None) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    broken = (PDFException, PSException, MalformedPDFException, PdfminerException)

    data = path.read_bytes()
    file = path.name
    if not data.startswith(b"%PDF"):
        raise NotAReport(file, "not a PDF (no %PDF header)")
    blocks: list[Paragraph | Table] = []
    try:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            if pages == 0:
                raise NotAReport(file, "the PDF has no pages")
            if max_pages is not None and pages > max_pages:
                raise ResourceLimit(file, f"the PDF has {pages} pages, over the page cap of "
                                          f"{max_pages} (JUESUAN_MAX_PAGES)")
            empty_pages: list[int] = []
            open_par: _Open | None = None
            for page_no, page in enumerate(pdf.pages, start=1):
                items, lines = _page_items(page, file, page_no)
                if not page.chars:
                    empty_pages.append(page_no)
                left = min((ln.x0 for ln in lines), default=0.0)
                right = max((ln.x1 for ln in lines), default=page.width)
                line_no = 0
                for _, item in items:
                    if isinstance(item, Table):
                        if open_par:
                            blocks.append(Paragraph(open_par.text, open_par.location))
                            open_par = None
                        blocks.append(item)
                        continue
                    line_no += 1
                    if open_par and _continues(open_par, item, left):
                        open_par.text += item.text
                        loc = open_par.location
                        if loc.page == page_no:
                            open_par.location = Location(file, loc.line, line_no, loc.page,
                                                         loc.bbox)
                        # The next line is judged against the margins of this line's page.
                        open_par.last, open_par.right, open_par.left = item, right, left
                        continue
                    if open_par:
                        blocks.append(Paragraph(open_par.text, open_par.location))
                    box = (round(item.x0, 1), round(item.top, 1), round(item.x1, 1),
                           round(item.bottom, 1))
                    open_par = _Open(item.text, Location(file, line_no, None, page_no, box),
                                     item, right, left)
                page.flush_cache()
            if open_par:
                blocks.append(Paragraph(open_par.text, open_par.location))
    except broken as exc:
        if _out_of_memory(exc):
            raise MemoryError(str(exc)) from None  # the parse limits' to report, not the PDF's
        raise PdfUnreadable(file, f"cannot open the PDF: {type(exc).__name__}: {exc}") from None
    if len(empty_pages) == pages:
        raise ScannedPdf(file, f"no text layer on any of its {pages} pages (a scanned "
                               f"document?); OCR is not supported, publish or obtain a text PDF")
    return Document(file_name=file, sha256=hashlib.sha256(data).hexdigest(), format="pdf",
                    blocks=blocks, pages=pages, pages_without_text=empty_pages)
