"""Print a UnitYear in the seed's text format, every figure rounded on its own.

The format (dagster_project/readers/text.py): a table cell is a line starting with a tab, the
cells of a row are consecutive lines and rows end with a blank line; any other line is a
paragraph. The wording of the 情况说明 follows the MoF template sentences the narrative
extractor recognises. Every figure an injection may change is recorded with its line and
span, so `inject` can change exactly that text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dagster_project.generate.model import CENT, ZERO, Indicator, UnitYear
from dagster_project.generate.registry import Registry
from dagster_project.interpret.layout import FUNCTION_CLASSES

TENTH = Decimal("0.1")

# 公开01表/04表 print every 类 of the classification on a fixed line, numbered.
CLASS_LINES = [
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出",
    "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "商业服务业等支出", "金融支出",
    "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出",
    "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出", "债务还本支出", "债务付息支出",
    "抗疫特别国债安排的支出",
]
NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
            "十四", "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三",
            "二十四", "二十五", "二十六"]


def money(x: Decimal) -> str:
    return format(x.quantize(CENT, ROUND_HALF_UP), "f")


def cell(x: Decimal) -> str:
    """A table cell: blank for an exact zero, else rounded to 0.01 万元."""
    return "" if x == ZERO else money(x)


def pct(num: Decimal, den: Decimal, places: Decimal = TENTH) -> str:
    if den == ZERO:
        return format(ZERO.quantize(places), "f")
    return format((num * 100 / den).quantize(places, ROUND_HALF_UP), "f")


@dataclass
class Figure:
    """One printed figure an injection may change, with where it is and what checks it."""

    kind: str  # table_cell | narrative_amount | narrative_percent | indicator | evaluation_rate
    #            | prior_year_total | unit_line
    table: str  # 01…09, N (情况说明) or P (绩效自评表)
    row_code: str | None
    row_label: str | None
    column: str
    line: int  # 0-based line index in the rendered text
    start: int
    end: int
    text: str
    extra: dict | None = None


class Out:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.figures: list[Figure] = []

    def para(self, text: str) -> None:
        self.lines.append(text)

    def blank(self) -> None:
        self.lines.append("")

    def row(self, cells: list[str]) -> int:
        first = len(self.lines)
        self.lines.extend("\t" + c for c in cells)
        self.lines.append("")
        return first

    def fig_cell(self, line: int, kind: str, table: str, code: str | None, label: str | None,
                 column: str, **extra) -> None:
        text = self.lines[line][1:]
        if text:
            self.figures.append(Figure(kind, table, code, label, column, line, 1,
                                       len(self.lines[line]), text, extra or None))

    def sentence(self, parts: list) -> None:
        """A paragraph from text pieces and (text, Figure-spec) pieces."""
        line = len(self.lines)
        buf: list[str] = []
        pos = 0
        for p in parts:
            if isinstance(p, str):
                buf.append(p)
                pos += len(p)
                continue
            text, spec = p
            self.figures.append(Figure(spec[0], spec[1], spec[2], spec[3], spec[4], line, pos,
                                       pos + len(text), text, spec[5] if len(spec) > 5 else None))
            buf.append(text)
            pos += len(text)
        self.lines.append("".join(buf))


def render(m: UnitYear, reg: Registry) -> tuple[str, list[Figure]]:
    out = Out()
    y = m.year
    _front(out, m, y)
    _table01(out, m, y)
    _function_table(out, m, reg, y, "02")
    _function_table(out, m, reg, y, "03")
    _table04(out, m, y)
    _function_table(out, m, reg, y, "05")
    _table06(out, m, reg, y)
    _fund_tables(out, m, reg, y)
    _table09(out, m, y)
    _narrative(out, m, reg, y)
    _glossary(out)
    _evaluations(out, m, y)
    return "\n".join(out.lines) + "\n", out.figures


# -- front matter and tables ------------------------------------------------------------------

def _front(out: Out, m: UnitYear, y: int) -> None:
    out.para(f"第一部分  {m.name}概况")
    out.para("一、部门主要职责")
    out.blank()
    out.para(f"{m.name}贯彻落实党中央关于本领域工作的方针政策和决策部署，在履行职责过程中坚持和"
             f"加强党的全面领导。主要职责是：")
    out.blank()
    for i, duty in enumerate(["贯彻执行国家有关法律法规和政策，拟订本地区相关工作规划并组织实施。",
                              "负责本行业、本领域的监督管理和公共服务工作。",
                              "承办上级交办的其他事项。"], 1):
        out.para(f"（{i}）{duty}")
        out.blank()
    out.para("二、机构设置情况")
    out.blank()
    if m.role == "部门":
        out.para(f"从单位构成看，{m.name}部门决算由实行独立核算的{m.name}本级决算和  "
                 f"{m.subordinate_units}  个下属单位决算组成。")
        kind = "部门决算"
    elif m.role == "独立":
        out.para(f"从单位构成看，{m.name}部门决算由{m.name}本级决算组成，无下属单位。")
        kind = "部门决算"
    else:
        out.para(f"{m.name}为实行独立核算的预算单位，本报告为其单位决算。")
        kind = "单位决算"
    out.blank()
    out.para(f"   {m.name}")
    out.blank()
    out.para(f"{y}年度{kind}表")
    out.blank()


def _head(out: Out, m: UnitYear, title: str, code: str) -> None:
    out.para(title)
    out.row([f"公开{code}表"])
    out.row([f"单位：{m.name}", "", "单位：万元"])
    out.blank()


def _table01(out: Out, m: UnitYear, y: int) -> None:
    _head(out, m, f"{y}年度收入支出决算总表", "01")
    out.row(["收入", "支出"])
    out.row(["项目", "行次", "金额", "项目", "行次", "金额"])
    out.row(["栏次", "", "1", "栏次", "", "2"])
    incomes = [("一、一般公共预算财政拨款收入", m.fiscal_income, "general_budget_appropriation"),
               ("二、政府性基金预算财政拨款收入", m.gf_income, "gov_fund_appropriation"),
               ("三、国有资本经营预算财政拨款收入", ZERO, None), ("四、上级补助收入", ZERO, None),
               ("五、事业收入", m.business_income, "business_income"),
               ("六、经营收入", ZERO, None), ("七、附属单位上缴收入", ZERO, None),
               ("八、其他收入", m.other_income, "other_income")]
    by_class = _by_class(m, m.spend)
    for i, name in enumerate(CLASS_LINES):
        label, amount, key = incomes[i] if i < len(incomes) else ("", ZERO, None)
        code = _class_code(name)
        first = out.row([label, str(i + 1), cell(amount), f"{NUMERALS[i]}、{name}", str(31 + i),
                         cell(by_class.get(code, ZERO))])
        if key:
            out.fig_cell(first + 2, "table_cell", "01", None, label, "收入/金额", key=key)
        if code in by_class:
            out.fig_cell(first + 5, "table_cell", "01", code, name, "支出/金额")
    totals = [("本年收入合计", m.income_total, "本年支出合计", m.expenditure_total),
              ("使用非财政拨款结余（含专用结余）", ZERO, "结余分配", ZERO),
              ("年初结转和结余", m.carry_begin, "年末结转和结余", m.carry_end),
              ("总计", m.grand_total, "总计", m.expenditure_total + m.carry_end)]
    for i, (li, vi, le, ve) in enumerate(totals):
        out.row([li, str(27 + i), cell(vi), le, str(57 + i), cell(ve)])
    out.row(["注：1.本表反映部门本年度的总收支和年末结转结余情况。"])
    out.row(["    2.本套报表金额单位转换时可能存在尾数误差。"])
    out.blank()


def _class_code(name: str) -> str | None:
    return FUNCTION_CLASSES.get(name)


def _by_class(m: UnitYear, value) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for item in m.items():
        v = value(item)
        if v:
            out[item[:3]] = out.get(item[:3], ZERO) + v
    return out


FUNCTION_COLUMNS = {
    "02": (["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
            "附属单位上缴收入", "其他收入"], "收入决算表", "本表反映部门本年度取得的各项收入情况。"),
    "03": (["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
           "支出决算表", "本表反映部门本年度各项支出情况。"),
    "05": (["小计", "基本支出", "项目支出"], "一般公共预算财政拨款支出决算表",
           "本表反映部门本年度一般公共预算财政拨款支出情况。"),
}
COLUMN_KEYS = {"02": ["total", "fiscal_appropriation", "upper_subsidy", "business", "operating",
                      "affiliated_remit", "other"],
               "03": ["total", "basic", "project", "remit_upper", "operating", "subsidy_affiliated"],
               "05": ["total", "basic", "project"]}


def _values(m: UnitYear, code: str, item: str) -> list[Decimal]:
    if code == "02":
        return [m.income(item), m.appropriation(item), ZERO,
                m.income_business.get(item, ZERO), ZERO, ZERO, m.income_other.get(item, ZERO)]
    if code == "03":
        return [m.spend(item), m.basic(item), m.project(item), ZERO, ZERO, ZERO]
    return [m.gb(item), m.gb_basic.get(item, ZERO), m.gb_project.get(item, ZERO)]


def _function_table(out: Out, m: UnitYear, reg: Registry, y: int, code: str) -> None:
    labels, title, note = FUNCTION_COLUMNS[code]
    _head(out, m, f"{y}年度{title}", code)
    n = len(labels)
    if code == "05":
        out.row(["项目", "本年支出"])
        out.row(["功能分类科目编码", "科目名称", *labels])
    else:
        out.row(["项目", *labels])
        out.row(["功能分类科目编码", "科目名称", *[""] * n])
    out.row([""] * (n + 2))
    out.row([""] * (n + 2))
    out.row(["类", "款", "项", "栏次", *[str(i + 1) for i in range(n)]])
    items = [i for i in m.items() if any(_values(m, code, i))]
    rows: dict[str, list[Decimal]] = {}
    for item in items:
        vals = _values(m, code, item)
        for c in (item[:3], item[:5], item):
            acc = rows.setdefault(c, [ZERO] * n)
            for j, v in enumerate(vals):
                acc[j] += v
    total = [sum((rows[c][j] for c in rows if len(c) == 3), ZERO) for j in range(n)]
    out.row(["", "", "", "合计", *[cell(v) for v in total]])
    for c in sorted(rows):
        first = out.row([c, reg.names[c], *[cell(v) for v in rows[c]]])
        if len(c) == 7:
            for j in range(n):
                out.fig_cell(first + 2 + j, "table_cell", code, c, reg.names[c], labels[j],
                             key=COLUMN_KEYS[code][j])
    out.row([f"注：{note}"])
    out.blank()


def _table04(out: Out, m: UnitYear, y: int) -> None:
    _head(out, m, f"{y}年度财政拨款收入支出决算总表", "04")
    out.row(["收     入", "支     出"])
    out.row(["项目", "行次", "决算数", "项目", "行次", "决算数"])
    out.row(["", "", "", "", "", "小计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
             "国有资本经营预算财政拨款"])
    out.row(["栏次", "", "1", "栏次", "", "2", "3", "4", "5"])
    incomes = [("一、一般公共预算财政拨款", m.fiscal_income), ("二、政府性基金预算财政拨款", m.gf_income),
               ("三、国有资本经营预算财政拨款", ZERO)]
    gb_class = _by_class(m, m.gb)
    gf_class = _by_class(m, lambda i: m.gf_project.get(i, ZERO))
    for i, name in enumerate(CLASS_LINES):
        label, amount = incomes[i] if i < 3 else ("", ZERO)
        code = _class_code(name)
        gb, gf = gb_class.get(code, ZERO), gf_class.get(code, ZERO)
        out.row([label, str(i + 1), cell(amount), f"{NUMERALS[i]}、{name}", str(33 + i),
                 cell(gb + gf), cell(gb), cell(gf), ""])
    gb, gf = m.gb_expenditure, m.gf_expenditure
    ce, cb = m.carry_end_fiscal, m.carry_begin_fiscal
    gce, gcb = m.gf_carry_end, m.gf_carry_begin
    out.row(["本年收入合计", "27", cell(m.appropriation_income), "本年支出合计", "59", cell(gb + gf),
             cell(gb), cell(gf), ""])
    out.row(["年初财政拨款结转和结余", "28", cell(cb + gcb), "年末财政拨款结转和结余", "60",
             cell(ce + gce), cell(ce), cell(gce), ""])
    out.row(["  一般公共预算财政拨款", "29", cell(cb), "", "61", cell(ce), cell(ce), "", ""])
    out.row(["  政府性基金预算财政拨款", "30", cell(gcb), "", "62", cell(gce), "", cell(gce), ""])
    out.row(["  国有资本经营预算财政拨款", "31", "", "", "63", "", "", "", ""])
    out.row(["总计", "32", cell(m.fiscal_grand_total), "总计", "64", cell(gb + gf + ce + gce),
             cell(gb + ce), cell(gf + gce), ""])
    out.row(["注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算"
             "财政拨款的总收支和年末结转结余情况。", ""])
    out.blank()


def _table06(out: Out, m: UnitYear, reg: Registry, y: int) -> None:
    _head(out, m, f"{y}年度一般公共预算财政拨款基本支出决算明细表", "06")
    out.row(["人员经费", "公用经费"])
    out.row(["经济分类科目编码", "科目名称", "决算数"] * 3)
    out.row([""] * 9)

    def column(classes: list[str]) -> list[tuple[str, str, Decimal, int]]:
        entries = []
        for c in classes:
            kids = reg.economic[c]
            entries.append((c, reg.economic_names[c],
                            sum((m.economic.get(k, ZERO) for k, _ in kids), ZERO), 1))
            entries.extend((k, "  " + n, m.economic.get(k, ZERO), 2) for k, n in kids)
        return entries

    columns = [column(["301", "303"]), column(["302"]), column(["310"])]
    height = max(len(c) for c in columns)
    for r in range(height):
        cells: list[str] = []
        figs = []
        for g, col in enumerate(columns):
            if r < len(col):
                code, name, value, level = col[r]
                if level == 2 and value:
                    figs.append((len(cells) + 2, code, name.strip(), g))
                cells.extend([code, name, cell(value)])
            else:
                cells.extend(["", "", ""])
        first = out.row(cells)
        for offset, code, name, g in figs:
            out.fig_cell(first + offset, "table_cell", "06", code, name, "决算数", group=g)
    out.row(["人员经费合计", cell(m.personnel_total), "公用经费合计", cell(m.public_total)])
    out.row(["注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"])
    out.blank()


def _fund_tables(out: Out, m: UnitYear, reg: Registry, y: int) -> None:
    _head(out, m, f"{y}年度政府性基金预算财政拨款收入支出决算表", "07")
    out.row(["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"])
    out.row(["功能分类科目编码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""])
    out.row([""] * 8)
    out.row([""] * 8)
    out.row(["类", "款", "项", "栏次", "1", "2", "3", "4", "5", "6"])
    rows: dict[str, list[Decimal]] = {}
    for item in sorted(m.income_gf):
        vals = [m.gf_begin.get(item, ZERO), m.income_gf[item], m.gf_project.get(item, ZERO), ZERO,
                m.gf_project.get(item, ZERO), m.gf_end.get(item, ZERO)]
        for c in (item[:3], item[:5], item):
            acc = rows.setdefault(c, [ZERO] * 6)
            for j, v in enumerate(vals):
                acc[j] += v
    total = [sum((rows[c][j] for c in rows if len(c) == 3), ZERO) for j in range(6)]
    out.row(["", "", "", "合计", *[cell(v) for v in total]])
    labels = ["年初结转和结余", "本年收入", "本年支出/小计", "本年支出/基本支出", "本年支出/项目支出",
              "年末结转和结余"]
    keys = ["carryover_begin", "income", "total", "basic", "project", "carryover_end"]
    for c in sorted(rows):
        first = out.row([c, reg.names[c], *[cell(v) for v in rows[c]]])
        if len(c) == 7:
            for j in range(6):
                out.fig_cell(first + 2 + j, "table_cell", "07", c, reg.names[c], labels[j],
                             key=keys[j])
    out.row(["注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。"])
    if not rows:
        out.row([f"本部门{y}年度无政府性基金预算财政拨款收入支出。"])
    out.blank()
    _head(out, m, f"{y}年度国有资本经营预算财政拨款支出决算表", "08")
    out.row(["项目", "本年支出"])
    out.row(["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    out.row([""] * 5)
    out.row([""] * 5)
    out.row(["类", "款", "项", "栏次", "1", "2", "3"])
    out.row(["", "", "", "合计", "", "", ""])
    out.row(["注：本表反映部门本年度国有资本经营预算财政拨款支出情况。"])
    out.row([f"本部门{y}年度无国有资本经营预算财政拨款支出。"])
    out.blank()


def _three(d: dict[str, Decimal]) -> list[Decimal]:
    vehicles = d["vehicle_purchase"] + d["vehicle_operation"]
    return [d["outbound"] + vehicles + d["reception"], d["outbound"], vehicles,
            d["vehicle_purchase"], d["vehicle_operation"], d["reception"]]


def _table09(out: Out, m: UnitYear, y: int) -> None:
    _head(out, m, f"{y}年度财政拨款“三公”经费支出决算表", "09")
    out.row(["预算数", "决算数"])
    out.row(["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"] * 2)
    out.row(["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""] * 2)
    out.row([str(i) for i in range(1, 13)])
    values = _three(m.three_budget) + _three(m.three_final)
    first = out.row([cell(v) for v in values])
    labels = ["合计", "因公出国（境）费", "公务用车购置及运行维护费/小计", "公务用车购置费",
              "公务用车运行维护费", "公务接待费"]
    for j in range(12):
        out.fig_cell(first + j, "table_cell", "09", None, None,
                     ("预算数/" if j < 6 else "决算数/") + labels[j % 6])
    out.row(["注：本表反映部门本年度财政拨款“三公”经费支出预决算情况。"])
    if not any(values):
        out.row([f"本部门{y}年度无财政拨款三公经费支出。"])
    out.blank()


# -- the 情况说明 ---------------------------------------------------------------------------

def _change(this: Decimal, prior: Decimal, subject: str, m: UnitYear, spec_prefix: str,
            both: bool = False) -> list:
    """'与2023年度相比，收入合计减少18.10万元，下降3.3%,主要原因是…。'"""
    diff = this - prior
    if diff.quantize(CENT, ROUND_HALF_UP) == ZERO:
        return [f"与{m.year - 1}年度相比，{subject}持平。"]
    up = diff > 0
    amount = money(abs(diff))
    rate = pct(abs(diff), prior)
    reason = m.reasons["up" if up else "down"]
    return [f"与{m.year - 1}年度相比，{subject}{'各' if both else ''}{'增加' if up else '减少'}",
            (amount, ("narrative_amount", "N", None, spec_prefix, "change_amount",
                      {"this": this, "prior": prior})),
            f"万元，{'增长' if up else '下降'}",
            (rate, ("narrative_percent", "N", None, spec_prefix, "change_pct",
                    {"num": abs(diff), "den": prior})),
            f"%,主要原因是{reason}。"]


def _on_last_year(this: Decimal, prior: Decimal, m: UnitYear, subject: str) -> list:
    """'比2023年度增加3.20万元，增长12.5%' (the MoF template's words for 三公 and 机关运行经费):
    last year's figure is the 决算 of last year's report (公开09表, its 机关运行经费); no rate
    from a last year of 0."""
    diff = this - prior
    if diff.quantize(CENT, ROUND_HALF_UP) == ZERO:
        return [f"与{m.year - 1}年度持平"]
    up = diff > 0
    spec = ("prior_year_change", "N", None, subject, "change_amount", {"this": this, "prior": prior})
    parts = [f"比{m.year - 1}年度{'增加' if up else '减少'}", (money(abs(diff)), spec), "万元"]
    if prior.quantize(CENT, ROUND_HALF_UP) != ZERO:
        parts += [f"，{'增长' if up else '下降'}",
                  (pct(abs(diff), prior), ("prior_year_change", "N", None, subject, "change_pct",
                                           {"num": abs(diff), "den": prior})), "%"]
    return parts


def _narrative(out: Out, m: UnitYear, reg: Registry, y: int) -> None:
    out.para(f"第三部分  {m.name}{y}年度")
    out.para("部门决算情况说明")
    out.blank()
    out.para("一、收入支出决算总体情况说明")
    out.blank()
    grand = m.grand_total
    out.sentence([f"    {y}年度收、支总计均为",
                  (money(grand), ("narrative_amount", "N", None, "收支总计", "amount")),
                  "万元。", *_change(grand, m.prior.grand_total, "收、支总计", m, "收支总计")])
    # The change of 收支总计 is what Y.prior_total reads: record it as the prior-year figure.
    for f in out.figures[-3:]:
        if f.row_label == "收支总计" and f.column == "change_amount":
            f.kind = "prior_year_total"
    out.para(" 二、收入决算情况说明")
    inc = m.income_total
    parts = [f"{y}年度收入合计", (money(inc), ("narrative_amount", "N", None, "收入合计", "amount")),
             "万元，", *_change(inc, m.prior.income_total, "收入合计", m, "收入合计"),
             "其中：财政拨款收入",
             (money(m.appropriation_income), ("narrative_amount", "N", None, "财政拨款收入",
                                              "amount")),
             "万元，占本年收入",
             (pct(m.appropriation_income, inc), ("narrative_percent", "N", None, "财政拨款收入",
                                                 "share_pct",
                                                 {"num": m.appropriation_income, "den": inc})),
             "%"]
    for label, v in (("事业收入", m.business_income), ("其他收入", m.other_income)):
        if v:
            parts += [f"；{label}{money(v)}万元，占本年收入{pct(v, inc)}%"]
    out.sentence([*parts, "。"])
    out.blank()
    out.para(" 三、支出决算情况说明")
    exp = m.expenditure_total
    out.sentence([f"{y}年度支出合计", (money(exp), ("narrative_amount", "N", None, "支出合计", "amount")),
                  "万元，", *_change(exp, m.prior.expenditure_total, "支出合计", m, "支出合计"),
                  "其中：基本支出",
                  (money(m.basic_total), ("narrative_amount", "N", None, "基本支出", "amount")),
                  "万元，占本年支出",
                  (pct(m.basic_total, exp), ("narrative_percent", "N", None, "基本支出", "share_pct",
                                             {"num": m.basic_total, "den": exp})),
                  "%；项目支出",
                  (money(m.project_total), ("narrative_amount", "N", None, "项目支出", "amount")),
                  "万元，占本年支出",
                  (pct(m.project_total, exp), ("narrative_percent", "N", None, "项目支出",
                                               "share_pct", {"num": m.project_total, "den": exp})),
                  "%。"])
    out.para(" 四、财政拨款收入支出决算总体情况说明")
    fg = m.fiscal_grand_total
    out.sentence([f"{y}年度财政拨款收、支总计均为",
                  (money(fg), ("narrative_amount", "N", None, "财政拨款收支总计", "amount")),
                  "万元。", *_change(fg, m.prior.fiscal_grand_total, "财政拨款收、支总计", m,
                                    "财政拨款收支总计", both=True)])
    out.blank()
    gbi = m.fiscal_income
    diff = gbi - m.prior.gb_income
    word = "增加" if diff >= 0 else "减少"
    out.sentence([f"{y}年度财政拨款收入中，一般公共预算财政拨款收入    ",
                  (money(gbi), ("narrative_amount", "N", None, "一般公共预算财政拨款收入", "amount")),
                  f"万元，比{y - 1}年度决算数{word}{money(abs(diff))}万元,{word}主要原因是"
                  f"{m.reasons['up' if diff >= 0 else 'down']}。"])
    out.blank()
    out.para(" 五、一般公共预算财政拨款支出决算情况说明")
    out.para("(一)一般公共预算财政拨款支出决算总体情况")
    out.blank()
    gbe = m.gb_expenditure
    out.sentence([f"{y}年度一般公共预算财政拨款支出",
                  (money(gbe), ("narrative_amount", "N", None, "一般公共预算财政拨款支出", "amount")),
                  "万元，占本年支出合计的",
                  (pct(gbe, exp), ("narrative_percent", "N", None, "一般公共预算财政拨款支出",
                                   "share_pct", {"num": gbe, "den": exp})),
                  "%。", *_change(gbe, m.prior.gb_expenditure, "一般公共预算财政拨款支出", m,
                                  "一般公共预算财政拨款支出")])
    out.blank()
    out.para("(二)一般公共预算财政拨款支出决算结构情况")
    out.blank()
    out.para(f"{y}年度一般公共预算财政拨款支出{money(gbe)}万元，主要用于以下方面：")
    out.blank()
    by_class = _by_class(m, m.gb)
    for i, c in enumerate(sorted(by_class), 1):
        name = reg.names[c]
        out.sentence([f"{i}.{name}类支出",
                      (money(by_class[c]), ("narrative_amount", "N", c, name, "amount")),
                      "万元，占",
                      (pct(by_class[c], gbe), ("narrative_percent", "N", c, name, "share_pct",
                                               {"num": by_class[c], "den": gbe})),
                      "%。主要是用于保障机构正常运转和完成年度工作任务。"])
        out.blank()
    out.para("(三)一般公共预算财政拨款支出决算具体情况")
    out.blank()
    init = m.initial_total
    parts = [f"{y}年度一般公共预算财政拨款支出年初预算为",
             (money(init), ("narrative_amount", "N", None, "一般公共预算财政拨款支出", "initial_budget")),
             f"万元，支出决算为{money(gbe)}万元，完成年初预算的",
             (pct(gbe, init), ("narrative_percent", "N", None, "一般公共预算财政拨款支出",
                               "completion_pct", {"num": gbe, "den": init})),
             f"%。其中：基本支出{money(m.gb_basic_total)}万元，项目支出{money(m.gb_project_total)}万元。"]
    projects = [p for p in m.projects if p.executed]
    if projects:
        parts.append("项目支出主要用于")
        for i, p in enumerate(projects):
            parts += [("；" if i else "") + p.name,
                      (money(p.executed), ("narrative_amount", "N", None, p.name, "project_use")),
                      f"万元，主要成效是{p.effect}"]
        parts.append("。")
    out.sentence(parts)
    _items(out, m, reg)
    _basic(out, m, reg, y)
    out.para("七、政府性基金预算财政拨款收入支出决算情况说明 ")
    out.blank()
    if m.income_gf:
        out.para(f"{y}年度政府性基金预算财政拨款收入{money(m.gf_income)}万元，支出"
                 f"{money(m.gf_expenditure)}万元，年末结转和结余{money(m.gf_carry_end)}万元。")
    else:
        out.para(" 本单位当年无政府性基金预算财政拨款收入支出。")
    out.para("八、国有资本经营预算财政拨款支出决算情况说明")
    out.blank()
    out.para(" 本单位当年无国有资本经营预算财政拨款支出。")
    out.blank()
    _three_public(out, m, y)
    _operating(out, m, y)
    _performance_text(out, m, y)


def _items(out: Out, m: UnitYear, reg: Registry) -> None:
    current = None
    n = 0
    k = 0
    for item in m.gb_items():
        if item[:3] != current:
            current = item[:3]
            k += 1
            n = 0
            out.para(f"{k}.{reg.names[current]}具体包括：")
            out.blank()
        n += 1
        final, initial = m.gb(item), m.initial_budget.get(item, ZERO)
        names = [reg.names[c] for c in (item[:3], item[:5], item)]
        path = "/".join(names)
        parts = [f"（{n}）{names[0]}（类）{names[1]}（款）{names[2]}（项）。年初预算为",
                 (money(initial), ("narrative_amount", "N", item, path, "initial_budget")),
                 "万元，支出决算为",
                 (money(final), ("narrative_amount", "N", item, path, "final")), "万元"]
        if initial:
            parts += ["，完成年初预算的",
                      (pct(final, initial), ("narrative_percent", "N", item, path, "completion_pct",
                                             {"num": final, "den": initial})), "%"]
        pf, pi = money(final), money(initial)
        if Decimal(pf) > Decimal(pi):
            parts.append(f"，支出决算数大于年初预算数的主要原因：{_pick(REASON_ABOVE, item)}")
        elif Decimal(pf) < Decimal(pi):
            parts.append(f"，支出决算数小于年初预算数的主要原因：{_pick(REASON_BELOW, item)}")
        parts.append("。")
        out.sentence(parts)
        out.blank()


REASON_ABOVE = ["年中追加人员经费", "人员调资及新增人员", "年中追加专项任务经费"]
REASON_BELOW = ["厉行节约压减一般性支出", "项目实施进度调整", "部分资金结转下年使用"]


def _pick(options: list[str], key: str) -> str:
    return options[int(key) % len(options)]


def _basic(out: Out, m: UnitYear, reg: Registry, y: int) -> None:
    out.para("六、一般公共预算财政拨款基本支出决算情况说明")
    out.para(f"{y}年度一般公共预算财政拨款基本支出{money(m.gb_basic_total)}万元，其中：")
    out.blank()
    personnel = [reg.economic_names[k] for k in sorted(m.economic) if k[:3] in ("301", "303")]
    public = [reg.economic_names[k] for k in sorted(m.economic) if k[:3] not in ("301", "303")]
    out.sentence(["人员经费", (money(m.personnel_total),
                               ("narrative_amount", "N", None, "人员经费", "amount")),
                  f"万元，主要包括：{'、'.join(personnel)}。"])
    out.blank()
    out.sentence(["公用经费", (money(m.public_total),
                               ("narrative_amount", "N", None, "公用经费", "amount")),
                  f"万元，主要包括：{'、'.join(public)}。"])
    out.blank()


def _three_public(out: Out, m: UnitYear, y: int) -> None:
    b, f = m.three_budget, m.three_final
    tb, tf = _three(b), _three(f)
    out.para("九、财政拨款“三公”经费支出决算情况说明")
    out.para("(一)“三公”经费财政拨款支出决算总体情况说明。")
    out.blank()
    # Real reports compare the two in words (国家信访局 2024: "“三公”经费支出决算数小于预算数的
    # 主要原因是…"); the printed figures decide the word.
    word = {1: "大于", -1: "小于"}.get((Decimal(money(tf[0])) > Decimal(money(tb[0])))
                                    - (Decimal(money(tf[0])) < Decimal(money(tb[0]))))
    compared = f"“三公”经费支出决算数{word}预算数的主要原因是{m.reasons['up' if word == '大于' else 'down']}。" \
        if word else ""
    out.sentence([f"{y}年度“三公”经费财政拨款支出全年预算为{money(tb[0])}万元，支出决算为",
                  (money(tf[0]), ("narrative_amount", "N", None, "三公经费合计", "final")),
                  "万元。" + compared + f"{y}年度“三公”经费财政拨款支出决算数",
                  *_on_last_year(tf[0], m.prior.three_final, m, "三公经费合计"), "。"])
    out.blank()
    out.para("(二)“三公”经费财政拨款支出决算具体情况说明。")
    out.blank()
    out.para(f"1.因公出国(境)费全年预算为{money(tb[1])}万元，支出决算为{money(tf[1])}万元。")
    out.para(f"2.公务用车购置及运行费全年预算为{money(tb[2])}万元，支出决算为{money(tf[2])}万元；其中：")
    out.para(f"(1)公务用车购置费支出{money(tf[3])}万元。本年度购置(更新)公务用车"
             f"{m.vehicles_bought}辆。")
    out.blank()
    out.para(f"(2)公务用车运行费支出{money(tf[4])}万元。截至{y}年12月31日，开支财政拨款的公务用车"
             f"保有量为{m.vehicles_held}辆。")
    out.blank()
    out.para(f"3.公务接待费全年预算为{money(tb[5])}万元，支出决算为{money(tf[5])}万元。")
    out.blank()


def _operating(out: Out, m: UnitYear, y: int) -> None:
    out.para("十、机关运行经费支出说明")
    cost = m.public_total
    diff = cost - m.operating_cost_budget
    if diff.quantize(CENT, ROUND_HALF_UP) == ZERO:
        tail = "比年初预算数持平。"
    else:
        tail = (f"比年初预算数{'增加' if diff > 0 else '减少'}{money(abs(diff))}万元，主要原因是"
                f"{m.reasons['up' if diff > 0 else 'down']}。")
    out.sentence([f"{y}年度{m.name}机关运行经费支出",
                  (money(cost), ("narrative_amount", "N", None, "机关运行经费", "amount")),
                  "万元(与部门决算中行政单位和参照公务员法管理事业单位一般公共预算财政拨款基本支出中"
                  "公用经费之和一致)，" + tail,
                  *_on_last_year(cost, m.prior.operating_cost, m, "机关运行经费"), "。"])
    out.blank()
    p = m.procurement
    total = p["goods"] + p["works"] + p["services"]
    out.para("十一、政府采购支出说明")
    out.para(f"{y}年度{m.name}政府采购支出总额{money(total)}万元，其中：政府采购货物支出"
             f"{money(p['goods'])}万元、政府采购工程支出{money(p['works'])}万元、政府采购服务支出"
             f"{money(p['services'])}万元。授予中小企业合同金额{money(p['sme'])}万元，占政府采购支出"
             f"总额的{pct(p['sme'], total, CENT)}%。")
    out.blank()
    out.para("十二、国有资产占用情况说明")
    out.para(f"截至{y}年12月31日，{m.name}共有车辆{m.vehicles_held}辆，其中，主要负责人用车0辆、"
             f"机要通信用车0辆、应急保障用车0辆、执法执勤用车{m.vehicles_held}辆、其他用车0辆，"
             f"单位价值 100万元以上设备0台（套）。")


def _performance_text(out: Out, m: UnitYear, y: int) -> None:
    out.para("十三、预算绩效情况说明")
    out.blank()
    out.para("(一)预算绩效管理工作开展情况")
    out.blank()
    evaluated = [p for p in m.projects if p.evaluated]
    amount = sum((p.executed for p in evaluated), ZERO)
    out.sentence([f"根据预算绩效管理要求，我部门(单位)组织对{y}年度一般公共预算项目支出全面开展绩效自评，"
                  f"共涉及项目  {len(evaluated)}  个，资金    ",
                  (money(amount), ("narrative_amount", "N", None, "项目支出绩效自评", "amount")),
                  "万元，占一般公共预算项目支出总额的",
                  (pct(amount, m.gb_project_total), ("narrative_percent", "N", None,
                                                     "项目支出绩效自评", "share_pct",
                                                     {"num": amount, "den": m.gb_project_total})),
                  "%。从绩效评价情况来看，项目管理规范，资金使用合规。"])
    out.blank()
    out.para("(二)部门(单位)整体支出自评结果")
    out.blank()
    a, b = m.department_budget, m.expenditure_total
    adjustment = abs(m.gb_expenditure - m.initial_total) * 100 / m.initial_total \
        if m.initial_total else Decimal(100)
    claim = "，调整率低于 5%" if adjustment < Decimal("4.5") else ""
    out.sentence(["我部门(单位)组织对  1  个部门(单位)开展整体支出绩效自评，资金",
                  (money(a), ("narrative_amount", "N", None, "部门整体支出绩效自评", "amount")),
                  "万元，从评价情况来看，预算执行情况良好，预算完成率 ",
                  (pct(b, a), ("narrative_percent", "N", None, "部门整体支出绩效自评",
                               "completion_pct", {"num": b, "den": a})),
                  f"%{claim}。资产管理规范、资金使用合规。"])
    out.para("(三)项目支出自评结果")
    out.blank()
    out.para(f"我部门(单位)在{y}年度部门决算中反映所有项目绩效自评结果(不包括涉密项目)，共涉及  "
             f"{len(evaluated)}  个一级项目。")
    out.blank()
    for i, p in enumerate(evaluated, 1):
        out.para(f"{i}.{p.core}项目绩效自评综述：项目全年预算数为{money(p.budget)}万元，执行数为"
                 f"{money(p.executed)}万元，完成预算的{pct(p.executed, p.budget)}%。主要产出和效益是："
                 f"{p.effect}。")
        out.blank()
    out.para("(四)绩效自评结果应用情况")
    out.blank()
    out.para("从自评情况看，各项目资金使用与具体项目实施内容相符，绩效目标已按照计划完成。")
    out.blank()


def _glossary(out: Out) -> None:
    out.para("第五部分  名词解释")
    out.blank()
    for line in ["(一)一般公共预算财政拨款收入：指本级财政一般公共预算当年拨付的资金。",
                 "(二)年初结转和结余：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。",
                 "(三)年末结转和结余：指按有关规定结转到下年或以后年度继续使用的资金。",
                 "(四)基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
                 "(五)项目支出：指在基本支出之外为完成特定行政任务或事业发展目标所发生的支出。",
                 "(六)机关运行经费：指为保障行政单位(包括参照公务员法管理的事业单位)运行用于购买货物和"
                 "服务的各项资金。"]:
        out.para(line)
        out.blank()


# -- 绩效自评表 ------------------------------------------------------------------------------

def _evaluations(out: Out, m: UnitYear, y: int) -> None:
    out.para("第六部分  附件")
    out.blank()
    evaluated = [p for p in m.projects if p.evaluated]
    out.para(f"一、{y}年度{m.name}整体绩效自评表")
    out.blank()
    out.para(f"单位名称：{m.name}             填报日期：{y + 1}.4.15")
    a, b = m.department_budget, m.expenditure_total
    out.row(["单位名称", m.name])
    out.row(["基本支出总额", money(m.basic_total), "项目支出总额", money(m.project_total)])
    out.row(["预算执行情况（万元）", "", "预算数（A）", "执行数（B）", "执行率（B/A）"])
    out.row(["", "部门整体支出总额", money(a), money(b), pct(b, a) + "%"])
    out.row(["年度目标1：保障机构正常运转，完成年度重点工作任务"])
    out.row(["年度绩效目标完成情况", "一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值"])
    shared = [p.indicators[0] for p in evaluated[:3]]
    for ind in shared or [Indicator("产出指标", "数量指标", "重点工作完成数", "10项", "10项")]:
        out.row(["", ind.level1, ind.level2, ind.name, ind.target, ind.actual])
    out.row(["", "满意度指标", "服务对象满意度", "部门整体服务对象满意度", "≥90%", "95%"])
    out.row(["偏差大或目标未完成原因分析", "无"])
    out.row(["改进措施及结果应用方案", "加强预算执行监控，提高资金使用效益。"])
    out.blank()
    numerals = NUMERALS[1:]
    for i, p in enumerate(evaluated):
        out.para(f"{numerals[i % len(numerals)]}、{y}年度{p.name}项目自评表")
        out.blank()
        out.para(f"单位名称：{m.name}                   填报日期：{y + 1}.4.15")
        out.row(["项目名称", p.name])
        out.row(["主管部门", m.name, "项目实施单位", m.name])
        out.row(["预算执行情况（万元）", "资金来源", "预算数（A）", "执行数（B）", "执行率（B/A）"])
        rate = pct(p.executed, p.budget) + "%"
        out.row(["", "一般预算内拨款", money(p.budget), money(p.executed), rate])
        first = out.row(["", "合计", money(p.budget), money(p.executed), rate])
        out.fig_cell(first + 4, "evaluation_rate", "P", None, p.name, "执行率（B/A）",
                     num=p.executed, den=p.budget)
        out.row(["年度绩效目标完成情况"])
        out.row(["一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "未完成原因及改进措施"])
        for ind in p.indicators:
            first = out.row(["", ind.level1, ind.level2, ind.name, ind.target, ind.actual,
                             ind.reason])
            out.fig_cell(first + 5, "indicator", "P", None, ind.name, "实际完成值",
                         target=ind.target, reason=ind.reason, project=p.name,
                         shared=ind in shared)
        out.blank()
