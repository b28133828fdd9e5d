"""The 9 public tables of a UnitYear as grids with the truth of every value cell, per layout.

The figures are the text render's (`render.py`: the same model, the same rounding to 0.01
万元 for a 万元 table); a table in 元 prints the exact model value (the model is exact to the
分, 0.000001 万元). Each value cell carries its truth in the interpreter's key vocabulary
(seeds/reference/public_table_columns.csv, `interpret.layout` row keys), so the fidelity
benchmark can compare what the reader extracts with what was printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dagster_project.generate.layouts import Layout
from dagster_project.generate.model import CENT, ZERO, UnitYear
from dagster_project.generate.registry import Registry
from dagster_project.generate.render import (
    CLASS_LINES,
    NUMERALS,
    _by_class,
    _class_code,
    _three,
    _values,
)

TEN_THOUSAND = Decimal(10000)


@dataclass
class Truth:
    column_group: int
    row_code: str | None
    row_key: str | None
    row_label: str | None
    column_key: str
    value_wan_yuan: Decimal  # what the printed text says, in 万元, exactly


@dataclass
class Cell:
    text: str
    span: int = 1  # columns this cell covers (a merged body cell is one box)
    numeric: bool = False
    truth: Truth | None = None


@dataclass
class Box:
    """A header cell: one ruled box over rows row..row+rowspan-1 and columns col..col+colspan-1."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TableGrid:
    code: str  # 01…09
    title: str  # the title without year and unit ("收入支出决算总表")
    widths: list[float]  # relative column widths
    header: list[Box]
    header_rows: int
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    wide: bool = False  # printed on a landscape page in the mixed orientation
    empty_sentence: str | None = None  # set: the table has no figures (declared empty)
    status: str = "present"  # what a reader should find: present | declared_empty

    @property
    def ncols(self) -> int:
        return len(self.widths)


# Injected figures: (table, row_code, row_key, column_key) -> the printed 万元 value.
Overrides = dict[tuple[str, str | None, str | None, str], Decimal]


class Fmt:
    """Print an exact model value the way the layout prints amounts."""

    def __init__(self, layout: Layout, overrides: Overrides | None = None) -> None:
        self.layout = layout
        self.overrides = overrides or {}

    def value(self, x: Decimal, truth: tuple | None, table: str) -> Cell:
        """A value cell; truth = (group, row_code, row_key, row_label, column_key) or None."""
        if truth is not None:
            key = (table, truth[1], truth[2], truth[4])
            if key in self.overrides:
                x = self.overrides[key]
        if self.layout.yuan:
            printed = (x * TEN_THOUSAND).quantize(CENT, ROUND_HALF_UP)
            wan = printed / TEN_THOUSAND
        else:
            printed = x.quantize(CENT, ROUND_HALF_UP)
            wan = printed
        if printed == ZERO:
            text, wan = self.layout.zero, ZERO
        else:
            text = format(printed, ",.2f" if self.layout.thousands else ".2f")
        t = Truth(truth[0], truth[1], truth[2], truth[3], truth[4], wan) if truth else None
        return Cell(text, numeric=True, truth=t)

    def blank(self) -> Cell:
        return Cell("", numeric=True)


def _label(text: str, span: int = 1) -> Cell:
    return Cell(text, span)


# -- 公开01表 / 04表 -----------------------------------------------------------------------------

INCOME_01 = [("一、一般公共预算财政拨款收入", "general_budget_appropriation"),
             ("二、政府性基金预算财政拨款收入", "gov_fund_appropriation"),
             ("三、国有资本经营预算财政拨款收入", "soe_capital_appropriation"),
             ("四、上级补助收入", "upper_subsidy"), ("五、事业收入", "business_income"),
             ("六、经营收入", "operating_income"), ("七、附属单位上缴收入", "affiliated_remit"),
             ("八、其他收入", "other_income")]


def table01(m: UnitYear, lay: Layout, f: Fmt) -> TableGrid:
    line_no = lay.header_rows == 3  # the 行次 column comes with the 栏次 row
    side = 3 if line_no else 2
    name = 5.0 * lay.name_width
    widths = ([name, 1.0, 2.2] if line_no else [name, 2.2]) * 2
    header: list[Box] = []
    if lay.header_rows == 1:
        header = [Box(0, 0, "收入项目"), Box(0, 1, "金额"), Box(0, 2, "支出项目"), Box(0, 3, "金额")]
    else:
        header = [Box(0, 0, "收入", colspan=side), Box(0, side, "支出", colspan=side)]
        sub = ["项目", "行次", "金额"] if line_no else ["项目", "金额"]
        header += [Box(1, i, t) for i, t in enumerate(sub + sub)]
        if line_no:
            header += [Box(2, i, t) for i, t in enumerate(["栏次", "", "1", "栏次", "", "2"])]
    g = TableGrid("01", "收入支出决算总表", widths, header, lay.header_rows)
    values = {"general_budget_appropriation": m.fiscal_income,
              "gov_fund_appropriation": m.gf_income, "business_income": m.business_income,
              "other_income": m.other_income}
    by_class = _by_class(m, m.spend)

    def side_cells(label: str, no: str, cell: Cell) -> list[Cell]:
        return [_label(label), _label(no), cell] if line_no else [_label(label), cell]

    for i, name in enumerate(CLASS_LINES):
        if i < len(INCOME_01):
            label, key = INCOME_01[i]
            inc = f.value(values.get(key, ZERO), (0, None, key, label, "amount"), "01")
        else:
            label, inc = "", f.blank()
        code = _class_code(name)
        exp_label = f"{NUMERALS[i]}、{name}"
        exp = f.value(by_class.get(code, ZERO), (1, code, "function_class", exp_label, "amount"),
                      "01")
        g.rows.append(side_cells(label, str(i + 1) if label or line_no else "", inc)
                      + side_cells(exp_label, str(31 + i), exp))
    totals = [("本年收入合计", "income_total", m.income_total,
               "本年支出合计", "expenditure_total", m.expenditure_total),
              ("使用非财政拨款结余（含专用结余）", "non_fiscal_surplus_used", ZERO,
               "结余分配", "surplus_distribution", ZERO),
              ("年初结转和结余", "carryover_begin", m.carry_begin,
               "年末结转和结余", "carryover_end", m.carry_end),
              ("总计", "grand_total", m.grand_total,
               "总计", "grand_total", m.expenditure_total + m.carry_end)]
    for i, (li, ki, vi, le, ke, ve) in enumerate(totals):
        g.rows.append(side_cells(li, str(27 + i), f.value(vi, (0, None, ki, li, "amount"), "01"))
                      + side_cells(le, str(57 + i),
                                   f.value(ve, (1, None, ke, le, "amount"), "01")))
    g.notes = ["注：1.本表反映部门本年度的总收支和年末结转结余情况。",
               "2.本套报表金额单位转换时可能存在尾数误差。"]
    return g


def table04(m: UnitYear, lay: Layout, f: Fmt) -> TableGrid:
    line_no = lay.header_rows == 3
    funds = [("general_budget", "一般公共预算财政拨款"), ("gov_fund", "政府性基金预算财政拨款"),
             ("soe_capital", "国有资本经营预算财政拨款")]
    if lay.drop_zero_columns:
        funds = funds[:2]  # no 国有资本经营 funds: the column is left out, as many units do
    nf = 1 + len(funds)
    name = 4.2 * lay.name_width
    inc_w = [name, 0.8, 1.8] if line_no else [name, 1.8]
    exp_w = ([name, 0.8] if line_no else [name]) + [1.8] * nf
    widths = inc_w + exp_w
    ni = len(inc_w)
    header: list[Box] = []
    fund_labels = ["小计"] + [label for _, label in funds]
    if lay.header_rows == 1:
        header = [Box(0, 0, "收入项目"), Box(0, 1, "决算数"), Box(0, 2, "支出项目")]
        header += [Box(0, 3 + i, t) for i, t in enumerate(fund_labels)]
    elif lay.header_rows == 2:
        header = [Box(0, 0, "收入", colspan=ni), Box(0, ni, "支出", colspan=len(exp_w)),
                  Box(1, 0, "项目"), Box(1, 1, "决算数"), Box(1, 2, "项目")]
        header += [Box(1, 3 + i, t) for i, t in enumerate(["合计"] + fund_labels[1:])]
    else:
        header = [Box(0, 0, "收     入", colspan=ni), Box(0, ni, "支     出", colspan=len(exp_w)),
                  Box(1, 0, "项目", rowspan=2), Box(1, 1, "行次", rowspan=2),
                  Box(1, 2, "决算数", rowspan=2), Box(1, 3, "项目", rowspan=2),
                  Box(1, 4, "行次", rowspan=2), Box(1, 5, "决算数", colspan=nf)]
        header += [Box(2, 5 + i, t) for i, t in enumerate(fund_labels)]
        header += [Box(3, i, t) for i, t in
                   enumerate(["栏次", "", "1", "栏次", ""] + [str(2 + j) for j in range(nf)])]
    g = TableGrid("04", "财政拨款收入支出决算总表", widths, header,
                  lay.header_rows + (1 if line_no else 0), wide=True)
    gb_class = _by_class(m, m.gb)
    gf_class = _by_class(m, lambda i: m.gf_project.get(i, ZERO))
    incomes = [("一、一般公共预算财政拨款", "general_budget_appropriation", m.fiscal_income),
               ("二、政府性基金预算财政拨款", "gov_fund_appropriation", m.gf_income),
               ("三、国有资本经营预算财政拨款", "soe_capital_appropriation", ZERO)]

    def row(inc_label: str, inc_no: str, inc: Cell, exp_label: str, exp_no: str,
            amounts: list[Decimal], row_code: str | None, row_key: str | None) -> list[Cell]:
        cells = [_label(inc_label)] + ([_label(inc_no)] if line_no else []) + [inc]
        cells += [_label(exp_label)] + ([_label(exp_no)] if line_no else [])
        keys = ["total"] + [k for k, _ in funds]
        full = dict(zip(["total", "general_budget", "gov_fund", "soe_capital"], amounts,
                        strict=True))
        cells += [f.value(full[k], (1, row_code, row_key, exp_label or None, k), "04")
                  for k in keys]
        return cells

    for i, name in enumerate(CLASS_LINES):
        if i < 3:
            label, key, amount = incomes[i]
            inc = f.value(amount, (0, None, key, label, "amount"), "04")
        else:
            label, inc = "", f.blank()
        code = _class_code(name)
        gb, gf = gb_class.get(code, ZERO), gf_class.get(code, ZERO)
        g.rows.append(row(label, str(i + 1), inc, f"{NUMERALS[i]}、{name}", str(33 + i),
                          [gb + gf, gb, gf, ZERO], code, "function_class"))
    gb, gf = m.gb_expenditure, m.gf_expenditure
    ce, cb = m.carry_end_fiscal, m.carry_begin_fiscal
    gce, gcb = m.gf_carry_end, m.gf_carry_begin

    def inc(label: str, key: str, v: Decimal) -> Cell:
        return f.value(v, (0, None, key, label.strip(), "amount"), "04")

    g.rows += [
        row("本年收入合计", "27", inc("本年收入合计", "income_total", m.appropriation_income),
            "本年支出合计", "59", [gb + gf, gb, gf, ZERO], None, "expenditure_total"),
        row("年初财政拨款结转和结余", "28", inc("年初财政拨款结转和结余", "carryover_begin", cb + gcb),
            "年末财政拨款结转和结余", "60", [ce + gce, ce, gce, ZERO], None, "carryover_end"),
        row("  一般公共预算财政拨款", "29",
            inc("一般公共预算财政拨款", "carryover_begin_general_budget", cb),
            "", "61", [ce, ce, ZERO, ZERO], None, "carryover_end_general_budget"),
        row("  政府性基金预算财政拨款", "30", inc("政府性基金预算财政拨款", "carryover_begin_gov_fund", gcb),
            "", "62", [gce, ZERO, gce, ZERO], None, "carryover_end_gov_fund"),
        row("  国有资本经营预算财政拨款", "31",
            inc("国有资本经营预算财政拨款", "carryover_begin_soe_capital", ZERO),
            "", "63", [ZERO] * 4, None, "carryover_end_soe_capital"),
        row("总计", "32", inc("总计", "grand_total", m.fiscal_grand_total), "总计", "64",
            [gb + gf + ce + gce, gb + ce, gf + gce, ZERO], None, "grand_total"),
    ]
    g.notes = ["注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算"
               "财政拨款的总收支和年末结转结余情况。"]
    return g


# -- 功能分类 tables: 02, 03, 05, 07, 08 -------------------------------------------------------

FUNCTION = {
    "02": ("收入决算表", None, [("total", "本年收入合计"), ("fiscal_appropriation", "财政拨款收入"),
                           ("upper_subsidy", "上级补助收入"), ("business", "事业收入"),
                           ("operating", "经营收入"), ("affiliated_remit", "附属单位上缴收入"),
                           ("other", "其他收入")]),
    "03": ("支出决算表", None, [("total", "本年支出合计"), ("basic", "基本支出"), ("project", "项目支出"),
                           ("remit_upper", "上缴上级支出"), ("operating", "经营支出"),
                           ("subsidy_affiliated", "对附属单位补助支出")]),
    "05": ("一般公共预算财政拨款支出决算表", "本年支出",
           [("total", "小计"), ("basic", "基本支出"), ("project", "项目支出")]),
    "07": ("政府性基金预算财政拨款收入支出决算表", "本年支出",
           [("carryover_begin", "年初结转和结余"), ("income", "本年收入"), ("total", "小计"),
            ("basic", "基本支出"), ("project", "项目支出"), ("carryover_end", "年末结转和结余")]),
    "08": ("国有资本经营预算财政拨款支出决算表", "本年支出",
           [("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")]),
}
NOTES = {"02": "本表反映部门本年度取得的各项收入情况。", "03": "本表反映部门本年度各项支出情况。",
         "05": "本表反映部门本年度一般公共预算财政拨款支出情况。",
         "07": "本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
         "08": "本表反映部门本年度国有资本经营预算财政拨款支出情况。"}
EMPTY_SENTENCES = {
    "07": "本单位本年度无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，"
          "故本表无数据。",
    "08": "本单位本年度无国有资本经营预算财政拨款支出，故本表无数据。",
}


def _function_rows(m: UnitYear, code: str) -> dict[str, dict[str, Decimal]]:
    """Every 类/款/项 row of a 功能分类 table with its values by column key (the text render's)."""
    keys = [k for k, _ in FUNCTION[code][2]]
    rows: dict[str, dict[str, Decimal]] = {}
    if code in ("02", "03", "05"):
        sources = {i: _values(m, code, i) for i in m.items() if any(_values(m, code, i))}
    elif code == "07":
        sources = {i: [m.gf_begin.get(i, ZERO), m.income_gf[i], m.gf_project.get(i, ZERO), ZERO,
                       m.gf_project.get(i, ZERO), m.gf_end.get(i, ZERO)]
                   for i in sorted(m.income_gf)}
    else:
        sources = {}  # no 国有资本经营 funds in the model
    for item, vals in sources.items():
        for c in (item[:3], item[:5], item):
            acc = rows.setdefault(c, dict.fromkeys(keys, ZERO))
            for k, v in zip(keys, vals, strict=True):
                acc[k] += v
    return rows


def function_table(m: UnitYear, reg: Registry, lay: Layout, f: Fmt, code: str) -> TableGrid:
    title, group_label, columns = FUNCTION[code]
    rows = _function_rows(m, code)
    if lay.project_first and code != "02":
        # Swap 基本支出 and 项目支出 wherever they stand.
        keys = [k for k, _ in columns]
        b, p = keys.index("basic"), keys.index("project")
        columns = list(columns)
        columns[b], columns[p] = columns[p], columns[b]
    if lay.drop_zero_columns and code in ("02", "03"):
        keep = {"total", "basic", "project", "fiscal_appropriation"}
        columns = [(k, lab) for k, lab in columns
                   if k in keep or any(r[k] for r in rows.values())]
    nv = len(columns)
    split = lay.code_style in ("split", "sparse")
    joined = lay.code_style == "joined"
    code_cols = 3 if split else (0 if joined else 1)
    label_cols = code_cols + 1
    widths = ([0.8] * 3 if split else ([] if joined else [1.6]))
    widths += [(5.0 if joined else 4.0) * lay.name_width]
    widths += [1.8] * nv
    header: list[Box] = []
    # Grouped value headers (本年支出 over 小计/基本/项目) need two rows; one header row
    # flattens them ("本年支出小计").
    grouped = group_label is not None and lay.header_rows >= 2
    sub_of = {"total", "basic", "project"} if code in ("05", "07", "08") else set()
    if lay.header_rows == 1:
        if split:
            header = [Box(0, 0, "类"), Box(0, 1, "款"), Box(0, 2, "项"), Box(0, 3, "科目名称")]
        elif joined:
            header = [Box(0, 0, "功能分类科目编码及名称")]
        else:
            header = [Box(0, 0, "科目编码"), Box(0, 1, "科目名称")]
        for j, (k, lab) in enumerate(columns):
            text = (group_label + lab) if group_label and k == "total" and code != "08" else lab
            header.append(Box(0, label_cols + j, text))
        hr = 1
    else:
        hr = lay.header_rows
        if split and hr == 2:
            header = [Box(0, 0, "功能分类科目编码", colspan=3), Box(0, 3, "科目名称", rowspan=2),
                      Box(1, 0, "类"), Box(1, 1, "款"), Box(1, 2, "项")]
        elif split:
            # The official template: 类/款/项 share the 栏次 row that numbers the columns.
            header = [Box(0, 0, "项目", colspan=4), Box(1, 0, "功能分类科目编码", colspan=3),
                      Box(1, 3, "科目名称"), Box(2, 0, "类"), Box(2, 1, "款"), Box(2, 2, "项"),
                      Box(2, 3, "栏次")]
        elif joined:
            header = [Box(0, 0, "项目", rowspan=2)]
        else:
            header = [Box(0, 0, "项目", colspan=2), Box(1, 0, "功能分类科目编码"),
                      Box(1, 1, "科目名称")]
        if hr == 3 and not split:
            header.append(Box(2, 0, "栏次", colspan=label_cols))
        j = 0
        while j < nv:
            k, lab = columns[j]
            col = label_cols + j
            if grouped and k in sub_of:
                n = sum(1 for kk, _ in columns[j:] if kk in sub_of)
                header.append(Box(0, col, group_label, colspan=n))
                header += [Box(1, col + i, columns[j + i][1]) for i in range(n)]
                j += n
                continue
            header.append(Box(0, col, lab, rowspan=2))
            j += 1
        if hr == 3:
            header += [Box(2, label_cols + i, str(i + 1)) for i in range(nv)]
    g = TableGrid(code, title, widths, header, hr, wide=code in ("02", "03", "07"))
    g.notes = ["注：" + NOTES[code]]
    if not rows:
        g.empty_sentence = EMPTY_SENTENCES.get(code, f"本单位本年度无{title[:-3]}，故本表无数据。")
        g.status = "declared_empty"
        if lay.empty_shape == "blank_rows":
            g.rows.append([_label("合计", label_cols)]
                          + [f.value(ZERO, (0, None, "total", "合计", k), code) for k, _ in columns])
            for _ in range(3):
                g.rows.append([_label("")] * label_cols + [f.blank() for _ in columns])
        return g
    totals = {k: sum((rows[c][k] for c in rows if len(c) == 3), ZERO) for k, _ in columns}
    total_row = ([_label("合计", label_cols)]
                 + [f.value(totals[k], (0, None, "total", "合计", k), code) for k, _ in columns])
    if lay.total_row == "first":
        g.rows.append(total_row)
    for c in sorted(rows):
        name = reg.names[c]
        if split:
            parts = [c[:3], c[3:5], c[5:7]]
            if lay.code_style == "sparse":
                level = {3: 0, 5: 1, 7: 2}[len(c)]
                labels = ["" if i != level else p for i, p in enumerate(parts)]
            else:
                labels = parts
            cells = [_label(t) for t in labels] + [_label(name)]
        elif joined:
            cells = [_label(f"{c} {name}")]
        else:
            cells = [_label(c), _label(name)]
        cells += [f.value(rows[c][k], (0, c, None, name, k), code) for k, _ in columns]
        g.rows.append(cells)
    if lay.total_row == "last":
        g.rows.append(total_row)
    return g


# -- 公开06表 ------------------------------------------------------------------------------------

def table06(m: UnitYear, reg: Registry, lay: Layout, f: Fmt) -> TableGrid:
    def entries(classes: list[str]) -> list[tuple[str, str, Decimal]]:
        out = []
        for c in classes:
            kids = reg.economic[c]
            out.append((c, reg.economic_names[c],
                        sum((m.economic.get(k, ZERO) for k, _ in kids), ZERO)))
            out.extend((k, n, m.economic.get(k, ZERO)) for k, n in kids)
        return out

    personnel, goods, capital = entries(["301", "303"]), entries(["302"]), entries(["310"])
    groups = {1: [personnel + goods + capital], 2: [personnel, goods + capital],
              3: [personnel, goods, capital]}[lay.groups06]
    n = len(groups)
    widths = [1.2, 3.6 * lay.name_width, 1.6] * n
    trio = ["经济分类科目编码", "科目名称", "决算数"]
    header: list[Box] = []
    if lay.header_rows >= 2 and n >= 2:
        header = [Box(0, 0, "人员经费", colspan=3), Box(0, 3, "公用经费", colspan=3 * (n - 1))]
        header += [Box(1, i, t) for i, t in enumerate(trio * n)]
        hr = 2
    else:
        header = [Box(0, i, t) for i, t in enumerate(trio * n)]
        hr = 1
    g = TableGrid("06", "一般公共预算财政拨款基本支出决算明细表", widths, header, hr,
                  wide=n == 3)
    for r in range(max(len(col) for col in groups)):
        cells: list[Cell] = []
        for gi, col in enumerate(groups):
            if r < len(col):
                code, name, value = col[r]
                cells += [_label(code), _label(name),
                          f.value(value, (gi, code, None, name, "amount"), "06")]
            else:
                cells += [_label(""), _label(""), f.blank()]
        g.rows.append(cells)
    pt = f.value(m.personnel_total, (0, None, "personnel_total", "人员经费合计", "amount"), "06")
    if n == 1:
        g.rows.append([_label("人员经费合计", 2), pt])
        g.rows.append([_label("公用经费合计", 2),
                       f.value(m.public_total, (0, None, "public_total", "公用经费合计", "amount"),
                               "06")])
    else:
        g.rows.append([_label("人员经费合计", 2), pt, _label("公用经费合计", 3 * n - 4),
                       f.value(m.public_total, (n - 1, None, "public_total", "公用经费合计",
                                                "amount"), "06")])
    g.notes = ["注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"]
    return g


# -- 公开09表 ------------------------------------------------------------------------------------

ITEMS09 = [("total", "合计"), ("outbound", "因公出国（境）费"),
           ("vehicle_total", "小计"), ("vehicle_purchase", "公务用车购置费"),
           ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费")]


def table09(m: UnitYear, lay: Layout, f: Fmt) -> TableGrid:
    items = [it for it in ITEMS09 if lay.subtotal09 or it[0] != "vehicle_total"]
    values = dict(zip([k for k, _ in ITEMS09], _three(m.three_budget), strict=True))
    finals = dict(zip([k for k, _ in ITEMS09], _three(m.three_final), strict=True))
    nv = 2 * len(items)
    vehicle = [k for k, _ in items if k.startswith("vehicle")]
    header: list[Box] = []
    if lay.shape09 == "blocks":
        order = [("budget", k) for k, _ in items] + [("final", k) for k, _ in items]
        for b, block in enumerate(["预算数", "决算数"]):
            base = b * len(items)
            header.append(Box(0, base, block, colspan=len(items)))
            col = base
            for k, lab in items:
                if k == vehicle[0]:
                    header.append(Box(1, col, "公务用车购置及运行维护费", colspan=len(vehicle)))
                if k in vehicle:
                    header.append(Box(2, col, lab))
                else:
                    header.append(Box(1, col, lab, rowspan=2))
                col += 1
        hr = 3
    else:
        order = [(s, k) for k, _ in items for s in ("budget", "final")]
        col = 0
        for k, lab in items:
            if k == vehicle[0]:
                header.append(Box(0, col, "公务用车购置及运行维护费", colspan=2 * len(vehicle)))
            if k in vehicle:
                header.append(Box(1, col, lab, colspan=2))
            else:
                header.append(Box(0, col, lab, rowspan=2, colspan=2))
            header += [Box(2, col, "预算数"), Box(2, col + 1, "决算数")]
            col += 2
        hr = 3
    g = TableGrid("09", "财政拨款“三公”经费支出决算表", [1.0] * nv, header, hr,
                  wide=True)
    cells = []
    for s, k in order:
        v = values[k] if s == "budget" else finals[k]
        cells.append(f.value(v, (0, None, "total", None, f"{s}_{k}"), "09"))
    g.rows.append(cells)
    g.notes = ["注：本表反映部门本年度财政拨款“三公”经费支出预决算情况。"]
    if not any(values.values()) and not any(finals.values()):
        # A grid without amounts is an empty table, whatever its zero markers.
        g.status = "declared_empty"
        g.notes.append(f"本部门{m.year}年度无财政拨款三公经费支出。")
    return g


def tables(m: UnitYear, reg: Registry, lay: Layout, overrides: Overrides | None = None
           ) -> list[TableGrid]:
    """The 9 tables in the order the layout prints them."""
    f = Fmt(lay, overrides)
    t = {"01": table01(m, lay, f), "02": function_table(m, reg, lay, f, "02"),
         "03": function_table(m, reg, lay, f, "03"), "04": table04(m, lay, f),
         "05": function_table(m, reg, lay, f, "05"), "06": table06(m, reg, lay, f),
         "07": function_table(m, reg, lay, f, "07"), "08": function_table(m, reg, lay, f, "08"),
         "09": table09(m, lay, f)}
    order = ["01", "02", "03", "04", "05", "06", "09", "07", "08"] if lay.mof_order \
        else sorted(t)
    return [t[c] for c in order]
