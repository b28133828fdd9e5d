"""What we know about the 9 standard public tables: titles, canonical columns, row keys."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from dagster_project.config import PROJECT_ROOT


@dataclass(frozen=True)
class TableKind:
    """One row of the table registry (seeds/reference/public_tables.csv): a table of a
    document phase (决算 or 预算), found by its title, read as the 决算 table `reads_as` is
    laid out (a budget's 支出总表 has the rows and columns of a 支出决算表)."""

    phase: str
    code: str
    reads_as: str
    required: bool
    standard_title: str
    pattern: re.Pattern[str]
    match_order: int


def _table_kinds() -> list[TableKind]:
    with (PROJECT_ROOT / "seeds" / "reference" / "public_tables.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [TableKind(r["document_phase"], r["table_code"], r["reads_as"], r["required"] == "1",
                      r["standard_title"], re.compile(r["title_pattern"]), int(r["match_order"]))
            for r in rows]


TABLE_KINDS: dict[str, TableKind] = {k.code: k for k in _table_kinds()}
PHASES = ("决算", "预算")


def table_codes(phase: str) -> list[str]:
    """The tables of a document phase, in the registry's order."""
    return [k.code for k in TABLE_KINDS.values() if k.phase == phase]


def reads_as(code: str) -> str:
    """The 决算 table whose layout (parser, row keys) a table follows."""
    kind = TABLE_KINDS.get(code)
    return kind.reads_as if kind else code


def table_name(code: str) -> str:
    """How messages name a table: 公开03表 for a 决算 table, the standard title of a budget's."""
    kind = TABLE_KINDS.get(code)
    if kind is None or kind.phase == "决算":
        return f"公开{code}表"
    return f"{kind.standard_title}({code})"


def _title_patterns(phase: str) -> list[tuple[str, re.Pattern[str]]]:
    """Title patterns of a phase's tables from the registry, tried in its `match_order`: the
    more specific first ("财政拨款收入支出决算总表" contains "收入支出决算总表")."""
    kinds = sorted((k for k in TABLE_KINDS.values() if k.phase == phase),
                   key=lambda k: k.match_order)
    return [(k.code, k.pattern) for k in kinds]


TITLE_PATTERNS_BY_PHASE = {phase: _title_patterns(phase) for phase in PHASES}
TITLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = TITLE_PATTERNS_BY_PHASE["决算"]
# The title of some other table (a university's 财政拨款支出决算表, a 项目支出绩效目标表): it ends
# the table before it, whose rows must not run on into it.
# A qualifier may follow the title: "一般公共预算支出表（按经济分类）", "…明细表（按支出经济分类科目）".
OTHER_TABLE_TITLE = re.compile(
    r"[\u4e00-\u9fff）)”]{3,}(?<!下|本|附|此)表(（续）|\(续\)|[（(][\u4e00-\u9fff]{2,12}[）)])?$")
CODE_MARKER = re.compile(r"^(?:公开)?(?:表)?\s*(\d{1,2})\s*(?:表)?$|^公开(\d{2})表$|^表(\d{1,2})$")
UNIT_LINE = re.compile(r"^(?:金额)?单位[:：]\s*(.*)$")
# "本部门2024年度无…支出", and the forms that name the unit instead ("注：某某局无…支出，故本表
# 无数据", "说明：某某局没有…收入，…故本表无数据").
EMPTY_DECLARATION = re.compile(
    r"(本(部门|单位)|我(部门|单位)).{0,20}(无|没有).{0,40}(支出|收入|经费|决算)"
    r"|(无|没有).{0,40}(支出|收入|经费|预算).{0,30}故本表(无数据|为空)"
)

# The number of value columns and their canonical keys, per table (see
# seeds/reference/public_table_columns.csv, the same keys and labels).
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "02": [
        ("total", "本年收入合计"),
        ("fiscal_appropriation", "财政拨款收入"),
        ("upper_subsidy", "上级补助收入"),
        ("business", "事业收入"),
        ("operating", "经营收入"),
        ("affiliated_remit", "附属单位上缴收入"),
        ("other", "其他收入"),
    ],
    "03": [
        ("total", "本年支出合计"),
        ("basic", "基本支出"),
        ("project", "项目支出"),
        ("remit_upper", "上缴上级支出"),
        ("operating", "经营支出"),
        ("subsidy_affiliated", "对附属单位补助支出"),
    ],
    "05": [("total", "本年支出/小计"), ("basic", "本年支出/基本支出"), ("project", "本年支出/项目支出")],
    "07": [
        ("carryover_begin", "年初结转和结余"),
        ("income", "本年收入"),
        ("total", "本年支出/小计"),
        ("basic", "本年支出/基本支出"),
        ("project", "本年支出/项目支出"),
        ("carryover_end", "年末结转和结余"),
    ],
    "08": [("total", "本年支出/合计"), ("basic", "本年支出/基本支出"), ("project", "本年支出/项目支出")],
    "09": [
        ("budget_total", "预算数/合计"),
        ("budget_outbound", "预算数/因公出国（境）费"),
        ("budget_vehicle_total", "预算数/公务用车购置及运行维护费/小计"),
        ("budget_vehicle_purchase", "预算数/公务用车购置及运行维护费/公务用车购置费"),
        ("budget_vehicle_operation", "预算数/公务用车购置及运行维护费/公务用车运行维护费"),
        ("budget_reception", "预算数/公务接待费"),
        ("final_total", "决算数/合计"),
        ("final_outbound", "决算数/因公出国（境）费"),
        ("final_vehicle_total", "决算数/公务用车购置及运行维护费/小计"),
        ("final_vehicle_purchase", "决算数/公务用车购置及运行维护费/公务用车购置费"),
        ("final_vehicle_operation", "决算数/公务用车购置及运行维护费/公务用车运行维护费"),
        ("final_reception", "决算数/公务接待费"),
    ],
}
SUMMARY_EXPENDITURE_COLUMNS = {
    "01": [("amount", "支出/金额")],
    "04": [
        ("total", "支出/决算数/小计"),
        ("general_budget", "支出/决算数/一般公共预算财政拨款"),
        ("gov_fund", "支出/决算数/政府性基金预算财政拨款"),
        ("soe_capital", "支出/决算数/国有资本经营预算财政拨款"),
    ],
}
SUMMARY_INCOME_COLUMNS = {"01": [("amount", "收入/金额")], "04": [("amount", "收入/决算数")]}

FUNCTION_TABLES = {"02", "03", "05", "07", "08"}

# 功能分类 类 as 公开01表/04表 print them, with the names older reports used.
FUNCTION_CLASSES: dict[str, str] = {
    "一般公共服务支出": "201",
    "外交支出": "202",
    "国防支出": "203",
    "公共安全支出": "204",
    "教育支出": "205",
    "科学技术支出": "206",
    "文化旅游体育与传媒支出": "207",
    "文化体育与传媒支出": "207",
    "社会保障和就业支出": "208",
    "社会保险基金支出": "209",
    "卫生健康支出": "210",
    "医疗卫生与计划生育支出": "210",
    "节能环保支出": "211",
    "城乡社区支出": "212",
    "农林水支出": "213",
    "交通运输支出": "214",
    "资源勘探工业信息等支出": "215",
    "资源勘探信息等支出": "215",
    "商业服务业等支出": "216",
    "金融支出": "217",
    "援助其他地区支出": "219",
    "自然资源海洋气象等支出": "220",
    "国土海洋气象等支出": "220",
    "住房保障支出": "221",
    "粮油物资储备支出": "222",
    "国有资本经营预算支出": "223",
    "灾害防治及应急管理支出": "224",
    "预备费": "227",
    "其他支出": "229",
    "转移性支出": "230",
    "债务还本支出": "231",
    "债务付息支出": "232",
    "债务发行费用支出": "233",
    "抗疫特别国债安排的支出": "234",
}

FUNDS = {
    "一般公共预算财政拨款": "general_budget",
    "政府性基金预算财政拨款": "gov_fund",
    "国有资本经营预算财政拨款": "soe_capital",
}

_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[.、]|[（(][一二三四五六七八九十\d]+[)）])\s*")


def strip_numbering(label: str) -> str:
    return _NUMBERING.sub("", label).replace(" ", "").replace("\u3000", "")


def income_row_key(label: str) -> str | None:
    """Canonical key of a 公开01表/04表 income-side line."""
    name = strip_numbering(label)
    if not name or name.startswith("其中"):
        return None  # "其中：…" breaks down the line above: it is not a line of its own
    rules = [
        ("本年收入合计", "income_total"),
        ("当年收入小计", "income_total"),  # 江苏's budget 收支预算总表
        ("使用非财政拨款结余", "non_fiscal_surplus_used"),
        ("年初财政拨款结转和结余", "carryover_begin"),
        ("年初结转和结余", "carryover_begin"),
        ("上年结转和结余", "carryover_begin"),
        ("上年结转结余", "carryover_begin"),  # 北京's budget 收支总表
        ("上年结转", "carryover_begin"),
        ("上年结余", "carryover_begin"),  # 深圳's budget 收支总表: 上年结余、结转
        ("总计", "grand_total"),
        ("一般公共预算财政拨款", "general_budget_appropriation"),
        ("政府性基金预算财政拨款", "gov_fund_appropriation"),
        ("国有资本经营预算财政拨款", "soe_capital_appropriation"),
        # A budget's 收支总表: "一、一般公共预算拨款收入".
        ("一般公共预算拨款", "general_budget_appropriation"),
        ("一般公共预算资金", "general_budget_appropriation"),  # 上海's 财政拨款收支预算总表
        ("政府性基金预算拨款", "gov_fund_appropriation"),
        ("国有资本经营预算拨款", "soe_capital_appropriation"),
        ("上级补助收入", "upper_subsidy"),
        ("事业收入", "business_income"),
        ("经营收入", "operating_income"),
        ("附属单位上缴收入", "affiliated_remit"),
        ("其他收入", "other_income"),
        # Older and university templates print one 财政拨款收入 line for every fund.
        ("财政拨款收入", "fiscal_appropriation"),
    ]
    if name == "财政拨款":
        return "fiscal_appropriation"  # "一、财政拨款" (江苏, universities)
    if name in ("合计", "收入合计"):
        return "grand_total"  # the last line, where others print 总计
    for needle, key in rules:
        if needle in name:
            return key
    return None


def expenditure_row_key(label: str) -> tuple[str | None, str | None]:
    """(row_key, 类 code) of a 公开01表/04表 expenditure-side line."""
    name = strip_numbering(label)
    if not name:
        return None, None
    if name in FUNCTION_CLASSES:
        return "function_class", FUNCTION_CLASSES[name]
    for needle, key in [
        ("本年支出合计", "expenditure_total"),
        ("当年支出小计", "expenditure_total"),
        ("结余分配", "surplus_distribution"),
        ("年末财政拨款结转和结余", "carryover_end"),
        ("年末结转和结余", "carryover_end"),
        ("年终结转结余", "carryover_end"),  # 北京's budget 收支总表
        ("结转下年", "carryover_end"),  # 江苏's 结转下年资金
        ("总计", "grand_total"),
    ]:
        if needle in name:
            return key, None
    if name in ("合计", "支出合计"):
        return "grand_total", None
    return None, None


def table_code_of_title(text: str, phase: str = "决算") -> str | None:
    t = text.replace(" ", "").replace("\u3000", "")
    if len(t) > 60 or "说明" in t or "目录" in t:
        return None
    if re.search(r"[…．.·]{4,}\s*\d*$", t):
        return None  # a contents entry ("9．2025年部门“三公”经费…预算表 ………… 20")
    for code, pattern in TITLE_PATTERNS_BY_PHASE[phase]:
        if pattern.search(t):
            return code
    return None


def table_code_of_marker(text: str, phase: str = "决算") -> str | None:
    """公开03表 / 表3 as a 决算 numbers its tables. A budget's numbers never name a table:
    江苏 numbers its budget tables 公开01-13表, other places their own way."""
    if phase != "决算":
        return None
    t = text.replace(" ", "")
    m = re.fullmatch(r"(?:公开)?(\d{1,2})表|表(\d{1,2})|公开表(\d{1,2})", t)
    if not m:
        return None
    n = int(next(g for g in m.groups() if g))
    return f"{n:02d}" if 1 <= n <= 9 else None
