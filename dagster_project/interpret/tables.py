"""Turn one table region into cells: header recognised, rows keyed, amounts in 万元."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from dagster_project.amounts import (
    AmountError,
    SuspectAmount,
    is_amount,
    parse_amount,
    to_wan_yuan,
    unit_divisor,
)
from dagster_project.codes import join_split_code, looks_like_code
from dagster_project.document import Cell, Location
from dagster_project.interpret import pairs
from dagster_project.interpret.facts import CellFact, Problem, TableFact
from dagster_project.interpret.header import (
    LABEL_WORDS,
    MergedColumns,
    column_key,
    header_paths,
    is_label_path,
    normalise,
    rules_of,
    stage_of,
)
from dagster_project.interpret.layout import (
    COLUMNS,
    EMPTY_DECLARATION,
    FUNCTION_TABLES,
    FUNDS,
    SUMMARY_EXPENDITURE_COLUMNS,
    SUMMARY_INCOME_COLUMNS,
    TABLE_KINDS,
    UNIT_LINE,
    expenditure_row_key,
    income_row_key,
    reads_as,
    strip_numbering,
    table_name,
)
from dagster_project.interpret.segment import (
    Region,
    with_continuations_aligned,
    without_blank_columns,
)

_INT = re.compile(r"^\d{1,2}$")
# Header words a PDF table can merge into the first data row ('类 | 款 | 项 | 合计 | 2,946.25').
_HEADER_WORDS = {"类", "款", "项", "栏次"}
# The code before the name in one cell: "2010301 行政运行", "[30101]基本工资" (广州 brackets it).
# Never a year ("2024年“三公”经费预算数"): the code is not followed by another digit.
_LEADING_CODE = re.compile(r"^[\[【]?(\d{3}(?:\d{2}){0,2})(?!\d)[\]】]?\s*(\S.*)$")


class TableError(Exception):
    def __init__(self, kind: str, message: str, location: Location):
        super().__init__(message)
        self.kind, self.message, self.location = kind, message, location


def _texts(row: list[Cell]) -> list[str]:
    return [c.text.strip() for c in row]


def _is_column_number_row(texts: list[str]) -> bool:
    """The 栏次 row: '栏次' and/or the column numbers 1, 2, 3 … and nothing else."""
    nonblank = [t for t in texts if t]
    if not nonblank:
        return False
    if "栏次" in nonblank:
        return True
    nums = [t for t in nonblank if _INT.match(t)]
    # Column numbers count up from 1; a row of zeros ("0 | 0 | 0") is figures, not numbering.
    return (len(nums) == len(nonblank) and len(nums) >= 3 and nums == sorted(nums, key=int)
            and len(set(nums)) == len(nums) and int(nums[0]) >= 1)


def _is_skippable(texts: list[str]) -> bool:
    nonblank = [t for t in texts if t]
    if not nonblank:
        return False
    first = nonblank[0]
    if UNIT_LINE.match(first) or any(UNIT_LINE.match(t) for t in nonblank):
        return True
    if first.startswith("注") or EMPTY_DECLARATION.search(first):
        return True
    # A note continued on its own row ("2.本套报表金额单位转换时可能存在尾数误差。").
    return len(nonblank) == 1 and len(first) > 15 and not is_amount(first)


def _amount_unit(region: Region) -> str:
    for text, _loc in region.units:
        if text.endswith("万元") or text == "万元":
            return "万元"
        if text.endswith("元") and ("单位" in text or len(text) <= 2):
            return "元"
        if text == "元":
            return "元"
    return "万元"


class _Builder:
    """Accumulates the cells of one table with its unit conversion."""

    def __init__(self, code: str, unit: str):
        self.code = code
        self.unit = unit
        self.cells: list[CellFact] = []

    def add(
        self,
        row_index: int,
        cell: Cell,
        column_index: int,
        column_label: str,
        column_key: str | None,
        column_group: int = 0,
        row_code: str | None = None,
        row_label: str | None = None,
        row_key: str | None = None,
        row_line_no: str | None = None,
    ) -> None:
        try:
            amount = parse_amount(cell.text)
            value = to_wan_yuan(amount.value, self.unit) if amount else None
        except SuspectAmount as exc:
            raise TableError(
                "bad_amount",
                f"公开{self.code}表: column {column_label!r} (row "
                f"{row_label or row_code or row_index + 1}): {exc}", cell.location) from exc
        except AmountError as exc:
            raise TableError(
                "column_mismatch",
                f"{table_name(self.code)}: column {column_label!r} holds {cell.text!r}, not an amount "
                f"(row {row_label or row_code or row_index + 1}); the row does not match the header",
                cell.location,
            ) from exc
        self.cells.append(
            CellFact(
                table_code=self.code,
                row_index=row_index,
                row_code=row_code,
                row_label=row_label,
                row_key=row_key,
                row_line_no=row_line_no,
                column_index=column_index,
                column_label=column_label,
                column_key=column_key,
                column_group=column_group,
                value_wan_yuan=value,
                printed_text=cell.text,
                decimals=amount.decimals if amount else None,
                unit_divisor=unit_divisor(self.unit),
                location=cell.location,
            )
        )


def _split_header(rows: list[list[Cell]], code: str) -> tuple[list[list[str]], list[list[Cell]]]:
    """Header rows (texts) and data rows, from what the rows say: the header ends at the 栏次
    row when there is one, else at the first row that starts with a code, a total label or
    holds an amount. A total label whose row also carries column names (a header row sharing
    its ruled row with 合计) is still header."""
    body = [r for r in rows if not _is_skippable(_texts(r))]
    for i, row in enumerate(body):
        if _is_column_number_row(_texts(row)):
            return [_texts(r) for r in body[: i + 1]], _without_repeats(body[: i + 1], body[i + 1 :])
    for i, row in enumerate(body):
        if _is_data_row(_texts(row), code):
            return [_texts(r) for r in body[:i]], _without_repeats(body[:i], body[i:])
    return [_texts(r) for r in body], []


def _without_repeats(header: list[list[Cell]], data: list[list[Cell]]) -> list[list[Cell]]:
    """A table continued on the next page may print its header again with no title above
    it: the rows that repeat a header row (or are a 栏次 row) are not data."""
    seen = {tuple(normalise(t) for t in _texts(r)) for r in header if any(_texts(r))}
    return [r for r in data if tuple(normalise(t) for t in _texts(r)) not in seen
            and not _is_column_number_row(_texts(r))]


def _is_data_row(texts: list[str], code: str) -> bool:
    nonblank = [t for t in texts if t]
    if not nonblank:
        return False
    first = nonblank[0]
    if looks_like_code(first) or _LEADING_CODE.match(first):
        return True
    if reads_as(code) != "06" and any(is_amount(t) and not _INT.match(t) for t in texts):
        return True
    if first in ("合计", "总计") or first.endswith("合计"):
        return reads_as(code) != "09" and not _names_columns(texts[texts.index(first) + 1 :], code)
    return False


def _names_columns(texts: list[str], code: str) -> bool:
    """Some cell names a column (基本支出, 预算数, 科目名称 …): the row is header."""
    rules = rules_of(code)
    for t in texts:
        if not t or is_amount(t):
            continue
        n = normalise(t)
        if LABEL_WORDS.search(n) or n in ("预算数", "决算数") or any(r.pattern.search(n)
                                                                 for r in rules):
            return True
    return False


def _value_count(header: list[list[str]], code: str) -> int:
    """Value columns, from the 栏次 row when printed (it numbers them), else the standard."""
    if header and _is_column_number_row(header[-1]):
        nums = [t for t in header[-1] if _INT.match(t)]
        if (reads_as(code) in FUNCTION_TABLES or reads_as(code) == "09") and nums:
            return len(nums)
    if code not in COLUMNS:
        # A budget table has no standard column list: only its header text can name them.
        raise TableError("unknown_header", f"{table_name(code)}: the header names none of the "
                         f"table's columns: {' / '.join(' | '.join(r) for r in header)[:200]}",
                         None)
    return len(COLUMNS[code])


def _width(data: list[list[Cell]]) -> int:
    """The grid's width from its rows with text: a blank row is often the next page's top
    rule (a grid of another width), not a row of this table."""
    rows = [r for r in data if any(c.text.strip() for c in r)] or data
    return max((len(r) for r in rows), default=0)


def _figures_label(code: str) -> str:
    """What an amount column of a 06-like table holds: 决算数, or a budget's 预算数."""
    return "预算数" if TABLE_KINDS.get(code) and TABLE_KINDS[code].phase == "预算" else "决算数"


def _header_labels(header: list[list[str]], n: int) -> list[str]:
    rows = [r for r in header if not _is_column_number_row(r)]
    best = max(rows, key=lambda r: sum(1 for t in r if t), default=[])
    labels = best[-n:] if len(best) >= n else best + [""] * (n - len(best))
    return [label or f"第{i + 1}栏" for i, label in enumerate(labels)]


_PLACEHOLDER = re.compile(r"^[.…。·、\-—\s]+$")


def _mapped_columns(header: list[list[str]], width: int, code: str
                    ) -> list[tuple[int, str, str | None]] | None:
    """(position, label, key) of each value column, read from the header text; None when the
    header does not name the columns on a grid as wide as the data (then positions decide)."""
    full = [r for r in header if len(r) == width]
    if not full or width < 2:
        return None
    paths = header_paths(full, width)
    try:
        keys = [None if is_label_path(p) else column_key(code, p) for p in paths]
    except MergedColumns as exc:
        raise TableError("merged_columns", f"{table_name(code)}: {exc}", None) from None
    mapped = [i for i, k in enumerate(keys) if k]
    if not mapped:
        return None
    named = [k for k in keys if k]
    if len(named) != len(set(named)):
        raise TableError("ambiguous_header",
                         f"{table_name(code)}: the header names a column twice: "
                         f"{' | '.join('/'.join(p) for p in paths)}", None)
    first = mapped[0]
    if any(not is_label_path(p) and p and i < first for i, p in enumerate(paths)
           if not any(LABEL_WORDS.search(x) for x in p)):
        first = min(i for i, p in enumerate(paths) if p and not is_label_path(p)
                    and not any(LABEL_WORDS.search(x) for x in p))
    return [(i, "/".join(paths[i]) or f"第{i + 1}栏", keys[i]) for i in range(first, width)]


def parse_function_table(region: Region, unit: str) -> _Builder:
    """公开02/03/05/07/08表: rows of 功能分类 codes (whole, split over 类/款/项, or before the
    name in one cell) with value columns named by the header."""
    header, data = _split_header(region.rows, region.code)
    labels = {normalise(t) for r in header for t in r}
    if pairs.is_pair_header(labels):
        # 北京's 支出总表 prints a row per 功能分类 项 × 经济分类 款: a grain of its own, whose
        # rows repeat each 项; summed as one row per 项 they would misstate it. Read as the
        # registry's table of that grain (seeds/reference/table_grains.csv), else not at all.
        if pairs.reads_pairs(region.code, TABLE_KINDS[region.code].phase):
            return pairs.parse_pairs(region, unit, header, data)
        raise TableError("unknown_header", f"{table_name(region.code)}: a row per 功能分类 × "
                         f"经济分类 pair, not one per 功能分类 code: not read yet",
                         region.location)
    if not any(any(_texts(r)) for r in data):
        # A header over no rows at all (烟台's 政府性基金 table): the table holds no amount.
        return _Builder(region.code, unit)
    width = _width(data)
    try:
        mapped = _mapped_columns(header, width, region.code)
    except TableError as exc:
        if "单位编码" in labels:
            # 西安's 部门综合预算支出总表: a row per unit (单位编码 | 单位名称) and a column per
            # funding source (一般公共预算拨款/小计 … 其他收入): not 支出 by 功能分类 code.
            raise TableError(exc.kind, f"{table_name(region.code)}: a row per unit (单位编码) "
                             f"with a column per funding source, not a row per 功能分类 code; "
                             f"{exc.message}", region.location) from None
        raise TableError(exc.kind, exc.message, region.location) from None
    if mapped is not None:
        n = len(mapped)
        columns = [(label, key) for _i, label, key in mapped]
    else:
        n = _value_count(header, region.code)
        canonical = COLUMNS.get(region.code, [])
        if n == len(canonical):
            columns = [(label, key) for key, label in canonical]
        else:
            columns = [(label, None) for label in _header_labels(header, n)]
    builder = _Builder(region.code, unit)
    previous: dict[int, str] = {}
    row_index = 0
    by_unit = "单位编码" in labels
    for row in _join_lowered_amounts(data, n):
        texts = _texts(row)
        if not any(texts):
            continue
        if len(row) == n and n == width and mapped is not None:
            # No item column at all (北京's 收入总表: 合计 | 本年收入 … over one row of
            # figures): the row is the table's total.
            for i, cell in enumerate(row):
                builder.add(row_index, cell, i, columns[i][0], columns[i][1], row_key="total")
            row_index += 1
            continue
        if len(row) < n + 1:
            raise TableError(
                "column_mismatch",
                f"{table_name(region.code)}: a row has {len(row)} cells but the header has {n} value "
                f"columns plus the item: {' | '.join(texts)}",
                row[0].location,
            )
        prefix, values = texts[:-n], row[-n:]
        stray = _stray_amount(row[:-n], values)
        if stray is not None:
            prefix[stray], values = "", [row[stray], *values[1:]]
        if all(_PLACEHOLDER.match(t) for t in prefix if t) and not any(v.text for v in values):
            continue  # a template's '… | …' line
        code, label = _row_code_and_label(prefix, previous)
        if code and by_unit:
            # 西安's 收入总表: a row per unit (单位编码 117001 | 西安市审计局): a unit's code is no
            # 功能分类 code; the row is the unit's, by its name.
            code = None
        if code:
            previous = _remember(previous, code)
        if not code and not label and not any(v.text for v in values):
            continue
        if not code and label and not any(v.text for v in values) and builder.cells and \
                builder.cells[-1].row_code and label not in ("合计", "总计"):
            # A long name wrapped onto a row of its own under its coded row.
            for c in builder.cells:
                if c.row_index == row_index - 1:
                    c.row_label = (c.row_label or "") + label
            continue
        row_key = "total" if label in ("合计", "总计") and not code else None
        for i, cell in enumerate(values):
            builder.add(row_index, cell, i, columns[i][0], columns[i][1],
                        row_code=code, row_label=label, row_key=row_key)
        row_index += 1
    return builder


def _join_lowered_amounts(data: list[list[Cell]], n: int) -> list[list[Cell]]:
    """江苏 (2017-2018) sets a class's amount lower in its tall cell than its code and name:
    the class's row prints its code and name over blank amount columns, and the next printed
    row holds amounts only (no code, no name). That row's amounts are the class row's."""
    out: list[list[Cell]] = []
    for row in data:
        texts = _texts(row)
        if not any(texts):
            continue
        if out and len(row) > n and not any(texts[:-n]) and any(texts[-n:]):
            above = _texts(out[-1])
            if len(out[-1]) == len(row) and any(above[:-n]) and not any(above[-n:]) \
                    and _stray_amount(out[-1][:-n], out[-1][-n:]) is None:
                out[-1] = [*out[-1][:-n], *row[-n:]]
                continue
        out.append(row)
    return out


def _stray_amount(items: list[Cell], values: list[Cell]) -> int | None:
    """江苏 prints a 款's or 项's amount one column left of its class's, under the header's
    merged 金额 but before the column the header names: a row whose amount columns are all
    blank and whose last printed item cell is a figure (decimals or thousands separators:
    never a code) holds its amount there. Its position among the item cells, else None."""
    if any(v.text.strip() for v in values):
        return None
    printed = [i for i, c in enumerate(items) if c.text.strip()]
    if not printed:
        return None
    text = items[printed[-1]].text.strip()
    if text.isdigit() or not is_amount(text) or len(printed) < 2:
        return None
    return printed[-1]


def _remember(previous: dict[int, str], code: str) -> dict[int, str]:
    level = {3: 1, 5: 2, 7: 3}[len(code)]
    kept = {k: v for k, v in previous.items() if k in (1, 2, 3) and k < level}
    kept[level] = code
    return kept


def _row_code_and_label(prefix: list[str], previous: dict[int, str]) -> tuple[str | None, str | None]:
    prefix = ["" if p in _HEADER_WORDS else p for p in prefix]
    parts = [p for p in prefix if p]
    digit_parts = [p for p in prefix if p.isdigit()]
    labels = [p for p in parts if not p.isdigit()]
    label = "".join(labels) or None
    code = None
    if len(digit_parts) == 1 and looks_like_code(digit_parts[0]):
        code = digit_parts[0]
    elif digit_parts:
        # Split over 类/款/项 columns: keep each digit part in its column position.
        positions = [p if p.isdigit() else "" for p in prefix[:3]]
        code = join_split_code(positions, previous)
    elif label:
        m = _LEADING_CODE.match(label)
        if m:
            code, label = m.group(1), m.group(2).strip()
    return code, label


@dataclass
class _SummaryLayout:
    """Where the cells of a 公开01表/04表 row are: item, line number and amounts per side."""

    width: int
    income_label: int
    income_line: int | None
    income_values: list[int]
    expenditure_label: int
    expenditure_line: int | None
    expenditure_values: list[tuple[int, str, str]]  # position, key, label
    # Further 支出 blocks side by side (江苏: 功能分类 | 支出用途; 西安: 功能分类 | 部门经济分类 |
    # 政府经济分类): (label position, its value columns), read as column groups 2, 3 …
    more_blocks: list[tuple[int, list[tuple[int, str, str]]]] = field(default_factory=list)


def _summary_layout_by_header(header: list[list[str]], width: int, code: str
                              ) -> _SummaryLayout | None:
    """The layout read from the header text: the two 项目 columns split the sides, 行次 is the
    line number, and the 支出 amount columns of 04 are named by their funds."""
    full = [r for r in header if len(r) == width]
    if not full:
        return None
    paths = header_paths(full, width)
    items = [i for i, p in enumerate(paths) if any(_ITEM.search(x) for x in p)
             and not any("行次" in x or "栏次" in x for x in p[-1:])]
    if code not in SUMMARY_EXPENDITURE_COLUMNS:
        # A budget's: every column headed by a label (项目名称, 功能科目名称, …经济分类科目) starts
        # a block; the first is 收入, the others 支出 (江苏 and 西安 print two or three 支出
        # blocks side by side).
        items = [i for i, p in enumerate(paths) if p and LABEL_WORDS.search(p[-1])
                 and not re.search(r"行次|栏次|编码|代码", p[-1])]
        if len(items) > 2:
            return _budget_summary_blocks(paths, items, width, code)
    if len(items) != 2:
        return None
    inc_label, exp_label = items

    def side(lo: int, hi: int) -> tuple[int | None, list[int]]:
        line = next((i for i in range(lo + 1, hi) if any("行次" in x for x in paths[i])), None)
        return line, [i for i in range(lo + 1, hi) if i != line]

    inc_line, inc_values = side(inc_label, exp_label)
    exp_line, exp_positions = side(exp_label, width)
    if len(inc_values) != 1 or not exp_positions:
        return None
    if code not in SUMMARY_EXPENDITURE_COLUMNS:
        # A budget's 收支总表: its 支出 columns (合计, 基本支出, 项目支出 …) named by the header.
        exp_values = []
        for i in exp_positions:
            try:
                key = column_key(code, paths[i]) if paths[i] else None
            except MergedColumns:
                return None
            if key is None or key in {k for _i, k, _l in exp_values}:
                return None
            exp_values.append((i, key, "支出/" + "/".join(paths[i])))
        return _SummaryLayout(width, inc_label, inc_line, inc_values, exp_label, exp_line,
                              exp_values)
    standard = dict(SUMMARY_EXPENDITURE_COLUMNS[code])
    if code == "01":
        if len(exp_positions) != 1:
            return None
        exp_values = [(exp_positions[0], "amount", standard["amount"])]
    else:
        exp_values = []
        for i in exp_positions:
            leaf = paths[i][-1] if paths[i] else ""
            key = ("total" if _GENERIC_TOTAL.match(leaf) else
                   next((k for w, k in _FUND_COLUMN_KEYS if w in leaf), None))
            if key is None or key in {k for _i, k, _l in exp_values}:
                return None
            exp_values.append((i, key, standard[key]))
    return _SummaryLayout(width, inc_label, inc_line, inc_values, exp_label, exp_line,
                          exp_values)


def _budget_summary_blocks(paths: list[list[str]], items: list[int], width: int, code: str
                           ) -> _SummaryLayout | None:
    """A budget's 收支总表 with several 支出 blocks: each block is its label column and the
    amount columns up to the next label; every amount column is named by the header."""
    bounds = [*items, width]
    blocks = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        values = []
        for i in range(lo + 1, hi):
            try:
                key = column_key(code, paths[i]) if paths[i] else None
            except MergedColumns:
                return None
            if key is None:
                return None
            values.append((i, key, "/".join(paths[i])))
        if len(values) != 1:
            return None
        blocks.append((lo, values))
    (inc_label, inc_values), (exp_label, exp_values), *more = blocks
    return _SummaryLayout(width, inc_label, None, [inc_values[0][0]], exp_label, None,
                          [(i, key, "支出/" + label) for i, key, label in exp_values],
                          [(at, [(i, key, "支出/" + label) for i, key, label in values])
                           for at, values in more])


_ITEM = re.compile(r"项目(?!支出)|^收入项目$|^支出项目$")
_GENERIC_TOTAL = re.compile(r"^(合计|小计|总计)$")


def _summary_layout_by_position(header: list[list[str]], code: str) -> _SummaryLayout:
    """The collapsed text layout: item, (行次), amount | item, (行次), amounts."""
    with_line_no = any("行次" in t for r in header for t in r)
    left = 3 if with_line_no else 2
    if code not in SUMMARY_EXPENDITURE_COLUMNS:
        raise TableError("unknown_header", f"{table_name(code)}: the header does not name the "
                         f"收入 and 支出 columns: {' / '.join(' | '.join(r) for r in header)[:200]}",
                         None)
    exp_columns = _summary_expenditure_columns(header, code)
    off = 2 if with_line_no else 1
    return _SummaryLayout(
        left + off + len(exp_columns), 0, 1 if with_line_no else None, [left - 1], left,
        left + 1 if with_line_no else None,
        [(left + off + i, key, label) for i, (key, label) in enumerate(exp_columns)])


def parse_summary_table(region: Region, unit: str) -> _Builder:
    """公开01表/04表: income lines on the left, expenditure lines on the right. A fund column
    the layout leaves out (no 国有资本经营 in older local reports) is not invented: the
    identities that need it are indeterminate, as for any input the document does not print."""
    header, data = _split_header(region.rows, region.code)
    width = _width(data)
    try:
        layout = (_summary_layout_by_header(header, width, region.code)
                  or _summary_layout_by_position(header, region.code))
    except TableError as exc:
        raise TableError(exc.kind, exc.message, region.location) from None
    inc_columns = SUMMARY_INCOME_COLUMNS.get(region.code, [("amount", "收入/预算数")])
    builder = _Builder(region.code, unit)
    income_context: str | None = None
    expenditure_context: str | None = None
    data = _with_wrapped_expenditure_names(data, layout)
    numbered = _classes_numbered(data, layout)
    row_index = 0
    for row in data:
        texts = _texts(row)
        if not any(texts):
            continue
        if len(row) != layout.width:
            raise TableError(
                "column_mismatch",
                f"{table_name(region.code)}: a row has {len(row)} cells, the header has "
                f"{layout.width}: {' | '.join(texts)}",
                row[0].location,
            )
        inc_label = texts[layout.income_label]
        inc_key = income_row_key(inc_label)
        fund = FUNDS.get(strip_numbering(inc_label).removesuffix("收入"))
        if fund and income_context == "carryover_begin":
            inc_key = f"carryover_begin_{fund}"
        elif inc_key:
            income_context = inc_key if inc_key.startswith("carryover_begin") else None
        exp_label = texts[layout.expenditure_label]
        exp_key, exp_code = expenditure_row_key(exp_label)
        if exp_key == "function_class" and numbered and not _is_numbered(exp_label):
            # 深圳 lists each class's 款 and 项 under it by name only: "五、其他支出" over "其他
            # 支出" (款) and "其他支出" (项). Where the classes carry their numbering, a line
            # without one is not a class, whatever its name.
            exp_key, exp_code = None, None
        if not exp_label and fund and expenditure_context == "carryover_end":
            exp_key = f"carryover_end_{fund}"
        elif exp_key:
            expenditure_context = exp_key if exp_key == "carryover_end" else None
        inc_line = texts[layout.income_line] if layout.income_line is not None else None
        exp_line = texts[layout.expenditure_line] if layout.expenditure_line is not None \
            else None
        # A side with neither label nor amount is padding (01 has more 支出 lines than 收入).
        inc_blank = not inc_label and not any(texts[i] for i in layout.income_values)
        for i, (key, label) in enumerate([] if inc_blank else inc_columns):
            builder.add(row_index, row[layout.income_values[i]], i, label, key, column_group=0,
                        row_label=inc_label or None, row_key=inc_key, row_line_no=inc_line)
        cells = [row[position] for position, _k, _l in layout.expenditure_values]
        spanning = [row[values[0][0]] for at, values in layout.more_blocks
                    if not texts[at] and texts[values[0][0]]]
        if exp_label and not any(c.text.strip() for c in cells) and len(spanning) == 1 \
                and len(cells) == 1 and exp_key != "function_class":
            # "当年支出小计 | | | 9,146.79": a total line spans the blocks, its figure printed
            # under the last one. A 功能分类 class line never does: a figure under the last
            # block beside it is that block's line (江苏法院 2018 p.9: 三、单位预留机动经费's
            # 3,258.06 beside 三、国防支出, its name wrapped onto the grid rows around it).
            cells = spanning
        for i, ((_position, key, label), cell) in enumerate(
                zip(layout.expenditure_values, cells, strict=True)):
            builder.add(row_index, cell, i, label, key, column_group=1,
                        row_code=exp_code, row_label=exp_label or None, row_key=exp_key,
                        row_line_no=exp_line)
        for group, (at, values) in enumerate(layout.more_blocks, start=2):
            label = texts[at]
            if not label or (cells and cells[0] in [row[p] for p, _k, _l in values]):
                continue
            for i, (position, key, column_label) in enumerate(values):
                builder.add(row_index, row[position], i, column_label, key, column_group=group,
                            row_label=label)
        row_index += 1
    return builder


def _with_wrapped_expenditure_names(data: list[list[Cell]],
                                    layout: _SummaryLayout) -> list[list[Cell]]:
    """A 支出 line's name wrapped onto the next grid row, alone in that row (江苏省人大办公厅
    2017: "八、社会保障和就" at the foot of p.7, "业支出" atop p.8): a name no line has, whose
    next row holds nothing but more of that name, and the two together name a line (a
    功能分类 class of the registry, a total): one line. Otherwise rows stay as printed."""
    at = layout.expenditure_label
    rows = list(data)
    i = 0
    while i + 1 < len(rows):
        row, following = rows[i], rows[i + 1]
        if len(row) == len(following) == layout.width:
            head, rest = row[at].text.strip(), following[at].text.strip()
            alone = all(not c.text.strip() for j, c in enumerate(following) if j != at)
            if head and rest and alone and expenditure_row_key(head)[0] is None \
                    and expenditure_row_key(rest)[0] is None \
                    and expenditure_row_key(head + rest)[0] is not None:
                rows[i] = [*row[:at], Cell(head + rest, row[at].location), *row[at + 1:]]
                del rows[i + 1]
                continue
        i += 1
    return rows


def _classes_numbered(data: list[list[Cell]], layout: _SummaryLayout) -> bool:
    """Do the 支出 side's 功能分类 class lines carry a numbering (一、一般公共服务支出)?"""
    labels = [r[layout.expenditure_label].text.strip() for r in data
              if len(r) == layout.width]
    return any(_is_numbered(t) and expenditure_row_key(t)[0] == "function_class"
               for t in labels)


def _is_numbered(label: str) -> bool:
    return strip_numbering(label) != re.sub(r"[ \u3000]", "", label)


_FUND_COLUMN_KEYS = [("一般公共预算", "general_budget"), ("政府性基金", "gov_fund"),
                     ("国有资本", "soe_capital")]


def _summary_expenditure_columns(header: list[list[str]], code: str) -> list[tuple[str, str]]:
    """The 支出 value columns of 公开04表 as printed: reports without a 国有资本经营 fund leave its
    column out."""
    standard = SUMMARY_EXPENDITURE_COLUMNS[code]
    if code != "04":
        return standard
    labels = dict((key, label) for key, label in standard)
    for row in header:
        keys: list[str] = []
        for text in reversed([t for t in row if t]):
            key = ("total" if text in ("合计", "小计") else
                   next((k for w, k in _FUND_COLUMN_KEYS if w in text), None))
            if key is None or key in keys:
                break
            keys.insert(0, key)
        if len(keys) >= 2 and keys[0] == "total":
            return [(k, labels[k]) for k in keys]
    return standard


def parse_economic_table(region: Region, unit: str) -> _Builder:
    """公开06表: (code, name, amount) groups side by side, then the 人员/公用经费 totals.

    Where the header names its columns on a grid as wide as the data, every amount column
    ends a group and the cells before it (back to the previous amount column) hold its code
    and name: one, two or three groups, codes whole, split over 类|款 or run into the name.
    """
    header, data = _split_header(region.rows, region.code)
    width = _width(data)
    amounts = _economic_amount_columns(header, width)
    if amounts is None:
        return _economic_by_position(header, data, unit, region.code)
    builder = _Builder(region.code, unit)
    figures = _figures_label(region.code)
    row_index = 0
    last_coded: dict[int, int] = {}
    for row in data:
        texts = _texts(row)
        if not any(texts):
            continue
        if _is_totals_row(texts):
            _economic_totals(builder, row_index, row, texts)
            row_index += 1
            continue
        if len(row) != width:
            raise TableError("column_mismatch",
                             f"{table_name(builder.code)}: a row has {len(row)} cells, the header {width}: "
                             f"{' | '.join(texts)}", row[0].location)
        emitted, start = False, 0
        for group, at in enumerate(amounts):
            parts = [t for t in texts[start:at] if t and not _PLACEHOLDER.match(t)]
            start = at + 1
            code, name = _economic_code_and_name(parts)
            cell = row[at]
            if code is None and not name:
                if cell.text.strip() and not _PLACEHOLDER.match(cell.text.strip()):
                    raise TableError("column_mismatch",
                                     f"{table_name(builder.code)}: an amount with no code or name: "
                                     f"{' | '.join(texts)}", cell.location)
                continue
            if code is None and not name.endswith("合计") and not cell.text.strip() \
                    and group in last_coded:
                # A long name wrapped onto a row of its own under its coded row.
                for c in builder.cells:
                    if c.row_index == last_coded[group] and c.column_group == group:
                        c.row_label = (c.row_label or "") + name
                continue
            key = None
            if code is None:
                key = ("personnel_total" if "人员" in name else
                       "public_total" if "公用" in name else "total")
            builder.add(row_index, cell, 0, figures, "amount", column_group=group,
                        row_code=code, row_label=name or None, row_key=key)
            if code:
                last_coded[group] = row_index
            emitted = True
        if emitted:
            row_index += 1
    return builder


_ECONOMIC_CODE = re.compile(r"^(\d{3})(\d{2})?$")


def _economic_code_and_name(parts: list[str]) -> tuple[str | None, str]:
    """'301 | 01 | 基本工资', '30101 | 基本工资', '30101基本工资' -> ('30101', '基本工资')."""
    digits = [p for p in parts if p.isdigit()]
    names = [p for p in parts if not p.isdigit()]
    name = "".join(names)
    if len(digits) == 1 and _ECONOMIC_CODE.match(digits[0]):
        return digits[0], name
    if len(digits) == 2 and len(digits[0]) == 3 and len(digits[1]) == 2:
        return digits[0] + digits[1], name
    if digits:
        raise TableError("column_mismatch", f"{' | '.join(parts)} is not an economic "
                         "code and name", None)
    m = re.match(r"^(\d{3}(?:\d{2})?)\s*(\S.*)$", name)
    if m:
        return m.group(1), m.group(2).strip()
    return None, name


def _economic_amount_columns(header: list[list[str]], width: int) -> list[int] | None:
    """The amount columns of 公开06表, named by the header (决算数, 金额 …)."""
    full = [r for r in header if len(r) == width]
    if not full or width < 2:
        return None
    paths = header_paths(full, width)
    cols = [i for i, p in enumerate(paths)
            if p and not any(LABEL_WORDS.search(x) for x in p[-1:])
            and re.search(r"决算|金额|数|支出|合计", p[-1])]
    return cols or None


def _economic_by_position(header: list[list[str]], data: list[list[Cell]],
                          unit: str, table_code: str = "06") -> _Builder:
    """The collapsed text layout: (code, name, amount) groups of three or four cells."""
    split = any("类" in r and "款" in r for r in header)
    width = 4 if split else 3
    builder = _Builder(table_code, unit)
    figures = _figures_label(table_code)
    row_index = 0
    for row in data:
        texts = _texts(row)
        if not any(texts):
            continue
        if _is_totals_row(texts):
            _economic_totals(builder, row_index, row, texts)
            row_index += 1
            continue
        i, emitted = 0, False
        while i < len(row):
            t = texts[i]
            if looks_like_code(t) and i + width - 1 < len(row):
                code, name_at = t, i + 1
                if split:
                    kuan = texts[i + 1]
                    if kuan and not (kuan.isdigit() and len(kuan) == 2 and len(t) == 3):
                        raise TableError("column_mismatch",
                                         f"{table_name(builder.code)}: {kuan!r} after {t!r} is not a 款 code: "
                                         f"{' | '.join(texts)}", row[i + 1].location)
                    code, name_at = t + kuan, i + 2
                builder.add(row_index, row[name_at + 1], 0, figures, "amount",
                            column_group=i // width, row_code=code,
                            row_label=texts[name_at] or None)
                i, emitted = i + width, True
            elif not any(texts[i : i + width]):
                i += width
            else:
                raise TableError(
                    "column_mismatch",
                    f"{table_name(builder.code)}: expected an economic code, a 合计 label or a blank group at "
                    f"cell {i + 1}, found {t!r}: {' | '.join(texts)}",
                    row[i].location,
                )
        if emitted:
            row_index += 1
    return builder


def _is_totals_row(texts: list[str]) -> bool:
    """人员经费合计 | … | 公用经费合计 …: labels without codes. Their labels merge across groups, so
    `_economic_totals` finds each amount as the last printed cell before the next label."""
    return any(t.endswith("合计") for t in texts) and not any(looks_like_code(t) for t in texts)


def _economic_totals(builder: _Builder, row_index: int, row: list[Cell], texts: list[str]) -> None:
    """'人员经费合计 | … | 2,152.26 | 公用经费合计 | … | 184.65': each label's amount is the last
    printed cell before the next label (merged cells leave blanks between them)."""
    labels = [i for i, t in enumerate(texts) if t.endswith("合计")]
    for group, start in enumerate(labels):
        end = labels[group + 1] if group + 1 < len(labels) else len(texts)
        span = [j for j in range(start + 1, end) if texts[j]]
        if not span and start + 1 >= end:
            continue
        at = span[-1] if span else start + 1
        label = texts[start]
        key = "personnel_total" if "人员" in label else "public_total" if "公用" in label \
            else "total"
        builder.add(row_index, row[at], 0, _figures_label(builder.code), "amount",
                    column_group=group, row_label=label, row_key=key)


def parse_three_public_table(region: Region, unit: str) -> _Builder:
    """公开09表: one row of 预算数 and 决算数 per item, the columns named by the header (a
    budget block then a final block, or the two paired under each item, with or without a
    小计), or one row per stage with the stage as its label."""
    header, rows = _split_header(region.rows, region.code)
    if not rows and header and not any(header[-1]):
        # Only blanks under the header: they were taken for header, but are its figures.
        header, rows = header[:-1], [r for r in region.rows if not any(_texts(r))][-1:]
    # A row of blanks under the header is the figures of a unit with no 三公 spending.
    data = _the_tables_row([r for r in rows if any(_texts(r))]) or rows[:1]
    width = _width(data)
    mapped = _three_public_columns(header, width, region.code)
    if mapped is None and width == 2:
        return _three_public_by_rows(header, data, unit, region.code)
    if len(_item_rows(data, region.code)) >= 2 and all(
            item in (None, "total") for _p, _l, item, _s in mapped or []):
        # 广州: 项目 | 合计 | 一般公共预算 | 政府性基金预算 …, a row per item: the 合计 column
        # holds each item's figure.
        at = next((p for p, _l, item, _s in mapped or [] if item == "total"), 1)
        return _three_public_by_rows(header, data, unit, region.code, at)
    if mapped is not None:
        mapped = _general_budget_only(mapped, data, region)
    if mapped is None:
        return _three_public_by_position(header, data, unit, region.code)
    builder = _Builder(region.code, unit)
    labels = {key: label for key, label in COLUMNS["09"]}
    stages = [_row_stage(r) for r in data]
    # Only the 决算 figures printed, with no stage named anywhere: they are the final ones.
    # A budget's table holds budget figures only, whether a column says so (北京's
    # “三公”经费财政拨款预算总额 beside 因公出国（境）费用) or not.
    default = "budget" if TABLE_KINDS[region.code].phase == "预算" else (
        None if any(stages) or any(s for *_r, s in mapped) else "final")
    for row_index, row in enumerate(data):
        row_stage = stages[row_index]
        for position, path_label, item, column_stage in mapped:
            if position >= len(row):
                continue
            stage = column_stage or row_stage or default
            key = f"{stage}_{item}" if stage and item else None
            if key is None and not row[position].text.strip():
                continue
            # A column of no canonical key (江苏's 合计 with 会议费 and 培训费, 会议费 itself) is
            # numbered after the canonical ones: its position would be another column's index.
            builder.add(0 if row_stage else row_index, row[position],
                        list(labels).index(key) if key in labels else len(labels) + position,
                        labels.get(key, path_label), key, row_key="total")
    keyed = [c.column_key for c in builder.cells if c.column_key]
    if len(set(keyed)) != len(keyed):
        raise TableError("column_mismatch",
                         f"{table_name(region.code)}: more than one row of figures for the same columns",
                         data[1][0].location if len(data) > 1 else region.location)
    return builder


_YEAR_ROW = re.compile(r"^(20\d{2})\s*年度?(预算数?)?$")


def _the_tables_row(data: list[list[Cell]]) -> list[list[Cell]]:
    """The row of the document's own figures among several. 深圳 prints a row per year (2025年, 2026年) and one of their difference (增减变化金额):
    the figures of the document's year are on the row of the latest year the table names;
    the earlier year's and the difference are not this table's figures."""
    # Rows narrower than the grid are another table's run on under it (江苏's 政府采购预算表
    # under its 三公 table, its title inside the grid).
    widest = max((len(r) for r in data), default=0)
    data = [r for r in data if len(r) == widest]
    years = {}
    for i, row in enumerate(data):
        for t in _texts(row):
            m = _YEAR_ROW.match(normalise(t))
            if m:
                years[i] = int(m.group(1))
    if len(years) >= 2:
        return [data[max(years, key=years.get)]]
    # 杭州 prints the department's 合计 over a row per unit: the department's figures are the
    # 合计 row's.
    totals = [r for r in data if any(normalise(t) in ("合计", "总计") for t in _texts(r))]
    if len(data) > 1 and len(totals) == 1:
        return totals
    return data


_FUND_PART = re.compile(r"^(一般公共预算|政府性基金预算|国有资本经营预算)(财政拨款|拨款)?$")


def _general_budget_only(mapped: list[tuple[int, str, str | None, str | None]],
                         data: list[list[Cell]], region: Region
                         ) -> list[tuple[int, str, str | None, str | None]]:
    """深圳 splits each 三公 item by fund (一般公共预算 | 政府性基金预算 | 国有资本经营预算): the
    一般公共预算 column is the item's; the other funds' columns must be blank or zero (三公 is
    paid from the general budget), else which figure is the item's is unknown."""
    kept = []
    for position, label, item, stage in mapped:
        leaf = normalise(label.split("/")[-1])
        fund = _FUND_PART.match(leaf)
        if fund is None or fund.group(1) == "一般公共预算":
            kept.append((position, label, item, stage))
            continue
        for row in data:
            text = row[position].text.strip() if position < len(row) else ""
            amount = parse_amount(text) if text and is_amount(text) else None
            if amount is not None and amount.value != 0:
                raise TableError("unknown_header", f"{table_name(region.code)}: {label} holds "
                                 f"{text}: 三公 outside the general budget is not read yet",
                                 row[position].location)
    return kept


def _item_of_label(text: str, code: str) -> str | None:
    """The 三公 item a row's label names: "其中：（一）因公出国（境）支出" -> outbound, "“三公”经费"
    -> total."""
    label = strip_numbering(re.sub(r"^其中[:：]?", "", strip_numbering(text)))
    if re.fullmatch(r"[“\"]?三公[”\"]?经费(合计|小计|支出)?", label):
        return "total"
    return column_key(code, [normalise(label)]) if label else None


def _item_rows(data: list[list[Cell]], code: str) -> list[str]:
    return [item for r in data if r and (item := _item_of_label(r[0].text, code))
            and item != "total"]


def _three_public_by_rows(header: list[list[str]], data: list[list[Cell]], unit: str,
                          code: str, amount_at: int = 1) -> _Builder:
    """项目 | 预算数, one row per item (因公出国（境）费, 公务接待费 …): the item named by the row's
    label through the same header registry, the stage by the amount column's header."""
    stage = stage_of([normalise(t) for r in header for t in r[1:] if t]) or (
        "budget" if TABLE_KINDS[code].phase == "预算" else "final")
    labels = {key: label for key, label in COLUMNS["09"]}
    builder = _Builder(code, unit)
    for row_index, row in enumerate(r for r in data if any(_texts(r))):
        label = strip_numbering(re.sub(r"^其中[:：]?", "", strip_numbering(row[0].text)))
        item = _item_of_label(row[0].text, code)
        key = f"{stage}_{item}" if item else None
        builder.add(row_index, row[amount_at],
                    list(labels).index(key) if key in labels else len(labels) + row_index,
                    labels.get(key, label or f"第{row_index + 1}行"), key, row_label=label,
                    row_key="total")
    keyed = [c.column_key for c in builder.cells if c.column_key]
    if len(set(keyed)) != len(keyed):
        raise TableError("column_mismatch", f"{table_name(code)}: two rows name the same item",
                         data[0][0].location if data else None)
    return builder


def _row_stage(row: list[Cell]) -> str | None:
    label = next((t for t in _texts(row) if t and not is_amount(t)), "")
    return stage_of([normalise(label)]) if label else None


def _three_public_columns(header: list[list[str]], width: int, table_code: str = "09"
                          ) -> list[tuple[int, str, str | None, str | None]] | None:
    """(position, label, item key, stage) of each value column, from the header text."""
    full = [r for r in header if len(r) == width]
    if not full:
        return None
    paths = header_paths(full, width)
    columns = []
    for i, path in enumerate(paths):
        if not path or is_label_path(path):
            continue
        # A fund under the item (深圳: 总计/一般公共预算): the item is the path above it; the
        # other funds' columns are left to `_general_budget_only`.
        fund = _FUND_PART.match(path[-1]) if len(path) > 1 else None
        if fund and fund.group(1) != "一般公共预算":
            columns.append((i, "/".join(path), None, None))
            continue
        item = column_key(table_code, path[:-1] if fund else path)
        if item is None and not any(stage_of([p]) for p in path):
            continue
        columns.append((i, "/".join(path), item, stage_of(path)))
    years = {i: int(m.group(1)) for i, _l, _it, _s in columns for p in paths[i]
             if (m := re.match(r"^(20\d{2})年", p))}
    if len(set(years.values())) > 1:
        # 烟台: a block of columns per year (2025年预算数 | 2026年预算数): the document's own
        # figures are the latest year's; the earlier block is last year's budget.
        latest = max(years.values())
        columns = [c for c in columns if years.get(c[0]) == latest]
    blocks = {i: p for i, _l, _it, _s in columns for p in paths[i] if p in ("上年", "当年")}
    if set(blocks.values()) == {"上年", "当年"}:
        # 西安: 上年 | 当年 | 增减变化情况 blocks: the document's figures are 当年's.
        columns = [c for c in columns if blocks.get(c[0]) == "当年"]
    totals = [c for c in columns if c[2] == "total"]
    if len(totals) == 2 and sum(any("三公" in p for p in paths[c[0]]) for c in totals) == 1:
        # 江苏: 合计 | “三公”经费/小计 … | 会议费 | 培训费: the 三公 total is the one under 三公;
        # the other also counts 会议费 and 培训费.
        columns = [(i, label, None if (item == "total" and not any(
            "三公" in p for p in paths[i])) else item, stage) for i, label, item, stage in columns]
    totals = [c for c in columns if c[2] == "total"]
    if len(totals) == 1 and not any("三公" in p for p in paths[totals[0][0]]) \
            and any(c[2] in ("meeting", "training") for c in columns):
        # A 合计 beside 会议费 / 培训费 and over no 三公 group counts them too: it is not the
        # 三公 total (no column is).
        columns = [(i, label, None if i == totals[0][0] else item, stage)
                   for i, label, item, stage in columns]
    keys = [(item, stage) for _i, _l, item, stage in columns if item]
    if not keys or len(keys) != len(set(keys)):
        return None
    return columns


def _three_public_by_position(header: list[list[str]], data: list[list[Cell]],
                              unit: str, table_code: str = "09") -> _Builder:
    """The collapsed text layout: the 12 canonical columns in their standard order."""
    n = _value_count(header, table_code)
    canonical = COLUMNS["09"]
    columns = ([(label, key) for key, label in canonical] if n == len(canonical)
               else [(label, None) for label in _header_labels(header, n)])
    order = _three_public_order(header, n)
    builder = _Builder(table_code, unit)
    rows = [r for r in data if len(r) >= n]
    for row_index, row in enumerate(rows[:1]):
        for i, cell in enumerate(row[-n:]):
            label, key = columns[order[i]]
            builder.add(row_index, cell, order[i], label, key, row_key="total")
    for row in data[1:]:
        if any(_texts(row)):
            raise TableError("column_mismatch",
                             f"{table_name(table_code)}: unexpected extra row: {' | '.join(_texts(row))}",
                             row[0].location)
    return builder


def _three_public_order(header: list[list[str]], n: int) -> list[int]:
    """Canonical column of each printed column. Most reports print all 预算数 columns, then all
    决算数; some pair them per item (预算数 | 决算数 under each of the six items)."""
    for row in header:
        kinds = [t for t in row if t]
        if n == 12 and len(kinds) == 12 and all(
                k == ("预算数" if i % 2 == 0 else "决算数") for i, k in enumerate(kinds)):
            return [(i % 2) * 6 + i // 2 for i in range(12)]
    return list(range(n))


PARSERS = {
    "01": parse_summary_table,
    "04": parse_summary_table,
    "06": parse_economic_table,
    "09": parse_three_public_table,
}


_ROW_NUMBER_HEADER = "序号"
_ROW_NUMBER = re.compile(r"^\d{1,4}$")


def drop_row_numbers(region: Region) -> Region:
    """A column headed 序号 numbers the rows (1, 2, 3 …; 西安's 2021/2022 budgets print one
    before 功能科目编码, before 收入/支出, before 单位编码): it is neither a code nor an amount,
    and read as either it puts every row one cell out against the header. Such a column, whose
    cells below its header are all blank, row numbers or the header repeated on a new page, is
    left out of every row; one holding anything else is kept (then the header is not what
    the rows are, and the parser says so)."""
    for h, row in enumerate(region.rows):
        texts = [normalise(t) for t in _texts(row)]
        if _ROW_NUMBER_HEADER not in texts:
            continue
        j = texts.index(_ROW_NUMBER_HEADER)
        below = [normalise(r[j].text) for r in region.rows[h + 1:] if len(r) > j]
        if not any(_ROW_NUMBER.match(t) for t in below) or not all(
                not t or t == _ROW_NUMBER_HEADER or _ROW_NUMBER.match(t) for t in below):
            return region
        rows = [r[:j] + r[j + 1:] if len(r) > j else r for r in region.rows]
        return replace(region, rows=rows)
    return region


def drop_repeated_headers(region: Region) -> Region:
    """A table continued on a new page under its title again repeats the header, and some
    layouts repeat the 合计 row as well: keep the first page's, drop the repeats."""
    if not region.continuations:
        return region
    bounds = [0, *region.continuations, len(region.rows)]
    rows = list(region.rows[: bounds[1]])
    seen = {tuple(_texts(r)) for r in rows}
    for start, end in zip(bounds[1:-1], bounds[2:], strict=True):
        header, data = _split_header(region.rows[start:end], region.code)
        part = data if header else region.rows[start:end]
        while part and tuple(_texts(part[0])) in seen and \
                any(t in ("合计", "总计") for t in _texts(part[0])):
            part = part[1:]
        rows.extend(part)
    return Region(region.code, region.title, region.location, rows, region.units,
                  region.declarations)


def _prints_a_figure(region: Region) -> bool:
    """Does any cell print a figure other than zero (栏次 rows aside)?"""
    for row in region.rows:
        texts = _texts(row)
        if _is_column_number_row(texts):
            continue
        for t in texts:
            try:
                amount = parse_amount(t)
            except AmountError:
                continue
            if amount is not None and amount.value != 0:
                return True
    return False


def parse_region(region: Region) -> tuple[TableFact, list[Problem]]:
    """One table's facts. A table that cannot be read is `unreadable` with the reason and
    where, a problem of that table only: the rest of the report still loads. A table with no
    amounts at all is empty, whether a sentence says so or the grid is blank or all zeros."""
    region = drop_repeated_headers(without_blank_columns(with_continuations_aligned(region)))
    unit = _amount_unit(region)
    region = drop_row_numbers(region)
    problems: list[Problem] = []
    parser = PARSERS.get(reads_as(region.code), parse_function_table)
    reason = None
    try:
        cells = parser(region, unit).cells
    except TableError as exc:
        cells = []
        if _prints_a_figure(region):
            reason = f"{exc.message} ({exc.location or region.location})"
            if not region.declarations:
                # One ingest-error row per unreadable table (the loader adds none of its own).
                problems.append(Problem(
                    "unreadable_table", f"{table_name(region.code)} unreadable ({exc.kind}): "
                    f"{exc.message}", exc.location or region.location, fatal=False))
        # Else a grid that prints no figure at all (烟台市信访局's 财政拨款收支总表: its 收入
        # and 支出 lines over blank amount cells, "（注：2026年没有使用财政拨款收入和支出。）"):
        # empty whatever its header says, as a blank grid always is.
    # Zeros printed as 0.00 or blanks: either way the table holds no amount.
    has_values = any(c.value_wan_yuan for c in cells)
    declaration = region.declarations[0][0] if region.declarations else None
    if not has_values and (declaration or reason is None):
        status, reason = "declared_empty", None
    elif reason is not None:
        status = "unreadable"
    else:
        status = "present"
    return (
        TableFact(
            table_code=region.code,
            title=region.title,
            status=status,
            declaration=declaration,
            amount_unit=unit,
            location=region.location,
            cells=cells,
            row_count=len({c.row_index for c in cells}),
            reason=reason,
        ),
        problems,
    )

