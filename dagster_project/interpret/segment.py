"""Cut the neutral document into the regions of the 9 standard tables and the rest.

A table region starts at its title (收入支出决算总表 …) or at its code marker (公开01表, 表1);
it collects the table rows that follow, and ends at the next title or at prose. A region
whose title is followed by no rows (a table of contents, a mention) is dropped later in
favour of the region with rows; consecutive regions of one code are one table continued on
the next page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import takewhile

from dagster_project.amounts import is_amount
from dagster_project.document import Cell, Document, Location, Paragraph
from dagster_project.interpret.layout import (
    EMPTY_DECLARATION,
    OTHER_TABLE_TITLE,
    UNIT_LINE,
    table_code_of_marker,
    table_code_of_title,
)


@dataclass
class Region:
    code: str
    title: str | None
    location: Location
    rows: list[list[Cell]] = field(default_factory=list)
    units: list[tuple[str, Location]] = field(default_factory=list)
    declarations: list[tuple[str, Location]] = field(default_factory=list)
    # Row indexes where a continuation on a later page begins (it may repeat the header).
    continuations: list[int] = field(default_factory=list)
    # The code came from a bare 表N marker: older layouts number their tables their own way,
    # so a title read after it decides.
    code_from_number: bool = False
    # The same table printed again later in the document (a second copy, not a continuation).
    repeats: list[Region] = field(default_factory=list)


@dataclass
class Segments:
    regions: list[Region]
    # Everything that is not part of a standard table, in order.
    others: list[Paragraph | list[Cell]]


def _single_text(row: list[Cell]) -> str | None:
    texts = [c.text for c in row if c.text.strip()]
    return texts[0] if len(texts) == 1 else None


# A header cell naming the unit of the figures under it, "决算数（万元）" (深圳, 泉州, 北京).
_HEADER_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[)）]$")
_BUDGET_MARKER = re.compile(r"(?:公开|预算)?(?:表)?\d{1,2}表|表\d{1,2}|公开表\d{1,2}|表[一二三四五六七八九十]{1,3}")
_PROSE_END = re.compile(r"[。；]$")
# A line that only qualifies the title above it: "（按经济分类科目分）", "(按支出功能分类科目-不含上年结转)".
_QUALIFIER = re.compile(r"[（(]按[^（()）]{1,30}[)）]")


def _is_region_noise(text: str) -> bool:
    """Lines that may sit between a title and its grid, or between pages of one table."""
    t = text.strip()
    return bool(
        UNIT_LINE.match(t)
        # "编制单位：上海市财务会计综合管理事务中心（上海市财政科学研究所）": a long name is
        # still the line naming the unit above the grid, not prose.
        or re.match(r"^(编制|预算|填报)?(单位|部门)(名称)?[:：]", t)
        or t.startswith("注")
        or EMPTY_DECLARATION.search(t)
        or re.fullmatch(r"[-—\s\d第页/共]+", t)
        or (len(t) <= 30 and not _PROSE_END.search(t) and "部分" not in t and "说明" not in t)
    )


def segment(doc: Document, phase: str = "决算") -> Segments:
    """The regions of the tables of a document phase (决算 or 预算: see the table registry)."""
    regions: list[Region] = []
    others: list[Paragraph | list[Cell]] = []
    current: Region | None = None
    closed: Region | None = None  # the table a paragraph of prose just ended

    def absorb_line(region: Region, text: str, loc: Location) -> None:
        m = UNIT_LINE.match(text.strip())
        if m:
            region.units.append((m.group(1).strip(), loc))
        elif EMPTY_DECLARATION.search(text):
            region.declarations.append((text.strip(), loc))

    items: list[Paragraph | list[Cell]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            items.append(block)
        else:
            items.extend(block.rows)

    wrapped: set[int] = set()
    for at, item in enumerate(items):
        if at in wrapped:
            continue
        if isinstance(item, Paragraph):
            text, loc = item.text, item.location
        else:
            text = _single_text(item)
            loc = item[0].location
        if text is not None:
            # A sentence naming a table ("…，并在财政拨款收支总体情况表中列示。") is prose: a
            # title never ends a sentence.
            title_code = None if _PROSE_END.search(text.strip()) else table_code_of_title(text, phase)
            following = items[at + 1] if at + 1 < len(items) else None
            if title_code is None and isinstance(item, Paragraph) \
                    and isinstance(following, Paragraph) and len(text.strip()) <= 40 \
                    and not _PROSE_END.search(text.strip()) and not text.strip().endswith("表") \
                    and table_code_of_title(following.text, phase) is None \
                    and table_code_of_title(text.strip() + following.text.strip(), phase):
                # A title wrapped over two lines ("…“三公”经费、" / "会议费、培训费表（不含上年
                # 结转）"): read as one. Not a line before a title ("2024年度部门决算表" above
                # "2024年度收入支出决算总表"): that title stands on its own line.
                text = text.strip() + following.text.strip()
                title_code = table_code_of_title(text, phase)
                wrapped.add(at + 1)
            if title_code and isinstance(item, Paragraph) and isinstance(following, Paragraph) \
                    and at + 1 not in wrapped and _QUALIFIER.fullmatch(following.text.strip()):
                # The title's qualifier on a line of its own (西安: "…一般公共预算支出明细表" /
                # "（按经济分类科目分）"): the title is both lines, and the qualifier may make it
                # another table's (by 经济分类, not 功能分类) or none of ours.
                text = text.strip() + following.text.strip()
                title_code = table_code_of_title(text, phase)
                wrapped.add(at + 1)
                if title_code is None:
                    current = closed = None  # another kind of table starts: ours has ended
                    others.append(item)
                    continue
            marker_code = table_code_of_marker(text, phase)
            if title_code:
                if current is not None and not current.rows and current.code_from_number:
                    current.code, current.title = title_code, text.strip()
                    current.code_from_number = False
                    continue
                current, closed = Region(title_code, text.strip(), loc), None
                regions.append(current)
                continue
            if marker_code is None and phase != "决算" and _BUDGET_MARKER.fullmatch(
                    text.replace(" ", "")):
                # 公开02表 / 预算02表 / 表2 in a budget: never data, and never a table's name.
                others.append(item)
                continue
            if marker_code:
                official = "公开" in text
                if current is not None and not current.rows and not current.declarations \
                        and current.title:
                    if official:
                        current.code = marker_code  # 公开NN表 wins over the title guess
                elif current is None or current.code != marker_code or current.rows:
                    current = Region(marker_code, None, loc, code_from_number=not official)
                    regions.append(current)
                continue
            if len(text.strip()) <= 40 and OTHER_TABLE_TITLE.search(text.strip()):
                if current is not None and not current.rows and current.title is None:
                    regions.remove(current)  # the number was this other table's, not ours
                current = closed = None  # another kind of table starts: ours has ended
                others.append(item)
                continue
        if current is None:
            if closed is not None and isinstance(item, Paragraph) and "本表" in item.text \
                    and EMPTY_DECLARATION.search(item.text):
                # "…，故本表无数据。" after the table's notes: it still speaks of that table.
                closed.declarations.append((item.text.strip(), item.location))
            others.append(item)
            continue
        if isinstance(item, Paragraph):
            if _is_region_noise(item.text):
                absorb_line(current, item.text, item.location)
                continue
            current, closed = None, current
            others.append(item)
            continue
        # A table row: unit lines and declarations may also come as rows; a header row (one
        # without an amount) may name the unit in a column's header.
        header_row = not any(is_amount(c.text) for c in item)
        for cell in item:
            if UNIT_LINE.match(cell.text.strip()):
                current.units.append((UNIT_LINE.match(cell.text.strip()).group(1).strip(), cell.location))
            elif header_row and _HEADER_UNIT.search(cell.text.strip()):
                current.units.append((_HEADER_UNIT.search(cell.text.strip()).group(1),
                                      cell.location))
        if text is not None and EMPTY_DECLARATION.search(text):
            current.declarations.append((text.strip(), loc))
        current.rows.append(item)
    return Segments(regions, others)


def merge_regions(regions: list[Region]) -> dict[str, Region]:
    """One region per table code: continuation regions appended, row-less mentions dropped.

    Only a region that follows its own table (nothing but that table in between) continues
    it. The same table printed again after others is a second copy, kept in `repeats` for
    the interpreter to compare, never appended: its rows would double every total.
    """
    merged: dict[str, Region] = {}
    previous: str | None = None
    for region in regions:
        if not region.rows and not region.declarations:
            continue  # only named: a contents page, a mention in the text
        if region.code_from_number and region.title is None:
            continue  # "表5" with no title we know: the number alone never names a table
        if region.code not in merged:
            merged[region.code] = region
        elif region.code == previous:
            base = merged[region.code]
            if region.rows:
                base.continuations.append(len(base.rows))
            base.rows.extend(region.rows)
            base.units.extend(region.units)
            base.declarations.extend(region.declarations)
        else:
            merged[region.code].repeats.append(region)
        previous = region.code
    return merged


def without_blank_columns(region: Region) -> Region:
    """A spreadsheet export rules blank spacer columns into its grid (江苏 2017-2018): a
    column with no text in any row of the table, header included, holds nothing and names
    nothing, and would shift the amounts off the columns the header names. Only where every
    row has the grid's width: a row of another width (a continuation page's grid) may print
    that column elsewhere."""
    rows = [r for r in region.rows if any(c.text.strip() for c in r)]
    widths = {len(r) for r in rows}
    if len(widths) != 1 or len({len(r) for r in region.rows}) != 1:
        return region
    width = widths.pop()
    keep = [j for j in range(width) if any(r[j].text.strip() for r in rows)]
    if len(keep) == width or not keep:
        return region
    return replace(region, rows=[[r[j] for j in keep] for r in region.rows])


def with_continuations_aligned(region: Region) -> Region:
    """A table continued on another page whose grid is drawn differently puts its cells in
    other column slots than the first page's (江苏省人大办公厅 2017 p.9: the 收支总表's last rows
    share one grid with the next table, whose rules add column edges; 江苏省检察院 2018 p.19:
    three ruled columns where p.18's grid has nine, six of them spacers). The table's columns
    are those its rows with a figure rule on its first page (none there: left as read); a
    continuation row is matched to such a row with as many ruled cells (else, merged cells, to the first page's usual
    rows), each cell to the column whose left rule it stands nearest once the continuation's
    grid is laid over the first page's (leftmost and rightmost rules), when clearly nearer
    that rule than any other of those columns (under half the way to the next).
    Otherwise the row stays as read (and the parser says where it does not match the header)."""
    if not region.rows:
        return region
    page = region.rows[0][0].location.page
    first = list(takewhile(lambda r: r and r[0].location.page == page, region.rows))
    if len(first) == len(region.rows):
        return region
    width = max(len(r) for r in first)
    figures = [r for r in first if any(is_amount(c.text) for c in r)]
    if not figures:
        return region  # only a caption or a header on the first page: no columns to go by
    left: dict[int, float] = {}
    for row in figures:
        for j, cell in enumerate(row):
            box = cell.location.bbox
            if box is not None and (j not in left or box[0] < left[j]):
                left[j] = box[0]
    # The columns the first page's rows with figures rule, by how many cells they have: a
    # 合计 row may span or split columns the item rows do not.
    patterns = Counter(tuple(j for j, c in enumerate(r) if c.location.bbox is not None)
                       for r in figures)
    if len(left) < 2 or not patterns:
        return region
    columns = [[(j, left[j]) for j in pattern] for pattern, _n in patterns.most_common()]
    reference = _extent(figures)
    extents: dict[int | None, tuple[float, float]] = {}
    for row in region.rows[len(first):]:
        span = _extent([row])
        if span:
            on = row[0].location.page
            lo, hi = extents.get(on, span)
            extents[on] = (min(lo, span[0]), max(hi, span[1]))
    rows = list(first)
    for row in region.rows[len(first):]:
        rows.append(_aligned(row, columns, width, reference, extents.get(row[0].location.page)))
    return replace(region, rows=rows)


def _extent(rows: list[list[Cell]]) -> tuple[float, float] | None:
    boxes = [c.location.bbox for r in rows for c in r if c.location.bbox is not None]
    return (min(b[0] for b in boxes), max(b[2] for b in boxes)) if boxes else None


def _aligned(row: list[Cell], columns: list[list[tuple[int, float]]], width: int,
             reference: tuple[float, float] | None,
             extent: tuple[float, float] | None) -> list[Cell]:
    """`row` with each ruled cell in the table column it stands for: the columns of a first
    page's row with as many cells that fit it (most usual first), else of the usual rows."""
    if reference is None or extent is None or extent[1] <= extent[0] \
            or not any(c.text.strip() for c in row):
        return row  # a blank row places nothing
    if any(c.location.bbox is None and c.text.strip() for c in row):
        return row  # text outside every ruled cell: no rule to place it by
    cells = sorted((c for c in row if c.location.bbox is not None),
                   key=lambda c: c.location.bbox[0])
    scale = (reference[1] - reference[0]) / (extent[1] - extent[0])
    xs = [reference[0] + (c.location.bbox[0] - extent[0]) * scale for c in cells]
    for rules in [r for r in columns if len(r) == len(cells)] + columns[:1]:
        slots = _slots(cells, xs, rules)
        if slots is not None:
            break
    else:
        return row
    current = {j: c for j, c in enumerate(row) if c.location.bbox is not None}
    if slots == current and len(row) == width:
        return row
    blank = Location(row[0].location.file, page=row[0].location.page)
    return [slots.get(j, Cell("", blank)) for j in range(width)]


def _slots(cells: list[Cell], xs: list[float],
           rules: list[tuple[int, float]]) -> dict[int, Cell] | None:
    """Each cell's column: the rule its left edge is nearest, under half the way to the next;
    None when a cell has no such rule or two cells would share one."""
    slots: dict[int, Cell] = {}
    for cell, x in zip(cells, xs, strict=True):
        k = min(range(len(rules)), key=lambda i: abs(rules[i][1] - x))
        gaps = [abs(rules[i][1] - rules[k][1]) for i in (k - 1, k + 1) if 0 <= i < len(rules)]
        if not gaps or abs(rules[k][1] - x) >= 0.5 * min(gaps) or rules[k][0] in slots:
            return None
        slots[rules[k][0]] = cell
    return slots
