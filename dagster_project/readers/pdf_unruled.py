"""Tables printed without ruling lines, rebuilt from where their text sits.

pdfplumber's table finder needs drawn lines; a table printed without them (or with only
horizontal rules, or only an outer frame) comes out of the line clusterer as pieces of text.
What still marks it as a table is alignment: several consecutive lines, each in two or more
pieces set apart by wide gaps, with amounts right-aligned in columns. From such a block this
module rebuilds the grid:

- columns are the x-ranges that the pieces of the data lines cover; an amount or a code never
  crosses a column gap, a long name may overhang into the next column on a line or two
  (tolerated, so the gap survives);
- every line is a row and every piece goes to the column its x-range overlaps most, so a row
  with nothing in a column gets a blank cell there (pdfplumber's own `text` strategy merges
  adjacent columns and drops such blanks, which shifts amounts into the wrong column);
- the header lines above the first data line join the block; a header text wrapped over two
  lines lands in one column as two header rows, a group title spanning columns in the
  leftmost one (where a ruled table's merged cell leaves it too).

A block must look like a financial table, not like prose or a contents page: at least three
rows, two columns, and a column of amounts with decimals or thousands separators. Prose lines
are single long pieces and never start a block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from dagster_project.document import Cell, Location, Table

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
# An amount as tables print it: thousands separators, decimals, a sign or brackets for a
# negative; a dash alone is a zero. Codes (2010101) match too: where a number sits decides.
_NUMBER = re.compile(r"^[-−(（]?\d{1,3}(,\d{3})+(\.\d+)?[)）]?$|^[-−(（]?\d+(\.\d+)?[)）]?%?$")
_DASH = re.compile(r"^[-—–－]{1,2}$")
# Proof that a column holds money rather than page or row numbers: decimals or separators.
_MONEY = re.compile(r"\d\.\d{1,2}$|\d,\d{3}")
# Lines that end a table's header upwards: the title, its number, the unit and unit name,
# a year line.
_NOT_HEADER = re.compile(r"表\s*$|公开\s*\d+\s*表|^表\s*\d|单位[:：]|年度|^\d{4}年|^注|说明")
# Lines that end a table downwards: the next table's title or number, a unit line.
_ENDS_TABLE = re.compile(r"表\s*$|公开\s*\d+\s*表|^表\s*\d|单位[:：]")
_SENTENCE_END = re.compile(r"[。；！？]$")

# A gap this wide (in character sizes) separates two cells on a line; within a cell words
# are set at most a space apart; an amount starts a cell after any visible gap.
_CELL_GAP = 1.2
_NUMBER_GAP = 0.3
_MAX_HEADER_ROWS = 5
# Blank space between two lines of one table, in character sizes.
_MAX_ROW_GAP = 2.2


@dataclass(frozen=True)
class Token:
    """One cell's text on one line."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def number(self) -> bool:
        return bool(_NUMBER.match(self.text) or _DASH.match(self.text))

    @property
    def money(self) -> bool:
        return bool(_NUMBER.match(self.text) and _MONEY.search(self.text))


def tokens(chars: list[dict]) -> list[Token]:
    """Split one line of characters into cell texts at wide gaps (spaces count as gaps)."""
    inked = sorted((c for c in chars if c["text"].strip()), key=lambda c: c["x0"])
    groups: list[list[dict]] = []
    for ch in inked:
        if groups:
            prev = groups[-1][-1]
            gap = ch["x0"] - prev["x1"]
            size = max(ch["size"], 1.0)
            if gap > _CELL_GAP * size or (gap > _NUMBER_GAP * size and (
                    _starts_amount(prev, ch) or _ends_amount(groups[-1]))):
                groups.append([ch])
                continue
            groups[-1].append(ch)
        else:
            groups.append([ch])
    return [_token(g) for g in groups]


def _starts_amount(prev: dict, ch: dict) -> bool:
    """A digit after a digit or a Chinese character, set apart: an amount in the next column
    (amounts of neighbouring columns set close together, a long name overhanging its column).
    A code followed by its name (2010101 行政运行) is one cell."""
    return ch["text"].isdigit() and (prev["text"].isdigit() or bool(_CJK_CHAR.match(prev["text"])))


def _ends_amount(chars: list[dict]) -> bool:
    """The cell so far is an amount (decimals or separators), so whatever follows a gap
    belongs to the next column: a name left-aligned there (… 16,343.86 | 一、一般公共服务支出).
    A bare integer is not enough: a code is followed by its name in one cell; but a zero
    printed as 0 or a dash is never a code."""
    text = "".join(c["text"] for c in chars)
    return bool(_NUMBER.match(text) and _MONEY.search(text)) or text == "0" \
        or bool(_DASH.match(text))


def spaced_text(chars: list[dict]) -> str:
    """The characters of one line piece as text: a space where a gap is wider than a third of
    a character, none between Chinese characters."""
    parts: list[str] = []
    prev = None
    for ch in chars:
        if prev is not None and ch["x0"] - prev["x1"] > 0.3 * max(ch["size"], 1.0):
            parts.append(" ")
        parts.append(ch["text"])
        prev = ch
    return _CJK_SPACE.sub("", "".join(parts)).strip()


def _token(chars: list[dict]) -> Token:
    sizes = sorted(c["size"] for c in chars)
    return Token(spaced_text(chars), chars[0]["x0"],
                 max(c["x1"] for c in chars), min(c["top"] for c in chars),
                 max(c["bottom"] for c in chars), sizes[len(sizes) // 2])


# --- which lines form a table ----------------------------------------------------------


def is_data_row(row: list[Token]) -> bool:
    """Two or more cells and an amount after the first: a line of a table's body."""
    return len(row) >= 2 and any(t.number for t in row[1:])


def _is_prose(row: list[Token]) -> bool:
    if any(_SENTENCE_END.search(t.text) or t.text.startswith(("注", "说明")) for t in row):
        return True
    # A table's names run to twenty-odd characters; a longer text is a sentence.
    return any(len(t.text) > 30 for t in row)


def _close(upper: list[Token], lower: list[Token]) -> bool:
    """Are two lines near enough to be rows of one table?"""
    size = median(t.size for t in upper + lower) or 10.0
    gap = min(t.top for t in lower) - max(t.bottom for t in upper)
    return gap <= _MAX_ROW_GAP * size


def _is_header(row: list[Token]) -> bool:
    return (not _is_prose(row) and not any(_NOT_HEADER.search(t.text) for t in row)
            and not any(t.money for t in row)
            and all(len(t.text) <= 16 for t in row))


def find_blocks(rows: list[list[Token]]) -> list[tuple[int, int, int]]:
    """(first header row, first data row, end) of each candidate table, row indexes."""
    blocks: list[tuple[int, int, int]] = []
    i = 0
    while i < len(rows):
        if not is_data_row(rows[i]) or (blocks and i < blocks[-1][2]):
            i += 1
            continue
        last = i
        j = i + 1
        # Rows between data rows (a name whose amounts are all blank, a 栏次 row) belong;
        # rows after the last data row do not.
        while j < len(rows) and not _is_prose(rows[j]) and _close(rows[j - 1], rows[j]) \
                and not any(_ENDS_TABLE.search(t.text) for t in rows[j]):
            if is_data_row(rows[j]):
                last = j
            j += 1
        head = i
        floor = blocks[-1][2] if blocks else 0
        while head > floor and i - head < _MAX_HEADER_ROWS and _is_header(rows[head - 1]) \
                and _close(rows[head - 1], rows[head]):
            head -= 1
        blocks.append((head, i, last + 1))
        i = last + 1
    return blocks


# --- the grid --------------------------------------------------------------------------


def _spans(body: list[list[Token]]) -> list[tuple[float, float]]:
    """Column x-ranges from the body lines: where numbers lie, or text on several lines.

    A number (amount or code) never crosses into another column, so any x it covers is
    inside a column. A name may overhang its column on a line or two: text makes a column
    only where more lines than that cover it.
    """
    tolerance = 1 if len(body) >= 4 else 0
    events: list[tuple[float, int, int]] = []
    for row in body:
        for t in row:
            kind = 0 if t.number else 1
            events += [(t.x0, 1, kind), (t.x1, -1, kind)]
    events.sort(key=lambda e: (e[0], -e[1]))
    spans: list[tuple[float, float]] = []
    cover = [0, 0]
    start: float | None = None
    for x, step, kind in events:
        was = cover[0] > 0 or cover[1] > tolerance
        cover[kind] += step
        now = cover[0] > 0 or cover[1] > tolerance
        if now and not was:
            start = x
        elif was and not now and start is not None:
            spans.append((start, x))
    return spans


def _overlap(t: Token, span: tuple[float, float]) -> float:
    return min(t.x1, span[1]) - max(t.x0, span[0])


def _place_leaves(spans: list[tuple[float, float]], leaves: list[Token],
                  body: list[list[Token]]) -> list[tuple[float, float]]:
    """Widen or add columns for the lowest header texts that overlap no column.

    A header centred over a wide column may miss its amounts, which sit against the right
    edge: it joins the column of amounts just right of it when no other header claims that
    column. A header with nothing under it (a column blank in every row) makes its own.
    Right to left, so each header meets its own amounts before its left neighbour does.
    """
    spans = list(spans)
    claimed = {k for k, sp in enumerate(spans) if any(_overlap(t, sp) > 0 for t in leaves)}
    numeric = [all(t.number for row in body for t in row if _overlap(t, sp) > 0) for sp in spans]
    for t in sorted(leaves, key=lambda t: -t.x0):
        if any(_overlap(t, sp) > 0 for sp in spans):
            continue
        right = next((k for k, sp in enumerate(spans) if sp[0] >= t.x1), None)
        if right is not None and right not in claimed and numeric[right] \
                and spans[right][0] - t.x1 <= max(t.x1 - t.x0, 3 * t.size):
            spans[right] = (t.x0, spans[right][1])
            claimed.add(right)
            continue
        at = right if right is not None else len(spans)
        spans.insert(at, (t.x0, t.x1))
        numeric.insert(at, False)
        claimed = {k + (k >= at) for k in claimed} | {at}
    return spans


def _numbering_row(row: list[Token]) -> bool:
    """The 栏次 row: column numbers 1, 2, 3 … centred under the headers, not amounts."""
    nums = [t for t in row if t.number]
    return len(nums) >= 2 and all(re.fullmatch(r"\d{1,2}", t.text) for t in nums) \
        and all(len(t.text) <= 2 for t in row)  # 栏次, 类, 款, 项 beside them


def _column_of(t: Token, spans: list[tuple[float, float]], header: bool) -> int:
    """The column a text belongs to.

    A header text spanning several columns (a group title, 功能分类科目编码 wider than its
    codes) goes to the leftmost one it covers most of; anything else to the column it
    overlaps most, or the nearest one.
    """
    overlaps = [_overlap(t, s) for s in spans]
    if header:
        for k, (s, ov) in enumerate(zip(spans, overlaps, strict=True)):
            if ov > 0 and ov >= 0.5 * min(s[1] - s[0], t.x1 - t.x0):
                return k
    best = max(range(len(spans)), key=lambda k: (overlaps[k], -k))
    if overlaps[best] > 0:
        return best
    centre = (t.x0 + t.x1) / 2
    return min(range(len(spans)), key=lambda k: abs((spans[k][0] + spans[k][1]) / 2 - centre))


def _is_leaf(t: Token, below: list[list[Token]]) -> bool:
    """No header text under it: it names a column rather than a group of columns."""
    return not any(_overlap(t, (u.x0, u.x1)) > 0 for row in below for u in row)


def build_grid(header: list[list[Token]],
               body: list[list[Token]]) -> tuple[list[tuple[float, float]], list[list[list[Token]]]]:
    """Column spans and, per row, the texts of each column (empty list: a blank cell)."""
    # Only a header can name a column the body leaves blank; a body text between columns
    # (合计 centred over the code and name columns) belongs to the nearest one.
    # Labels always print, so only a value column (right of the first amount) can be blank
    # all the way down.
    # Column numbers are centred where amounts are right-aligned: they would split a column.
    spans = _spans([row for row in body if not _numbering_row(row)] or body)
    money = min((t.x0 for row in body for t in row if t.money), default=float("inf"))
    leaves = [t for r, row in enumerate(header) for t in row
              if t.x0 > money and _is_leaf(t, header[r + 1:])]
    spans = _place_leaves(spans, leaves, body)
    grid: list[list[list[Token]]] = []
    for r, row in enumerate(header + body):
        cells: list[list[Token]] = [[] for _ in spans]
        for t in row:
            cells[_column_of(t, spans, header=r < len(header))].append(t)
        grid.append(cells)
    _join_wrapped(grid[:len(header)], header)
    _lift(grid[:len(header)])
    return spans, grid


def _lift(cells: list[list[list[Token]]]) -> None:
    """Stack each column's header texts from the top header row down.

    A ruled table's header cell spanning several header rows keeps its text in its top row,
    and the interpreter reads a blank top cell as lying under the group title to its left.
    Unruled, a text centred over two header rows sits on a line of its own, lower: lifted, it
    does not read as part of whatever stands to its left.
    """
    for c in range(len(cells[0]) if cells else 0):
        texts = [row[c] for row in cells if row[c]]
        for r, row in enumerate(cells):
            row[c] = texts[r] if r < len(texts) else []


def _join_wrapped(cells: list[list[list[Token]]], lines: list[list[Token]]) -> None:
    """Join a header text wrapped over lines of its column into its first line's cell.

    The interpreter reads a column by its lowest header text: 上缴上级 / 支出 must read as
    上缴上级支出, as a ruled table's cell gives it. The next line of a wrap sits right under
    the text (a vertically centred header of a neighbour may stand between the two lines), and
    each is the only text under or over the other: a text over several texts is a group title.
    """
    every = [t for line in lines for t in line]
    for c in range(len(cells[0]) if cells else 0):
        held: tuple[int, Token] | None = None  # the cell being filled and its lowest text
        for r, row in enumerate(cells):
            if len(row[c]) != 1:
                held = (r, row[c][-1]) if row[c] else held
                continue
            lower = row[c][0]
            if held and _wraps(held[1], lower, every):
                cells[held[0]][c].append(lower)
                row[c] = []
                held = (held[0], lower)
            else:
                held = (r, lower)


def _wraps(upper: Token, lower: Token, every: list[Token]) -> bool:
    if lower.top - upper.bottom > 0.6 * upper.size or _overlap(upper, (lower.x0, lower.x1)) <= 0:
        return False
    under = [t for t in every if t.top > upper.top and t.top <= lower.top
             and _overlap(upper, (t.x0, t.x1)) > 0]
    over = [t for t in every if t.top < lower.top and t.top >= upper.top
            and _overlap(lower, (t.x0, t.x1)) > 0]
    return under == [lower] and over == [upper]


def _numeric_column(grid: list[list[list[Token]]], first_body: int) -> bool:
    """Some column whose filled body cells are all numbers, one of them money."""
    for k in range(len(grid[0])):
        cells = [c for row in grid[first_body:] for c in row[k:k + 1] if c]
        if cells and all(len(c) == 1 and c[0].number for c in cells) \
                and any(c[0].money for c in cells):
            return True
    return False


def _enough_body(body: list[list[Token]]) -> bool:
    """Two data rows, or one carrying three amounts (a 三公 table is a single line)."""
    data = [row for row in body if is_data_row(row)]
    return len(data) >= 2 or sum(t.number for t in data[0]) >= 3


def _cell(texts: list[Token], span: tuple[float, float], row: list[Token], file: str,
          page_no: int) -> Cell:
    if texts:
        text = _CJK_SPACE.sub("", " ".join(t.text for t in texts)).strip()
        box = (min(t.x0 for t in texts), min(t.top for t in texts),
               max(t.x1 for t in texts), max(t.bottom for t in texts))
    else:
        # A blank cell sits where its column crosses its row.
        text = ""
        box = (span[0], min(t.top for t in row), span[1], max(t.bottom for t in row))
    return Cell(text, Location(file, page=page_no, bbox=tuple(round(v, 1) for v in box)))


def tables_in_lines(lines: list[list[dict]], file: str,
                    page_no: int) -> list[tuple[int, int, Table]]:
    """The unruled tables among a page's lines of characters: (first line, end line, table).

    Most pages are prose: a line without a digit cannot carry an amount, so only lines with
    one are split into cells to look for a table's body before the whole page is.
    """
    digits = {i: tokens(line) for i, line in enumerate(lines)
              if any(c["text"].isdigit() for c in line)}
    if not any(is_data_row(row) for row in digits.values()):
        return []
    return unruled_tables([digits[i] if i in digits else tokens(line)
                           for i, line in enumerate(lines)], file, page_no)


def unruled_tables(rows: list[list[Token]], file: str,
                   page_no: int) -> list[tuple[int, int, Table]]:
    """The tables found among a page's lines: (first row, end row, table).

    Lines of nothing but spaces hold no cell; the row indexes returned count them.
    """
    index = [i for i, row in enumerate(rows) if row]
    rows = [rows[i] for i in index]
    found: list[tuple[int, int, Table]] = []
    for head, first, end in find_blocks(rows):
        header, body = rows[head:first], rows[first:end]
        if len(header) + len(body) < 3 or not _enough_body(body):
            continue
        spans, grid = build_grid(header, body)
        if len(spans) < 2 or not _numeric_column(grid, len(header)):
            continue
        # A header line whose texts all joined the wraps above it leaves an empty row.
        table_rows = [[_cell(texts, span, line, file, page_no)
                       for texts, span in zip(cells, spans, strict=True)]
                      for cells, line in zip(grid, header + body, strict=True)
                      if any(cells)]
        every = [t for row in header + body for t in row]
        box = (min(t.x0 for t in every), min(t.top for t in every),
               max(t.x1 for t in every), max(t.bottom for t in every))
        loc = Location(file, page=page_no, bbox=tuple(round(v, 1) for v in box))
        found.append((index[head], index[end - 1] + 1, Table(table_rows, loc)))
    return found
