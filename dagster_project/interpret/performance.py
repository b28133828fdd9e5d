"""绩效自评表: the 部门整体 and each 项目 self-evaluation, with budget execution and indicators;
and a budget's 绩效目标表 (项目绩效目标表, 部门整体支出绩效目标表): the same facts before the year,
the project's 年度资金总额 as its 预算数 and each indicator's 指标值 as its target, nothing executed.

The tables merge cells freely (a level-1 name printed once for several rows, a row holding
only the level names), so rows are read right-aligned: the last cells are always the
indicator, its target and its achieved value (and, in 项目 tables, the reason column).
"""

from __future__ import annotations

import re

from dagster_project.amounts import AmountError, parse_amount, parse_percent
from dagster_project.document import Cell, Location, Paragraph
from dagster_project.interpret.facts import EvaluationFact, IndicatorFact, Problem

_TITLE = re.compile(r"自评表")
# A budget's: "236中央高校教育教学改革专项绩效目标表", "政策和项目预算绩效目标表", "部门整体支出绩效目标表".
_TARGET_TITLE = re.compile(r"绩效目标(申报)?表")
# "年度资金总额：" (central template), "资金总额", "项目资金总额": the project's budget line.
_FUNDS_TOTAL = re.compile(r"^(年度|项目)?资金总额[:：]?\s*(.*)$")
_ENDS_TABLE = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|附件|名词解释)")
_LEVEL1_OF_LEVEL2 = [
    ("满意度", "满意度指标"),
    ("效益", "效益指标"),
    ("成本", "成本指标"),
    ("数量", "产出指标"),
    ("质量", "产出指标"),
    ("时效", "产出指标"),
]


def _texts(row: list[Cell]) -> list[str]:
    return [c.text.strip() for c in row]


def _amount(text: str) -> tuple[object, int | None]:
    try:
        a = parse_amount(text)
    except AmountError:
        return None, None
    return (a.value, a.decimals) if a else (None, None)


class _Reader:
    def __init__(self, kind: str, title: str, location: Location, targets: bool = False):
        self.evaluation = EvaluationFact(kind, "部门整体" if kind == "部门整体" else title, location)
        # a budget's 绩效目标表: its 年度资金总额 is the 预算数 (a 自评表 prints 年度资金总额 over
        # 年初预算数 | 全年预算数 | 全年执行数 columns, read by its budget header instead)
        self.targets = targets
        self.budget_header: list[str] | None = None
        self.indicator_header: list[str] | None = None
        self.goal: str | None = None
        self.level1: str | None = None
        self.level2: str | None = None
        self.in_deviation = False

    def row(self, row: list[Cell]) -> None:
        texts = _texts(row)
        nonblank = [t for t in texts if t]
        if not nonblank:
            return
        first = nonblank[0]
        ev = self.evaluation
        funds = next((m for t in nonblank if (m := _FUNDS_TOTAL.match(t))), None)
        if first == "项目名称" and len(nonblank) > 1:
            ev.project_name = nonblank[1]
        elif funds is not None and self.targets and self.indicator_header is None:
            self._funds_total(nonblank, funds)
        elif "基本支出总额" in texts:
            self._totals(texts)
        elif any("预算数" in t for t in texts) and any("执行数" in t for t in texts):
            self.budget_header = texts
        elif self.budget_header is not None and self.indicator_header is None and \
                any(parse_percent(t) for t in texts[-3:]) and \
                sum(1 for t in texts if parse_amount_safe(t) is not None) >= 2:
            self._budget_row(texts)
        elif first.startswith("年度目标") and len(nonblank) == 1:
            self.goal = first.split("：", 1)[-1].split(":", 1)[-1].strip() or first
        elif "一级指标" in texts and "三级指标" in texts:
            self.indicator_header = texts
        elif first.startswith("偏差大") or "未完成原因分析" in first:
            ev.deviation_reason = nonblank[1] if len(nonblank) > 1 else None
            self.in_deviation = len(nonblank) == 1
        elif self.in_deviation and len(nonblank) == 1:
            ev.deviation_reason = first
            self.in_deviation = False
        elif first.startswith("改进措施") or first.startswith("年度绩效目标") and len(nonblank) == 1:
            self.in_deviation = False
        elif self.indicator_header is not None:
            self._indicator(row, texts)

    def _funds_total(self, nonblank: list[str], funds: re.Match[str]) -> None:
        """A 绩效目标表's "年度资金总额： 2112.76": the amount in the same cell or the next."""
        if self.evaluation.budget_wan_yuan is not None:
            return
        after = nonblank[nonblank.index(funds.group(0)) + 1:]
        for text in [funds.group(2), *after]:
            value, decimals = _amount(text)
            if value is not None:
                self.evaluation.budget_wan_yuan, self.evaluation.budget_decimals = value, decimals
                return

    def _totals(self, texts: list[str]) -> None:
        ev = self.evaluation
        for i, t in enumerate(texts[:-1]):
            value, decimals = _amount(texts[i + 1])
            if t == "基本支出总额":
                ev.basic_total_wan_yuan, ev.basic_total_decimals = value, decimals
            elif t == "项目支出总额":
                ev.project_total_wan_yuan, ev.project_total_decimals = value, decimals

    def _budget_row(self, texts: list[str]) -> None:
        header = self.budget_header or []
        label = next((t for t in texts if t and parse_amount_safe(t) is None), "")
        # The 合计 row wins over a 资金来源 line; 部门整体 prints a single total row.
        if self.evaluation.budget_wan_yuan is not None and "合计" not in label:
            return
        # Rows and header are aligned on the right (the left cells merge freely). A row wider
        # than the header (a grid continued on the next page) may carry blank columns after its
        # last printed cell: those are dropped first.
        texts = _trim_right(texts, len(header))
        offset = len(texts) - len(header)

        def cell(key: str) -> str:
            # Central-department tables print 年初预算数 and 全年预算数: A is the 全年 figure.
            i = next((i for i, h in enumerate(header) if "全年" + key in h), None)
            if i is None:
                i = next((i for i, h in enumerate(header) if key in h), None)
            return texts[i + offset] if i is not None and 0 <= i + offset < len(texts) else ""

        ev = self.evaluation
        ev.budget_wan_yuan, ev.budget_decimals = _amount(cell("预算数"))
        ev.executed_wan_yuan, ev.executed_decimals = _amount(cell("执行数"))
        rate = parse_percent(cell("执行率"))
        if rate:
            ev.stated_rate_pct, ev.rate_decimals = rate.value, rate.decimals

    def _indicator(self, row: list[Cell], texts: list[str]) -> None:
        header = self.indicator_header or []
        has_reason = any("原因" in h for h in header)
        nonblank = [t for t in texts if t]
        if all(t.endswith("指标") or t in ("社会效益", "经济效益") for t in nonblank) and len(nonblank) <= 2:
            # A row holding only the level names of the rows below it.
            if len(nonblank) == 2:
                self.level1, self.level2 = nonblank
            else:
                self.level2 = nonblank[0]
            return
        cells = _indicator_cells(header, texts)
        loc = row[-1].location
        reason = cells["reason"] if has_reason else None
        level1, level2, level3, target, actual = (
            cells[k] for k in ("level1", "level2", "level3", "target", "actual"))
        if not level3 and not target and not actual:
            return
        if level2:
            self.level2 = level2
            if not level1:
                inferred = next((l1 for k, l1 in _LEVEL1_OF_LEVEL2 if k in level2), None)
                self.level1 = inferred or self.level1
        if level1:
            self.level1 = level1
        self.evaluation.indicators.append(IndicatorFact(
            level1=self.level1, level2=self.level2, level3=level3, target_text=target or None,
            actual_text=actual or None, location=loc, goal=self.goal,
            deviation_reason=reason or None))


_ROLES = [
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标",)),
    ("target", ("年初目标值", "年度指标值", "目标值", "指标值")),
    ("actual", ("实际完成值", "完成值")),
    ("reason", ("原因",)),
]


def _indicator_cells(header: list[str], texts: list[str]) -> dict[str, str]:
    """Each role's cell. A row as wide as the header (a PDF grid, merged cells left blank) is
    read by position; a narrower one (merged cells collapsed, or a grid that changed on the
    next page) is aligned on the right with the header's printed columns."""
    if len(texts) == len(header):
        columns = list(range(len(header)))
        row = texts
    else:
        columns = [i for i, h in enumerate(header) if h]
        row = [""] * max(0, len(columns) - len(texts)) + texts[-len(columns):]
    found: dict[str, str] = {}
    for role, words in _ROLES:
        at = next((k for k, i in enumerate(columns) if any(w in header[i] for w in words)
                   and k not in found.values()), None)
        found[role] = at
    return {role: (row[k] if k is not None and k < len(row) else "") for role, k in found.items()}


def _trim_right(texts: list[str], width: int) -> list[str]:
    end = len(texts)
    while end > width and not texts[end - 1]:
        end -= 1
    return texts[:end]


def parse_amount_safe(text: str):
    try:
        return parse_amount(text)
    except AmountError:
        return None


def extract_evaluations(items: list[Paragraph | list[Cell]], phase: str = "决算"
                        ) -> tuple[list[EvaluationFact], list[Problem]]:
    """A 决算's 绩效自评表, or (phase 预算) a budget's 绩效目标表: one EvaluationFact each."""
    title_pattern = _TITLE if phase == "决算" else _TARGET_TITLE
    readers: list[_Reader] = []
    current: _Reader | None = None
    for item in items:
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if title_pattern.search(text) and len(text) < 60 and not _CONTENTS.search(text):
                kind = "部门整体" if "整体" in text else "项目"
                title = re.sub(r"^[一二三四五六七八九十\d]+[、.]\s*|^\d{4}年度?", "", text)
                title = re.sub(r"^\d{4}年度?", "", title)
                for suffix in ("项目自评表", "绩效自评表", "自评表", "项目绩效目标表", "绩效目标申报表",
                               "绩效目标表"):
                    title = title.removesuffix(suffix)
                current = _Reader(kind, title, item.location, targets=phase == "预算")
                readers.append(current)
            elif _ENDS_TABLE.match(text) or (len(text) > 60 and text.endswith("。")):
                current = None  # a new part, an annex or prose: the 自评表 is over
            continue
        if current is not None:
            current.row(item)
    evaluations = [r.evaluation for r in readers
                   if r.evaluation.budget_wan_yuan is not None or r.evaluation.indicators]
    # Every 自评表 whose figures could not be read is a located problem, a 项目自评表 with nothing
    # read at all too: the audit then knows a sum over all projects would be short.
    # A budget's target table without an amount is no problem of the audit (no rule sums them):
    # only a 决算's.
    problems = [
        Problem("performance_unread",
                f"{r.evaluation.evaluation_kind}自评表 {r.evaluation.project_name!r}: "
                "no 预算数/执行数 row found",
                r.evaluation.location, fatal=False)
        for r in readers if r.evaluation.budget_wan_yuan is None and phase == "决算"
        and (r.evaluation in evaluations or r.evaluation.evaluation_kind == "项目")
    ]
    return evaluations, problems


# a contents line: "五、项目绩效目标表 ........ 16"
_CONTENTS = re.compile(r"[.…．·]{4,}\s*\d*$")
