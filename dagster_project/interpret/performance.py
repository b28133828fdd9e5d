"""绩效自评表: the 部门整体 and each 项目 self-evaluation, with budget execution and indicators;
and a budget's 绩效目标表 (项目绩效目标表, 部门整体支出绩效目标表, 项目支出绩效表): the same facts
before the year, the project's funds total as its 预算数 and each indicator's 指标值 as its
target, nothing executed.

Every column and line is found by its header words, which the registry
`seeds/reference/performance_table_headers.csv` gives per role (三级指标 or 指标名称, 年初预算数,
其中：财政拨款 …). Three shapes are read:

- one table per project (or for the 部门整体), its funds printed as labelled lines
  ("年度预算资金总额： 30.00", "其中：财政拨款 | 30.00"), as columns (北京's 部门整体: 预算支出总额
  over 财政拨款 and 其他资金), or in a 自评表 as rows under 年初预算数 | 全年预算数 | 全年执行数;
- one table holding a row per project (北京's 项目支出绩效目标表, 重庆's 一般性项目, 杭州 and
  湖州's 项目支出绩效表): a header with 项目名称 and an amount column; each row naming a project
  starts it, the rows below without a name carry its further indicators;
- the indicators themselves, by level columns (一级/二级/三级指标), by one 指标名称 column with its
  指标性质 (≥, ≤, 定性) and 计量单位 beside the 指标值 (重庆, 北京), or by one cell holding all
  three levels (北京's 部门整体: "产出指标数量指标协调推进…").

The tables merge cells freely (a level-1 name printed once for several rows, a row holding
only the level names), so a row narrower than its header is read right-aligned: the last cells
are always the indicator's last columns.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from functools import lru_cache

from dagster_project.amounts import AmountError, parse_amount, parse_percent
from dagster_project.config import PROJECT_ROOT
from dagster_project.document import Cell, Location, Paragraph
from dagster_project.interpret.facts import EvaluationFact, IndicatorFact, Problem

HEADERS_CSV = PROJECT_ROOT / "seeds" / "reference" / "performance_table_headers.csv"

_TITLE = re.compile(r"自评表")
# A budget's: "236中央高校教育教学改革专项绩效目标表", "政策和项目预算绩效目标表", "部门整体支出绩效目标表",
# "2026年市级部门项目支出绩效表" (杭州, 湖州: no 目标 in the title).
_TARGET_TITLE = re.compile(r"绩效目标(申报)?表|项目支出绩效表")
_ENDS_TABLE = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|附件|名词解释)")
# a title's numbering: "五、", "（十一）", "预算13表", "预算表12", "表14-1", "表11："
_TITLE_NUMBER = re.compile(
    r"^([一二三四五六七八九十\d]+[、.]\s*|[（(][一二三四五六七八九十]+[）)]\s*"
    r"|(预算\s*表?|表)\s*\d+(-\d+)?\s*表?\s*[：:.]?\s*)")
_LEVEL1_OF_LEVEL2 = [
    ("满意度", "满意度指标"),
    ("效益", "效益指标"),
    ("成本", "成本指标"),
    ("数量", "产出指标"),
    ("质量", "产出指标"),
    ("时效", "产出指标"),
]
# one cell holding the three levels: "产出指标数量指标协调推进…", "效益指标可持续影响指标京津冀…"
_LEVELS_IN_ONE = re.compile(r"^(产出指标|效益指标|成本指标|满意度指标)(.+?指标)(.+)$")
_COMPARATORS = set("≥≤=＝><≧≦＞＜")
_FUNDS_ROLES = ("funds_total", "funds_period_total", "funds_fiscal", "funds_fiscal_share",
                "funds_carryover", "funds_other")
_PART_FIELDS = {"funds_fiscal": "fiscal", "funds_carryover": "carryover", "funds_other": "other"}


@lru_cache(maxsize=1)
def _registry() -> tuple[tuple[str, re.Pattern[str]], ...]:
    with HEADERS_CSV.open(encoding="utf-8", newline="") as f:
        return tuple((r["role"], re.compile(r["pattern"])) for r in csv.DictReader(f))


def _label(text: str) -> str:
    """A header or line label as the registry writes it: no spaces, ASCII parentheses, no
    "其中：" before it, no colon or "（万元）" after it."""
    t = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
    t = re.sub(r"^其中[：:]?", "", t)
    t = re.sub(r"\(万元\)$", "", t)
    return t.rstrip("：:")


def role_of(text: str) -> str | None:
    """The role the registry gives a header cell or a funds line's label, or None."""
    label = _label(text)
    if not label:
        return None
    return next((role for role, pattern in _registry() if pattern.fullmatch(label)), None)


def is_title(text: str, phase: str) -> bool:
    """A line naming a 绩效自评表 (决算) or 绩效目标表 (预算), not a contents line."""
    text = text.strip()
    pattern = _TITLE if phase == "决算" else _TARGET_TITLE
    return bool(pattern.search(text)) and len(text) < 60 and not _CONTENTS.search(text)


def _texts(row: list[Cell]) -> list[str]:
    return [c.text.strip() for c in row]


def _amount(text: str) -> tuple[object, int | None]:
    try:
        a = parse_amount(text)
    except AmountError:
        return None, None
    return (a.value, a.decimals) if a else (None, None)


def _set_funds(ev: EvaluationFact, role: str, label: str, value, decimals, targets: bool) -> None:
    """One funds line: the first of each role wins (a table prints its total once). A part
    printed blank is 0 with no decimals: the label is printed, nothing is put in it."""
    if role in ("funds_total", "funds_period_total"):
        if value is None or ev.funds_total_wan_yuan is not None:
            return
        ev.funds_total_label = _label(label)
        ev.funds_total_wan_yuan, ev.funds_total_decimals = value, decimals
        # the year's total is a budget's 预算数; an implementation period's (西安) is not
        if role == "funds_total" and targets and ev.budget_wan_yuan is None:
            ev.budget_wan_yuan, ev.budget_decimals = value, decimals
        return
    if role == "funds_fiscal_share":
        # 其中：中央财政资金 | 市级财政资金 (北京's 转移支付): shares of the 财政 funds, summed
        if value is not None:
            ev.fiscal_wan_yuan = (ev.fiscal_wan_yuan or Decimal(0)) + value
            ev.fiscal_decimals = max(ev.fiscal_decimals or 0, decimals or 0)
        elif ev.fiscal_wan_yuan is None:
            ev.fiscal_wan_yuan = Decimal(0)
        return
    name = _PART_FIELDS[role]
    if getattr(ev, f"{name}_wan_yuan") is None:
        setattr(ev, f"{name}_wan_yuan", value if value is not None else Decimal(0))
        setattr(ev, f"{name}_decimals", decimals)


class _Reader:
    def __init__(self, kind: str, title: str, location: Location, targets: bool = False):
        self.evaluations = [EvaluationFact(kind, "部门整体" if kind == "部门整体" else title,
                                           location)]
        # a budget's 绩效目标表: its funds total is the 预算数 (a 自评表 prints 年度资金总额 over
        # 年初预算数 | 全年预算数 | 全年执行数 columns, read by its budget header instead)
        self.targets = targets
        self.budget_header: list[str] | None = None
        self.indicator_header: list[str] | None = None
        self.funds_columns: dict[int, tuple[str, str]] | None = None
        self.total_at: int | None = None  # the column of the year's funds beside the period's
        self.in_funds = False  # a funds total read: the lines below it are its parts
        # the project a row with the page's header drawn over it started (北京)
        self.overlaid_start: EvaluationFact | None = None
        self.project_cells_lost = False  # a project's own cells fell out of the grid
        self.project_header: list[str] | None = None
        self.goal: str | None = None
        self.level1: str | None = None
        self.level2: str | None = None
        self.in_deviation = False

    @property
    def evaluation(self) -> EvaluationFact:
        return self.evaluations[-1]

    def paragraph(self, text: str) -> None:
        """Text between the rows of a table with a row per project, other than a page number or
        a unit line: a project's own cells (its name, amount, goal) fell out of the grid (北京's
        pages whose left columns the reader did not rule). The indicator rows that follow are
        that project's, whose name is not read: never the previous project's."""
        if self.project_header is not None and len(self.evaluations) > 1 and \
                not _PAGE_LINE.fullmatch(text):
            self.project_cells_lost = True

    def row(self, row: list[Cell]) -> None:
        texts = _texts(row)
        nonblank = [t for t in texts if t]
        if not nonblank:
            return
        first = nonblank[0]
        ev = self.evaluation
        roles = [role_of(t) for t in texts]
        amounts = sum(1 for t in texts if parse_amount_safe(t) is not None)
        if self.project_header is not None:
            self._project_row(row, texts, roles, amounts)
        elif "project" in roles and any(r in ("funds_total", "funds_fiscal") for r in roles) \
                and amounts == 0:
            self._start_project_table(texts, roles)
        elif role_of(first) == "project" and len(nonblank) > 1:
            ev.project_name = nonblank[1]
        elif "基本支出总额" in texts:
            self._totals(texts)
        elif any("预算数" in t for t in texts) and any("执行数" in t for t in texts):
            self.budget_header = texts
        elif self.budget_header is not None and self.indicator_header is None and (
                any(parse_percent(t) for t in texts[-3:]) and amounts >= 2
                or roles[texts.index(first)] in _FUNDS_ROLES):
            # a 自评表's funds rows: a 合计 or 资金来源 line with its 执行率, or a line the
            # registry names (其中：财政拨款 | 50.00 | … | -- with no rate of its own)
            self._budget_row(texts)
        elif self.indicator_header is None and self.budget_header is None and \
                any(r in _FUNDS_ROLES for r in roles):
            self._funds_lines(texts, roles, amounts)
        elif self.funds_columns is not None and self.indicator_header is None and amounts:
            self._funds_values(texts)
        elif self.in_funds and self.indicator_header is None and amounts and \
                self.budget_header is None:
            # a figure in the funds lines under a label the registry does not name (泉州's
            # 部门整体: 资金总额 = 项目支出 + 基本支出, 其他资金): the split cannot be judged
            ev.funds_unnamed_lines += 1
        elif first.startswith("年度目标") and len(nonblank) == 1:
            self.goal = first.split("：", 1)[-1].split(":", 1)[-1].strip() or first
        elif ("level3" in roles or "indicator" in roles) and "target" in roles:
            self.indicator_header = texts
        elif first.startswith("偏差大") or "未完成原因分析" in first:
            ev.deviation_reason = nonblank[1] if len(nonblank) > 1 else None
            self.in_deviation = len(nonblank) == 1
        elif self.in_deviation and len(nonblank) == 1:
            ev.deviation_reason = first
            self.in_deviation = False
        elif first.startswith("改进措施") or first.startswith("年度绩效目标") and len(nonblank) == 1:
            self.in_deviation = False
        elif first in ("总分", "合计"):
            return  # a 自评表's 总分 row, a table's 合计: no indicator
        elif self.indicator_header is not None:
            self._indicator(row, texts)

    # -- funds ---------------------------------------------------------------------------------

    def _funds_lines(self, texts: list[str], roles: list[str | None], amounts: int) -> None:
        """Labelled funds lines: "年度预算资金总额： | 30.00", "其中：财政拨款 | 30.00", the amount
        in the label's cell or the next printed cell. A row of labels only (北京's 部门整体:
        预算支出总额 | 财政拨款 | 其他资金) is a header: its figures come in a row below."""
        if amounts == 0 and len({r for r in roles if r in _FUNDS_ROLES}) >= 2 and \
                not any(_amount_in_label(t) for t in texts):
            self.funds_columns = {i: (r, t) for i, (r, t) in enumerate(zip(roles, texts, strict=True))
                                  if r in _FUNDS_ROLES}
            return
        ev = self.evaluation
        for i, (text, role) in enumerate(zip(texts, roles, strict=True)):
            if role not in _FUNDS_ROLES:
                continue
            value, decimals = None, None
            for later, later_role in zip(texts[i + 1:], roles[i + 1:], strict=True):
                if not later:
                    continue
                if later_role is None:
                    value, decimals = _amount(later)
                break
            if role in ("funds_total", "funds_period_total"):
                # 西安 prints the implementation period's funds and the year's side by side
                # (实施期资金总额 | … | 年度资金总额 | …, their 其中 lines under each): the year's
                # column wins, its parts with it; a total printed blank is no total.
                over_period = role == "funds_total" and ev.funds_total_label is not None and \
                    role_of(ev.funds_total_label) == "funds_period_total"
                if value is None or (ev.funds_total_wan_yuan is not None and not over_period):
                    continue
                if over_period:
                    for name in ("funds_total", "fiscal", "carryover", "other"):
                        setattr(ev, f"{name}_wan_yuan", None)
                        setattr(ev, f"{name}_decimals", None)
                self.total_at = i
            elif self.total_at is not None and i != self.total_at:
                continue  # a part under the other total's column
            self._set(role, text, value, decimals)
        for text in texts:
            if (inline := _amount_in_label(text)) is not None:
                role, value, decimals = inline
                self._set(role, text, value, decimals)
        self.in_funds = self.in_funds or ev.funds_total_wan_yuan is not None

    def _funds_values(self, texts: list[str]) -> None:
        """Figures under a funds header. Where several rows follow (西安's 部门整体: a row per
        task, then 金额合计), the 合计 row is the table's: it replaces the first row's figures."""
        ev = self.evaluation
        total_row = any("合计" in t for t in texts)
        if ev.funds_total_wan_yuan is not None or ev.fiscal_wan_yuan is not None:
            if not total_row:
                return
            for name in ("funds_total", "fiscal", "carryover", "other", "budget"):
                setattr(ev, f"{name}_wan_yuan", None)
                setattr(ev, f"{name}_decimals", None)
        for i, (role, label) in (self.funds_columns or {}).items():
            if i < len(texts):
                value, decimals = _amount(texts[i])
                self._set(role, label, value, decimals)

    def _set(self, role: str, label: str, value, decimals) -> None:
        _set_funds(self.evaluation, role, label, value, decimals, self.targets)

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
        role = role_of(label)
        # Rows and header are aligned on the right (the left cells merge freely). A row wider
        # than the header (a grid continued on the next page) may carry blank columns after its
        # last printed cell: those are dropped first.
        texts = _trim_right(texts, len(header))
        offset = len(texts) - len(header)
        header_roles = [role_of(h) for h in header]

        def cell(key: str) -> str:
            i = next((i for i, r in enumerate(header_roles) if r == key), None)
            return texts[i + offset] if i is not None and 0 <= i + offset < len(texts) else ""

        ev = self.evaluation
        if role in _PART_FIELDS:
            # 其中：财政拨款 | 上年结转 | 其他资金: parts of the A column (全年预算数)
            value, decimals = _amount(cell("budget"))
            self._set(role, label, value, decimals)
            return
        # The 合计 row wins over a 资金来源 line; 部门整体 prints a single total row.
        if ev.budget_wan_yuan is not None and "合计" not in label:
            return
        ev.budget_wan_yuan, ev.budget_decimals = _amount(cell("budget"))
        ev.executed_wan_yuan, ev.executed_decimals = _amount(cell("executed"))
        ev.initial_budget_wan_yuan, ev.initial_budget_decimals = _amount(cell("initial_budget"))
        rate = parse_percent(cell("rate"))
        if rate:
            ev.stated_rate_pct, ev.rate_decimals = rate.value, rate.decimals
        if role == "funds_total" or "合计" in label:
            ev.funds_total_label = _label(label)
            ev.funds_total_wan_yuan, ev.funds_total_decimals = ev.budget_wan_yuan, ev.budget_decimals

    # -- a table with one row per project -----------------------------------------------------

    def _start_project_table(self, texts: list[str], roles: list[str | None]) -> None:
        self.project_header = list(texts)
        if any(r in ("level3", "indicator") for r in roles):
            self.indicator_header = list(texts)

    def _project_row(self, row: list[Cell], texts: list[str], roles: list[str | None],
                     amounts: int) -> None:
        header = self.project_header or []
        cells = _aligned(header, texts)
        overlaid = _overlaid(header, cells)
        if overlaid is None and amounts == 0 and any(r in _FUNDS_ROLES for r in roles) and \
                "project" not in roles:
            # the header's second line: 其中 | 财政资金 | 其他资金 under 项目总额
            self.project_header = [t if role_of(t) and not role_of(h) else h for h, t in
                                   zip(header, texts + [""] * (len(header) - len(texts)),
                                       strict=False)]
            return
        if overlaid is None and "project" in roles and amounts == 0:
            return  # the header repeated on the next page
        header_roles = [role_of(h) for h in header]
        if overlaid is not None:
            cells = overlaid
        name_at = header_roles.index("project")
        name = cells[name_at]
        if "合计" in cells or name == "**" or set(texts) <= {"**", ""}:
            return  # the table's 合计 row (in any column), its column-number row
        started_overlaid, self.overlaid_start = self.overlaid_start, None
        if not name and overlaid is not None:
            # the header's second line drawn over the second row of the project the overlaid
            # row above started: its 其中 figures (财政资金)
            if started_overlaid is self.evaluation:
                for i, role in enumerate(header_roles):
                    if role in _PART_FIELDS and (value := _amount(cells[i]))[0] is not None:
                        self._set(role, header[i], *value)
            return
        lost, self.project_cells_lost = self.project_cells_lost, False
        # a project's figures with its goal or an indicator beside them (a row of figures alone,
        # 湖州's unlabelled total under the header, is the table's, not a project's)
        figures = any(r == "funds_total" and _amount(cells[i])[0] is not None
                      for i, r in enumerate(header_roles)) and any(
            cells[i] for i, r in enumerate(header_roles) if r in ("goal", "level3", "indicator"))
        if not name and (lost or figures):
            # the rows of a project whose name the grid lost (see paragraph), or a row with the
            # project's figures and no name: a project of its own, never the previous one's
            name = UNREAD_PROJECT
        if name:
            ev = EvaluationFact("项目", name, row[min(name_at, len(row) - 1)].location)
            self.evaluations.append(ev)
            if overlaid is not None:
                self.overlaid_start = ev
            self.level1 = self.level2 = None
            for i, role in enumerate(header_roles):
                if role in _PART_FIELDS and overlaid is not None:
                    continue  # its parts are on the row below, under the header's second line
                if role in _FUNDS_ROLES and name == UNREAD_PROJECT and not figures:
                    continue  # an indicator row of a project whose figures the grid lost
                if role in _FUNDS_ROLES:
                    value, decimals = _amount(cells[i])
                    if value is not None or not cells[i]:  # a figure, or printed blank
                        self._set(role, header[i], value, decimals)
                    elif role != "funds_total":
                        ev.funds_unnamed_lines += 1  # a part printed, not readable: unknown
                elif role == "goal" and cells[i]:
                    self.goal = cells[i]
        if self.indicator_header is not None and overlaid is None:
            self._indicator(row, texts)

    # -- indicators ----------------------------------------------------------------------------

    def _indicator(self, row: list[Cell], texts: list[str]) -> None:
        header = self.indicator_header or []
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
        level1, level2, level3, actual, reason = (
            cells[k] for k in ("level1", "level2", "level3", "actual", "reason"))
        target = _target(cells)
        if not level3 and (levels := _LEVELS_IN_ONE.match(cells["indicator"])):
            level1, level2, level3 = levels.groups()
        elif not level3:
            level3 = cells["indicator"]
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


def _without(text: str, words: str) -> str | None:
    """`text` with the characters of `words` taken out where they occur in it in order, or
    None where they do not."""
    out, k = [], 0
    for ch in text:
        if k < len(words) and ch == words[k]:
            k += 1
        else:
            out.append(ch)
    return "".join(out).strip() if k == len(words) else None


def _overlaid(header: list[str], cells: list[str]) -> list[str] | None:
    """A row the page's header was drawn over (北京: the header repeated on each page, printed
    on top of the page's first row, its characters interleaved with the row's:
    `1100项00目23名T0称000020…`, `项目总额370.000000`, `一级指标`): two cells or more hold their
    column's header words among their own characters. Those words are taken out; None for an
    ordinary row."""
    stripped, hits = list(cells), 0
    for i, (h, c) in enumerate(zip(header, cells, strict=True)):
        words = _label(h)
        if len(words) < 2 or not c:
            continue
        rest = _without(re.sub(r"\s+", "", c), words)
        if rest is not None:
            stripped[i] = rest
            hits += 1
    return stripped if hits >= 2 else None


def _amount_in_label(text: str) -> tuple[str, object, int | None] | None:
    """A funds line printed in one cell, label and amount: "年度资金总额： 2112.76"."""
    m = re.match(r"^(.*?)[：:]\s*(\S+)$", text.strip())
    if not m:
        return None
    role = role_of(m.group(1))
    value, decimals = _amount(m.group(2))
    return (role, value, decimals) if role in _FUNDS_ROLES and value is not None else None


def _target(cells: dict[str, str]) -> str:
    """The indicator's target: its 指标值, with the 指标性质 (≥, ≤, ＝) before it and its 计量单位
    after it where the table prints them in columns of their own; 定性 is no comparator."""
    value = cells["target"]
    if not value:
        return ""
    comparator = cells["comparator"].replace(" ", "")
    prefix = comparator if comparator and set(comparator) <= _COMPARATORS else ""
    return prefix + value + cells["measure"]


def _aligned(header: list[str], texts: list[str]) -> list[str]:
    """A row's cells under the header's columns: by position when as wide as the header, else
    aligned on the right with the header's printed columns (merged cells collapsed)."""
    if len(texts) == len(header):
        return list(texts)
    columns = [i for i, h in enumerate(header) if h]
    row = [""] * max(0, len(columns) - len(texts)) + texts[-len(columns):]
    out = [""] * len(header)
    for k, i in enumerate(columns):
        out[i] = row[k] if k < len(row) else ""
    return out


_INDICATOR_ROLES = ("level1", "level2", "level3", "indicator", "target", "actual", "comparator",
                    "measure", "reason")


def _indicator_cells(header: list[str], texts: list[str]) -> dict[str, str]:
    """Each role's cell, the header's columns found by the registry's words."""
    cells = _aligned(header, texts)
    found: dict[str, str] = {}
    for i, h in enumerate(header):
        role = role_of(h)
        if role in _INDICATOR_ROLES and role not in found:
            found[role] = cells[i]
    return {role: found.get(role, "") for role in _INDICATOR_ROLES}


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


def _printed_part(e: EvaluationFact) -> bool:
    """A part printed with a figure (an empty form's blank 其中 lines are none)."""
    return any(d is not None for d in (e.fiscal_decimals, e.carryover_decimals, e.other_decimals))


def _title_row(item: Paragraph | list[Cell], phase: str) -> tuple[str, Location] | None:
    """A title printed as a paragraph, or as the one printed cell of a table row (北京)."""
    if isinstance(item, Paragraph):
        return (item.text.strip(), item.location) if is_title(item.text, phase) else None
    printed = [c for c in item if c.text.strip()]
    if len(printed) == 1 and is_title(printed[0].text, phase):
        return printed[0].text.strip(), printed[0].location
    return None


def _project_title(text: str) -> str:
    title = _TITLE_NUMBER.sub("", text)
    title = re.sub(r"^\d{4}\s*年度?", "", title)
    for suffix in ("项目自评表", "绩效自评表", "自评表", "项目绩效目标表", "绩效目标申报表",
                   "绩效目标表"):
        title = title.removesuffix(suffix)
    return title


def extract_evaluations(items: list[Paragraph | list[Cell]], phase: str = "决算"
                        ) -> tuple[list[EvaluationFact], list[Problem]]:
    """A 决算's 绩效自评表, or (phase 预算) a budget's 绩效目标表: one EvaluationFact each (a table
    with a row per project: one per project)."""
    readers: list[_Reader] = []
    current: _Reader | None = None
    for item in items:
        if (title := _title_row(item, phase)) is not None:
            text, location = title
            kind = "部门整体" if "整体" in text else "项目"
            current = _Reader(kind, _project_title(text), location, targets=phase == "预算")
            readers.append(current)
            continue
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if _ENDS_TABLE.match(text) or (len(text) > 60 and text.endswith("。")):
                current = None  # a new part, an annex or prose: the 自评表 is over
            elif current is not None:
                current.paragraph(text)
            continue
        if current is not None:
            current.row(item)
    evaluations = [e for r in readers for e in r.evaluations
                   if e.budget_wan_yuan is not None or e.indicators
                   or e.funds_total_wan_yuan is not None or _printed_part(e)]
    # Every 自评表 whose figures could not be read is a located problem, a 项目自评表 with nothing
    # read at all too: the audit then knows a sum over all projects would be short.
    # A budget's target table without an amount is no problem of the audit (no rule sums them):
    # only a 决算's.
    problems = [
        Problem("performance_unread",
                f"{e.evaluation_kind}自评表 {e.project_name!r}: no 预算数/执行数 row found",
                e.location, fatal=False)
        for r in readers for e in r.evaluations[:1]
        if e.budget_wan_yuan is None and phase == "决算"
        and (e in evaluations or e.evaluation_kind == "项目")
    ]
    return evaluations, problems


# the name of a project whose row the grid lost (its indicators read, its name not)
UNREAD_PROJECT = "（项目名称未读出）"
# a page number ("— 32 —", "-28-") or a unit line ("金额单位：万元") between a table's rows
_PAGE_LINE = re.compile(r"[—\-－\s\d]+|(金额)?单位[：:]\s*(万元|元)")

# a contents line: "五、项目绩效目标表 ........ 16"
_CONTENTS = re.compile(r"[.…．·]{4,}\s*\d*$")
