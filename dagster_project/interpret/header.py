"""Read a table's columns from its header text, not from their positions.

Layouts differ in how many header rows they print, which cells they merge, the order of the
columns and which columns they leave out. What they share is the words: a column under
本年支出 / 基本支出 is the basic-expenditure column wherever it stands. So each column gets
its header *path* (the texts above it, top to bottom, with a merged group title carried over
the columns it spans) and the path is matched against the registry
`seeds/reference/public_table_headers.csv`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from dagster_project.config import PROJECT_ROOT
from dagster_project.interpret.layout import reads_as

HEADERS_CSV = PROJECT_ROOT / "seeds" / "reference" / "public_table_headers.csv"

# Path parts that say nothing about which column it is: the table's own title printed as a
# group header, the 栏次 numbers, the 金额 caption.
_NOISE_PART = re.compile(r"^(栏次|\d{1,2}|金额|决算数|金额单位.*|单位.*|.{0,6}“?三公”?经费.{0,6})$")
_UNIT_CAPTION = re.compile(r"^单位\s*([:：(（].*)?$")
_NUMBERS = re.compile(r"^(栏次|\d{1,2})$")
# 09表: which figures a column holds.
_BUDGET = re.compile(r"预算")
_FINAL = re.compile(r"决算|实际|执行")
_GENERIC_LEAF = re.compile(r"^(小计|合计|总计)$")


def normalise(text: str) -> str:
    t = re.sub(r"\s+", "", text or "")
    return t.replace("（", "(").replace("）", ")").replace("\u3000", "")


@dataclass(frozen=True)
class HeaderRule:
    table_code: str
    column_key: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def header_rules() -> dict[str, list[HeaderRule]]:
    rules: dict[str, list[HeaderRule]] = {}
    with HEADERS_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rules.setdefault(row["table_code"], []).append(
                HeaderRule(row["table_code"], row["column_key"], re.compile(row["header_pattern"])))
    return rules


def rules_of(table_code: str) -> list[HeaderRule]:
    """A table's header rules: its own lines in the registry, else those of the 决算 table it
    reads as (a budget's 支出总表 names its columns as a 支出决算表 does)."""
    rules = header_rules()
    return rules.get(table_code) or rules.get(reads_as(table_code), [])


def header_paths(rows: list[list[str]], width: int) -> list[list[str]]:
    """The header texts above each column, top to bottom.

    A blank header cell takes the text to its left in the same row when that text is a group
    title spanning it: a row below names the sub-columns, and no row above starts a new group
    between them (pdfplumber leaves a merged cell's text in its first column and blanks in
    the others). A blank under a label is a cell merged downwards: nothing to add.
    """
    rows = [r for r in rows if not all(_NUMBERS.match(normalise(t)) for t in r if normalise(t))]
    grid = [[normalise(t) for t in r] + [""] * (width - len(r)) for r in rows]
    paths: list[list[str]] = [[] for _ in range(width)]
    for r, row in enumerate(grid):
        for c in range(width):
            text = row[c]
            if not text:
                text = _spanning_text(grid, r, c)
            if text and not _NUMBERS.match(text):
                paths[c].append(text)
    return paths


def _spanning_text(grid: list[list[str]], r: int, c: int) -> str:
    left = next((j for j in range(c - 1, -1, -1) if grid[r][j]), None)
    if left is None:
        return ""
    # A row above that starts something between the group title and this column ends the span.
    if any(grid[a][j] for a in range(r) for j in range(left + 1, c + 1)):
        return ""
    # Only a group title spans: some row below names this column on its own.
    if not any(grid[b][c] for b in range(r + 1, len(grid))):
        return ""
    return grid[r][left]


def column_key(table_code: str, path: list[str]) -> str | None:
    """The canonical key of a value column from its header path, or None when unknown."""
    three_public = reads_as(table_code) == "09"
    budget = reads_as(table_code) != table_code
    # A budget table with one amount column heads it 金额: that is its column, not noise.
    # So is 单位资金 (a unit's own funds, 湖州's 单位资金结转结余), or any header opening with 单位
    # that is not the unit caption (江苏's 单位预留机动经费), which the noise rule for 单位：万元
    # would drop.
    # "“三公”经费合计" (杭州) is the 合计 column, not the table's title as a group header.
    parts = [p for p in path
             if not _NOISE_PART.match(p) or (budget and (
                 p == "金额" or "资金" in p or (p.startswith("单位") and not _UNIT_CAPTION.match(p))))
             or (three_public and re.search(r"三公.{0,4}(合计|总计)$", p))]
    if three_public:
        parts = [p for p in parts if not (_BUDGET.search(p) or _FINAL.search(p)) or len(p) > 6]
    if not parts:
        return None
    rules = rules_of(table_code)
    leaf = parts[-1]
    if leaf.startswith("其中"):
        return None  # "其中：基本建设" breaks down the column before it: not a column of its own
    if (_GENERIC_LEAF.match(leaf) or (budget and leaf == "金额")) and len(parts) > 1:
        # (a budget's 事业收入/金额 beside 事业收入/其中：教育收费 is the 事业收入 column)
        # 小计 / 合计 under a group: the group's total (本年支出/小计, 公务用车…/小计).
        parent = _match(rules, parts[-2])
        if parent in ("vehicle_purchase", "vehicle_operation", "vehicle_total"):
            return "vehicle_total"
        total = _match(rules, leaf)
        if parent not in (None, total) and (budget or not three_public):
            # a budget's 基本支出/小计 is the 基本支出 column; so is a 决算's 项目支出/小计
            # beside 项目支出/其中：基本建设资金支出 (a university's 财政拨款支出决算表)
            return parent
        if parent in (None, total) or not three_public:
            return total
    if not three_public:
        named = {r.column_key for r in rules if r.pattern.search(leaf)} - {"total"}
        if len(named) > 1:
            # "年初结转和结余本年收入": two headers run together, so two columns were read as
            # one; guessing which figure is which would misread the table.
            raise MergedColumns(f"the header {leaf!r} names {len(named)} columns at once")
    key = _match(rules, leaf)
    if key is None and budget and len(parts) > 1 and _match(rules, parts[-2]) is None:
        # A header wrapped within its column over two grid rows (江苏 2018: "单位预留机动经" /
        # "费"): the two pieces are one header when neither alone names a column and together
        # they do (a group title over its columns names one itself: 财政拨款收入).
        key = _match(rules, parts[-2] + leaf)
    if key and budget and any(_CARRIED.search(p) for p in parts[:-1]):
        # A budget's 收入总表 prints the same funds under 本年收入 and under 上年结转结余.
        return f"carryover_{key}"
    return key


_CARRIED = re.compile(r"上年结转|结转结余|上年结余")


class MergedColumns(ValueError):
    """One column's header names several columns: the grid was not read apart."""


def _match(rules: list[HeaderRule], text: str) -> str | None:
    return next((r.column_key for r in rules if r.pattern.search(text)), None)


def stage_of(path: list[str]) -> str | None:
    """09表: 'budget' or 'final', from any part of the column's header path."""
    for part in reversed(path):
        if _BUDGET.search(part) and not _FINAL.search(part):
            return "budget"
        if _FINAL.search(part):
            return "final"
    return None


LABEL_WORDS = re.compile(r"项目(?!支出)|科目|编码|代码|名称|功能分类|经济分类|^类$|^款$|^项$|行次|栏次"
                         r"|^(预算)?单位$|^部门$")


def is_label_path(path: list[str]) -> bool:
    """A column of codes and names, not of amounts."""
    return any(LABEL_WORDS.search(p) for p in path)
