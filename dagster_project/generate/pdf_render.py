"""Draw a UnitYear as a text-layer PDF in one of the named layouts (`layouts.py`).

The prose (概况, 情况说明, 名词解释) and the 绩效自评表 are the text render's own lines
(`render.py`), so their wording is the one the narrative extractor reads and an injection made
in the text shows in the PDF too; the 9 public tables are drawn from `pdf_tables`, which knows
the truth of every value cell. Tables are ruled cell by cell (every cell a box, a merged header
cell one spanning box) because the reader finds tables from their drawn lines.

The font is reportlab's built-in CID font STSong-Light (no font file, no download): its text
layer is plain Unicode that pdfplumber extracts. `invariant=1` makes the bytes a function of
the content alone.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from dagster_project.generate.layouts import Layout
from dagster_project.generate.model import UnitYear
from dagster_project.generate.pdf_tables import Box, Cell, Overrides, TableGrid, Truth, tables
from dagster_project.generate.registry import Registry
from dagster_project.generate.render import NUMERALS

FONT = "STSong-Light"
MARGIN_X = 56.0
MARGIN_TOP = 60.0
MARGIN_BOTTOM = 56.0
TABLE_SIZE = 8.0
PAD = 3.0
_registered = False
# Digits, latin and the punctuation of a number stay together when prose wraps (as Word does).
_TOKENS = re.compile(r"[0-9A-Za-z.,%\-]+|.", re.S)
_DIGITS = re.compile(r"[0-9.,%\-]+")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")


def _font() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True


def width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap(text: str, room: float, size: float) -> list[str]:
    """Lines of at most `room` points, broken between characters (number runs kept whole)."""
    lines: list[str] = []
    line = ""
    for tok in _TOKENS.findall(text):
        if line and width(line + tok, size) > room:
            lines.append(line)
            line = tok.lstrip() if tok.isspace() else tok
        else:
            line += tok
    if line or not lines:
        lines.append(line)
    return lines


class Pdf:
    def __init__(self, layout: Layout) -> None:
        _font()
        self.layout = layout
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1, pageCompression=1)
        self.c.setTitle("")
        self.c.setAuthor("")
        self.c.setProducer("juesuan generate")
        self.page = 0
        self.size = A4
        self.y = 0.0
        self.started = False
        self.frame_top: float | None = None  # caption="frame": the open frame's top

    # -- pages ----------------------------------------------------------------------------

    def new_page(self, wide: bool = False) -> None:
        if self.started:
            self._footer()
            self.c.showPage()
        self.started = True
        self.page += 1
        self.size = landscape(A4) if wide else A4
        turned = wide and self.layout.rotate_wide
        # A turned page is a portrait media box shown landscape (/Rotate 90; reportlab's page
        # size is the size shown): its content is drawn in the landscape page's coordinates,
        # mapped onto the portrait media box.
        self.c.setPageSize(self.size)
        self.c.setPageRotation(90 if turned else 0)
        if turned:
            self.c.transform(0, 1, -1, 0, A4[0], 0)
        self.y = self.size[1] - MARGIN_TOP

    def _footer(self) -> None:
        self.c.setFont(FONT, 9)
        self.c.drawCentredString(self.size[0] / 2, 30, f"- {self.page} -")

    @property
    def room(self) -> float:
        return self.size[0] - 2 * MARGIN_X

    def fits(self, h: float) -> bool:
        return self.y - h >= MARGIN_BOTTOM

    def finish(self) -> bytes:
        self._footer()
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()

    # -- prose ----------------------------------------------------------------------------

    def text_at(self, x: float, y: float, text: str, size: float) -> None:
        """Draw a line; the layout may set digits a little below the Chinese baseline."""
        drop = self.layout.digit_drop
        self.c.setFont(FONT, size)
        if not drop:
            self.c.drawString(x, y, text)
            return
        pos = 0
        for m in _DIGITS.finditer(text):
            if m.start() > pos:
                self.c.drawString(x, y, text[pos:m.start()])
                x += width(text[pos:m.start()], size)
            self.c.drawString(x, y - drop, m.group())
            x += width(m.group(), size)
            pos = m.end()
        if pos < len(text):
            self.c.drawString(x, y, text[pos:])

    def para(self, text: str, size: float | None = None, indent: bool = True,
             center: bool = False, gap: float = 4.0) -> None:
        size = size or self.layout.prose_size
        leading = size * 1.6
        first = 2 * size if indent and not center else 0.0
        lines = wrap(text, self.room - first, size)
        if len(lines) > 1:  # later lines run the full width
            rest = wrap(text[len(lines[0]):], self.room, size)
            lines = [lines[0], *rest]
        for i, line in enumerate(lines):
            if not self.fits(leading):
                self.new_page()
            self.y -= leading
            if center:
                self.c.setFont(FONT, size)
                self.c.drawCentredString(self.size[0] / 2, self.y + 0.3 * size, line)
            else:
                self.text_at(MARGIN_X + (first if i == 0 else 0), self.y + 0.3 * size, line, size)
        self.y -= gap

    # -- tables ---------------------------------------------------------------------------

    def _columns(self, grid: TableGrid) -> list[float]:
        total = sum(grid.widths)
        xs = [MARGIN_X]
        for w in grid.widths:
            xs.append(xs[-1] + self.room * w / total)
        return xs

    def _cell_lines(self, text: str, w: float) -> list[str]:
        return wrap(text, max(w - 2 * PAD, TABLE_SIZE), TABLE_SIZE) if text else [""]

    def _header_heights(self, grid: TableGrid, xs: list[float]) -> list[float]:
        line = TABLE_SIZE * 1.3
        heights = [16.0] * grid.header_rows
        for b in grid.header:
            need = len(self._cell_lines(b.text, xs[b.col + b.colspan] - xs[b.col])) * line + 6
            if b.rowspan == 1:
                heights[b.row] = max(heights[b.row], need)
        for b in grid.header:
            if b.rowspan > 1:
                need = len(self._cell_lines(b.text, xs[b.col + b.colspan] - xs[b.col])) * line + 6
                have = sum(heights[b.row:b.row + b.rowspan])
                if need > have:
                    heights[b.row + b.rowspan - 1] += need - have
        return heights

    def _box(self, x0: float, x1: float, top: float, h: float, lines: list[str],
             align: str) -> None:
        if self.layout.rules == "grid":
            self.c.rect(x0, top - h, x1 - x0, h, stroke=1, fill=0)
        elif self.layout.rules == "horizontal":
            self.c.line(x0, top, x1, top)
            self.c.line(x0, top - h, x1, top - h)
        line = TABLE_SIZE * 1.3
        y = top - (h - len(lines) * line) / 2 - TABLE_SIZE
        self.c.setFont(FONT, TABLE_SIZE)
        for text in lines:
            if align == "center":
                self.c.drawCentredString((x0 + x1) / 2, y, text)
            elif align == "right":
                self.c.drawRightString(x1 - PAD, y, text)
            else:
                self.c.drawString(x0 + PAD, y, text)
            y -= line

    def _draw_header(self, grid: TableGrid, xs: list[float]) -> None:
        heights = self._header_heights(grid, xs)
        tops = [self.y]
        for h in heights:
            tops.append(tops[-1] - h)
        for b in grid.header:
            x0, x1 = xs[b.col], xs[b.col + b.colspan]
            h = sum(heights[b.row:b.row + b.rowspan])
            self._box(x0, x1, tops[b.row], h, self._cell_lines(b.text, x1 - x0), "center")
        self.y = tops[-1]

    def _row_height(self, row: list[Cell], xs: list[float]) -> float:
        col, need = 0, 16.0
        for cell in row:
            w = xs[col + cell.span] - xs[col]
            need = max(need, len(self._cell_lines(cell.text, w)) * TABLE_SIZE * 1.3 + 6)
            col += cell.span
        return need

    def _draw_row(self, row: list[Cell], xs: list[float], h: float) -> None:
        col = 0
        for cell in row:
            x0, x1 = xs[col], xs[col + cell.span]
            self._box(x0, x1, self.y, h, self._cell_lines(cell.text, x1 - x0),
                      "right" if cell.numeric else ("center" if cell.span > 1 and
                                                    cell.text in ("合计", "总计") else "left"))
            col += cell.span
        self.y -= h

    def title_block(self, grid: TableGrid, title: str, marker: str | None, unit: str,
                    unit_name: str) -> None:
        if marker:
            self.y -= 14
            self.c.setFont(FONT, 10)
            self.c.drawRightString(self.size[0] - MARGIN_X, self.y, marker)
        if self.layout.caption == "cell":
            # The title and the unit line inside one ruled cell as wide as the grid, the
            # header's boxes right under it.
            top, h = self.y - 8, 46.0
            self.c.rect(MARGIN_X, top - h, self.room, h, stroke=1, fill=0)
            self.c.setFont(FONT, 15)
            self.c.drawCentredString(self.size[0] / 2, top - 20, title)
            self.c.setFont(FONT, 9)
            self.c.drawString(MARGIN_X + PAD, top - 38, f"编制单位：{unit_name}")
            self.c.drawRightString(self.size[0] - MARGIN_X - PAD, top - 38, unit)
            self.y = top - h
            return
        if self.layout.caption == "rows":
            # The title in a ruled row as wide as the grid, then a row "编制单位：… | 单位：万元"
            # split where no column of the grid is (江苏省人大办公厅 2017): an edge only this
            # row has.
            top = self.y - 8
            split = MARGIN_X + self.room * 0.62
            self.c.rect(MARGIN_X, top - 26, self.room, 26, stroke=1, fill=0)
            self.c.rect(MARGIN_X, top - 44, split - MARGIN_X, 18, stroke=1, fill=0)
            self.c.rect(split, top - 44, MARGIN_X + self.room - split, 18, stroke=1, fill=0)
            self.c.setFont(FONT, 15)
            self.c.drawCentredString(self.size[0] / 2, top - 19, title)
            self.c.setFont(FONT, 9)
            self.c.drawString(MARGIN_X + PAD, top - 38, f"编制单位：{unit_name}")
            self.c.drawRightString(self.size[0] - MARGIN_X - PAD, top - 38, unit)
            self.y = top - 44
            return
        if self.layout.caption == "frame":
            self.frame_top = self.y - 4
        self.y -= 26
        self.c.setFont(FONT, 15)
        self.c.drawCentredString(self.size[0] / 2, self.y, title)
        self.y -= 20
        self.c.setFont(FONT, 9)
        self.c.drawString(MARGIN_X, self.y, f"编制单位：{unit_name}")
        self.c.drawRightString(self.size[0] - MARGIN_X, self.y, unit)
        self.y -= 6

    def close_frame(self) -> None:
        """caption="frame": the rectangle round the title, unit line and grid on this page."""
        if self.frame_top is not None:
            bottom = self.y - 4
            self.c.rect(MARGIN_X - 6, bottom, self.room + 12, self.frame_top - bottom,
                        stroke=1, fill=0)
            self.frame_top = None

    def table(self, grid: TableGrid, title: str, marker: str | None, unit: str,
              unit_name: str) -> None:
        lay = self.layout
        if lay.spacer_grid:
            grid = spreadsheet_grid(grid)
        if lay.unit_place == "header":
            grid = unit_in_header(grid, unit.split("：")[-1])
            unit = ""
        wide = lay.orientation == "landscape" or (lay.orientation == "mixed" and grid.wide)
        is_wide = self.size[0] > self.size[1]
        if lay.new_page_per_table or not self.started or wide != is_wide or not self.fits(160):
            self.new_page(wide)
        else:
            self.y -= 18
        self.title_block(grid, title, marker, unit, unit_name)
        xs = self._columns(grid)
        empty = grid.empty_sentence is not None
        if empty and lay.empty_shape == "sentence":
            self.para(grid.empty_sentence, size=10.5)
            self.close_frame()
            return
        self._draw_header(grid, xs)
        rows = grid.rows
        if empty and lay.empty_shape == "grid_row":
            # The declaration as the grid's one row (江苏省委办公厅 2018: "注：本部门无相关收支项目").
            rows = [[Cell("注：" + grid.empty_sentence, span=grid.ncols)]]
        for row in rows:
            h = self._row_height(row, xs)
            if not self.fits(h):
                self.close_frame()
                self.new_page(wide)
                if lay.caption == "frame":
                    self.frame_top = self.y + 4
                if lay.continued_mark:
                    self.y -= 12
                    self.c.setFont(FONT, 10)
                    self.c.drawRightString(self.size[0] - MARGIN_X, self.y, "续表")
                    self.y -= 6
                if lay.repeat_title:
                    self.title_block(grid, title, marker, unit, unit_name)
                if lay.repeat_header or lay.repeat_title:
                    self._draw_header(grid, xs)
            self._draw_row(row, xs, h)
        self.close_frame()
        self.y -= 4
        if empty and lay.empty_shape == "grid_note":
            self.para("注：" + grid.empty_sentence, size=9, indent=False, gap=2)
        else:
            for note in grid.notes:
                self.para(note, size=9, indent=False, gap=0)

    def plain_table(self, rows: list[list[str]]) -> None:
        """A 绩效自评表 as the text render prints it: a short row's last cell spans the rest."""
        n = max(len(r) for r in rows)
        grid = TableGrid("P", "", [2.2] + [1.6] * (n - 1), [], 0)
        xs = self._columns(grid)
        for texts in rows:
            cells = [Cell(t) for t in texts]
            cells[-1].span = n - len(texts) + 1
            h = self._row_height(cells, xs)
            if not self.fits(h):
                self.new_page()
            self._draw_row(cells, xs, h)
        self.y -= 8


def spreadsheet_grid(grid: TableGrid) -> TableGrid:
    """The grid as a spreadsheet export prints it (江苏 2017-2018): a blank ruled row above the
    header and between its rows, and a narrow blank column at both edges of every row."""
    n, h = grid.ncols + 2, 2 * grid.header_rows
    header = [Box(2 * b.row + 1, b.col + 1, b.text, 2 * b.rowspan - 1, b.colspan)
              for b in grid.header]
    covered = {(b.row + r, b.col + c) for b in header for r in range(b.rowspan)
               for c in range(b.colspan)}
    header += [Box(r, c, "") for r in range(h) for c in range(n) if (r, c) not in covered]
    rows = [[Cell(""), *row, Cell("")] for row in grid.rows]
    return replace(grid, widths=[0.3, *grid.widths, 0.3], header=header, header_rows=h,
                   rows=rows)


def unit_in_header(grid: TableGrid, unit: str) -> TableGrid:
    """No unit line: the lowest named header box over each amount column says the unit,
    "决算数（万元）"."""
    amounts = set()
    for row in grid.rows:
        col = 0
        for cell in row:
            if cell.numeric:
                amounts.update(range(col, col + cell.span))
            col += cell.span
    named = [b for b in grid.header if b.text.strip() and not b.text.strip().isdigit()
             and b.text.strip() != "栏次"]
    lowest = set()
    for col in amounts:
        over = [b for b in named if b.col <= col < b.col + b.colspan]
        if over:
            lowest.add(id(max(over, key=lambda b: b.row + b.rowspan)))
    header = [replace(b, text=f"{b.text}（{unit}）") if id(b) in lowest else b
              for b in grid.header]
    return replace(grid, header=header)


# -- the document ------------------------------------------------------------------------------

def _segments(lines: list[str]) -> list[str | list[list[str]]]:
    """Paragraphs (str) and tables (rows of cells) of a stretch of the text render."""
    out: list[str | list[list[str]]] = []
    row: list[str] = []
    table: list[list[str]] = []
    for line in lines:
        if line.startswith("\t"):
            row.append(line[1:])
            continue
        if row:  # a blank line ends a row
            table.append(row)
            row = []
            continue
        if not line.strip():
            continue
        if table:
            out.append(table)
            table = []
        out.append(line.strip())
    if row:
        table.append(row)
    if table:
        out.append(table)
    return out


def _prose(pdf: Pdf, segments: list) -> None:
    for seg in segments:
        if isinstance(seg, list):
            pdf.plain_table(seg)
        elif seg.startswith("第") and "部分" in seg[:6]:
            pdf.para(seg, size=pdf.layout.prose_size + 3, indent=False, gap=8)
        elif _HEADING.match(seg) and len(seg) < 40 and "。" not in seg:
            pdf.para(seg, indent=False)
        else:
            pdf.para(seg)


TITLE_UNIT = {False: "单位：万元", True: "金额单位：元"}


def render_pdf(m: UnitYear, reg: Registry, layout: Layout, text: str,
               overrides: Overrides | None = None
               ) -> tuple[bytes, list[tuple[str, Truth, str]], list[TableGrid]]:
    """(PDF bytes, [(table code, truth, printed text)], the grids as printed).

    `text` is the text render of the same model (injected or not): its prose and 绩效自评表
    are drawn as they are; `overrides` carries an injected table figure into the grids.
    """
    lines = text.split("\n")
    first_table = lines.index("\t公开01表") - 1
    narrative = next(i for i, ln in enumerate(lines) if ln.startswith("第三部分"))
    front = _segments(lines[:first_table])
    pdf = Pdf(layout)
    pdf.new_page()
    # Cover and 概况; the last two lines of the front matter (unit name, "2024年度部门决算表")
    # open the tables part.
    _prose(pdf, front[:-2])
    pdf.new_page()
    pdf.y -= 200
    for seg in front[-2:]:
        pdf.para(str(seg), size=20, center=True, gap=20)
    grids = tables(m, reg, layout, overrides)
    if layout.contents:
        # Real reports list every table on a contents page; a reader must not take these
        # titles for the tables.
        pdf.new_page()
        pdf.para("目    录", size=16, center=True, gap=12)
        pdf.para(f"第二部分  {m.name}{m.year}年度部门决算表", indent=False)
        for pos, grid in enumerate(grids, 1):
            pdf.para(f"{NUMERALS[pos - 1]}、{grid.title}", indent=False, gap=2)
        pdf.para(f"第三部分  {m.name}{m.year}年度部门决算情况说明", indent=False)
    truths: list[tuple[str, Truth, str]] = []
    for pos, grid in enumerate(grids, 1):
        title = {"year": f"{m.year}年度{grid.title}",
                 "unit_year": f"{m.name}{m.year}年度{grid.title}",
                 "plain": grid.title}[layout.title_style]
        marker = {"gongkai": f"公开{grid.code}表", "biao": f"表{pos}",
                  "none": None}[layout.numbering]
        pdf.table(grid, title, marker, TITLE_UNIT[layout.yuan], m.name)
        for row in grid.rows:
            for cell in row:
                if cell.truth is not None:
                    truths.append((grid.code, cell.truth, cell.text))
    pdf.new_page()
    _prose(pdf, _segments(lines[narrative:]))
    return pdf.finish(), truths, grids
