"""Tables of a grain of their own, found by a title another table shares and by their header
(registry seeds/reference/table_grains.csv), and the one read here: a table with a row per
功能分类 × 经济分类 pair (北京's 支出总表): each row prints a 功能分类
项, the 政府支出经济分类 and the 部门支出经济分类 of one part of its spending, then its amounts
(合计, 基本支出, 项目支出 …, named by the header as a 支出表's are).

Read at its own grain: a row's 功能分类 code is its `row_code`, its 部门支出经济分类 code its
`row_economic_code` (the classification the warehouse's economic tables use,
seeds/reference/economic_codes.csv; the 政府支出经济分类 is derived from it and is not kept).
Summed as one row per 项 the rows would repeat each 项: that is what they are not.
"""

from __future__ import annotations

import csv
import re
from functools import cache

from dagster_project.amounts import is_amount
from dagster_project.config import PROJECT_ROOT
from dagster_project.interpret.header import normalise

# "2050803-培训支出", "3021101-差旅费", "30216 培训费": the code, then the name. A few
# characters before the code are the row above's name wrapped into this row's cell
# ("支出2120803-城市建设支出" under "2120399-其他城乡社区公共设施"): not this row's.
_CODED = re.compile(r"^\D{0,20}?(\d{3,9})\s*[-－—]?\s*(\S.*)?$")
_TOTAL = re.compile(r"^(合计|总计)$")


@cache
def _grains(phase: str) -> dict[str, dict]:
    path = PROJECT_ROOT / "seeds" / "reference" / "table_grains.csv"
    with path.open(encoding="utf-8") as f:
        return {r["table_code"]: r for r in csv.DictReader(f) if r["document_phase"] == phase}


def table_grains(phase: str) -> dict[str, tuple[str, re.Pattern[str]]]:
    """The registry's tables of a grain of their own (seeds/reference/table_grains.csv): code ->
    (the table whose title they share, the words their header says)."""
    return {code: (r["refines"], re.compile(r["header_mark"]))
            for code, r in _grains(phase).items()}


def reads_pairs(code: str, phase: str) -> bool:
    """Is the table the registry's 功能分类 × 经济分类 pair table (read by `parse_pairs`)?"""
    row = _grains(phase).get(code)
    return bool(row) and row["reading"] == "pairs"


def not_read(code: str, phase: str) -> str | None:
    """Why the registry declares a table of a grain of its own and does not read it (西安's
    支出总表 by unit and funding source repeats the 收入总表), or None."""
    row = _grains(phase).get(code)
    return row["note"] if row and row["reading"] == "not_read" else None


def recode_by_header(regions: dict, phase: str) -> dict:
    """A region found by a title that a table of another grain shares (北京's 支出总表) is that
    table when its header says so: the words above its first figures decide, never a place."""
    out = dict(regions)
    for code, (refines, mark) in table_grains(phase).items():
        region = out.get(refines)
        if region is None or code in out:
            continue
        header = "".join(normalise(c.text) for row in region.rows[:6] for c in row)
        if mark.search(header):
            region.code = code
            out[code] = out.pop(refines)
    return out


def is_pair_header(labels: set[str]) -> bool:
    """Does the header name a 功能分类 and an 经济分类 column (one row per pair)?"""
    return any("功能分类" in t for t in labels) and any("经济分类" in t for t in labels)


def pair_of(prefix: list[str], classifications: int = 2
            ) -> tuple[str | None, str | None, str | None, str | None]:
    """(功能分类 code, its name, 部门经济分类 code, its name) of a row's item cells, or the
    table's total ("合计": no codes, key `total`); None where the row does not print one code
    per classification column of the header (功能分类 first, 部门经济分类 last): a missing code
    is never guessed from the others."""
    texts = [t for t in (p.strip() for p in prefix) if t]
    if len(texts) == 1 and _TOTAL.match(normalise(texts[0])):
        return None, "合计", None, None
    coded = [m for t in texts if (m := _CODED.match(re.sub(r"\s+", "", t)))]
    if len(coded) != max(classifications, 2) or any(
            is_amount(t) and not _CODED.match(t) for t in texts):
        return None, None, None, None
    function, economic = coded[0], coded[-1]
    return function.group(1), function.group(2), economic.group(1), economic.group(2)


def parse_pairs(region, unit: str, header: list[list[str]], data: list):
    """The rows of a pair table: one per 功能分类 × 经济分类 pair, and its 合计."""
    # tables.py imports this module for its parsers: its helpers are imported when called.
    from dagster_project.interpret.layout import table_name
    from dagster_project.interpret.tables import TableError, _Builder, _mapped_columns, _texts

    mapped = _mapped_columns(header, max(len(r) for r in header), region.code)
    if mapped is None:
        raise TableError("unknown_header", f"{table_name(region.code)}: the header names none "
                         f"of the table's columns", region.location)
    # The header's value columns, counted from the right: a page's grid may lack the first
    # page's blank leading column.
    columns = [(label, key) for _i, label, key in mapped]
    # 支出功能分类科目 | 政府支出经济分类科目 | 部门支出经济分类科目: a code under each
    classifications = len({normalise(t) for r in header for t in r if "分类" in normalise(t)})
    n = len(columns)
    builder = _Builder(region.code, unit)
    row_index = 0
    for row in data:
        texts = _texts(row)
        if not any(texts) or len(row) < n + 1:
            continue
        function, name, economic, _economic_name = pair_of(texts[:-n], classifications)
        values = row[-n:]
        if name is None:
            # A header repeated on the next page (合计 | 基本支出 … over no figure) is no row;
            # figures under no pair are a row this reading does not understand.
            if any(is_amount(v.text.strip()) for v in values if v.text.strip()):
                raise TableError("column_mismatch", f"{table_name(region.code)}: a row names no "
                                 f"功能分类 × 经济分类 pair: {' | '.join(texts)}",
                                 row[0].location)
            continue
        row_key = "total" if function is None else None
        for i, cell in enumerate(values):
            builder.add(row_index, cell, i, columns[i][0], columns[i][1], row_code=function,
                        row_label=name, row_key=row_key)
            builder.cells[-1].row_economic_code = economic
        row_index += 1
    return builder
