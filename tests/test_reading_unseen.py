"""Reading layouts the reader was not built on: from what a table says about itself.

Expected figures are read by hand from the documents (tests/fixtures/unseen/) or are the
figures the hand-made tables below print.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from dagster_project.document import Cell, Location
from dagster_project.interpret.report import interpret
from dagster_project.interpret.segment import Region
from dagster_project.interpret.tables import parse_region
from dagster_project.readers import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "unseen"


def _row(*texts: str) -> list[Cell]:
    return [Cell(t, Location("x.pdf", page=1)) for t in texts]


def _region(code: str, *rows: tuple[str, ...], title: str = "表") -> Region:
    return Region(code, title, Location("x.pdf", page=1), rows=[_row(*r) for r in rows])


def _values(table) -> dict[tuple, D | None]:
    return {(c.row_code or c.row_key, c.column_key): c.value_wan_yuan for c in table.cells}


# -- the blank 财政部 template -------------------------------------------------------------

@pytest.fixture(scope="module")
def template():
    return interpret(read_document(FIXTURES / "ministry-of-finance-final-accounts-template.pdf"))


def test_blank_template_loads_with_every_table_empty(template):
    assert not template.fatal
    assert {c: t.status for c, t in template.tables.items()} == {
        f"{i:02d}": "declared_empty" for i in range(1, 10)}
    # 07 and 08 say so below their notes (p.13, p.14); the others are grids without amounts.
    assert template.tables["07"].declaration == (
        "说明：上海市XX局本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。")
    assert "国有资本经营预算财政拨款" in template.tables["08"].declaration
    assert template.tables["05"].declaration is None
    assert all(c.value_wan_yuan is None for t in template.tables.values() for c in t.cells)


# -- a university's 决算 in the 教育部 template ------------------------------------------

@pytest.fixture(scope="module")
def university():
    return interpret(read_document(FIXTURES / "swu_2023_final.pdf"))


def test_university_template_loads_its_four_tables(university):
    assert not university.fatal
    assert (university.unit_name, university.fiscal_year) == ("西南大学", 2023)  # the cover
    # Its template (表1-表4, 教育部's 高等学校 tables) prints four tables: none is missing
    # (tests/test_final_templates.py).
    assert university.template == "central_four_tables"
    status = {c: t.status for c, t in university.tables.items() if t.required}
    assert status == {"01": "present", "02": "present", "03": "present", "05": "present"}
    # 表4 高等学校财政拨款支出决算表 is this template's 财政拨款 per 功能分类 table, read as
    # 公开05表 (registry): p.15 实验室及相关设施 1,707.93, all of it 项目支出 (its 项目支出/小计;
    # 其中：基本建设资金支出 1,357.93 breaks it down).
    t05 = _values(university.tables["05"])
    assert (t05[("2060204", "total")], t05[("2060204", "project")]) == (
        D("1707.93"), D("1707.93"))
    # Its rows must not run on into 公开03表.
    t03 = _values(university.tables["03"])
    assert t03[("2050205", "total")] == D("389606.87")  # p.12 高等教育
    assert t03[("2050205", "project")] == D("93462.71")
    assert t03[("206", "basic")] == D("828.72")
    assert max(c.page for c in (x.location for x in university.tables["03"].cells)) <= 13


def test_university_summary_lines(university):
    t01 = {(c.column_group, c.row_key): c.value_wan_yuan for c in university.tables["01"].cells}
    assert t01[(0, "income_total")] == D("430725.03")  # p.9 本年收入合计
    assert t01[(0, "fiscal_appropriation")] == D("243015.38")  # 一、财政拨款收入
    assert t01[(0, "carryover_begin")] == D("93660.54")  # 上年结转和结余
    assert t01[(0, "grand_total")] == D("569496.54")  # the last line is 合计, not 总计
    assert t01[(1, "expenditure_total")] == D("457676.75")
    # "其中：政府性基金预算财政拨款 109.50" breaks down 财政拨款收入: not a line of its own.
    assert (0, "gov_fund_appropriation") not in t01


def test_a_class_name_wrapped_onto_the_next_grid_row_is_one_line():
    # A 支出 name cut into two grid rows ("二、社会保障和就" / "业支出", the second row holding
    # nothing else) is one class line; a class name standing whole in a row without figures
    # ("三、住房保障支出") stays its own line.
    table, problems = parse_region(_region(
        "01",
        ("收入", "", "支出", ""),
        ("项目", "金额", "项目", "金额"),
        ("一、一般公共预算财政拨款收入", "100.00", "一、一般公共服务支出", "60.00"),
        ("", "", "二、社会保障和就", "30.00"),
        ("", "", "业支出", ""),
        ("", "", "三、住房保障支出", ""),
        ("", "", "四、卫生健康支出", "10.00"),
        ("本年收入合计", "100.00", "本年支出合计", "100.00"),
    ))
    assert not problems and table.status == "present"
    classes = {c.row_label: c.value_wan_yuan for c in table.cells if c.row_key == "function_class"}
    assert classes == {"一、一般公共服务支出": D("60.00"), "二、社会保障和就业支出": D("30.00"),
                       "三、住房保障支出": None, "四、卫生健康支出": D("10.00")}


# -- headers read from their text --------------------------------------------------------

def test_columns_in_another_order_are_mapped_by_their_header():
    table, problems = parse_region(_region(
        "03",
        ("项目", "", "", "", "本年支出合计", "项目支出", "基本支出", "上缴上级支出", "经营支出",
         "对附属单位补助支出"),
        ("功能分类科目编码", "", "", "科目名称", "", "", "", "", "", ""),
        ("类", "款", "项", "栏次", "1", "2", "3", "4", "5", "6"),
        ("合计", "", "", "", "631.53", "170.67", "460.86", "", "", ""),
        ("201", "40", "01", "行政运行", "308.06", "", "308.06", "", "", ""),
    ))
    assert not problems and table.status == "present"
    got = _values(table)
    assert got[("total", "project")] == D("170.67") and got[("total", "basic")] == D("460.86")
    assert got[("2014001", "basic")] == D("308.06") and got[("2014001", "project")] is None


def test_header_sharing_its_ruled_row_with_the_total_label_is_header():
    # The 财政部 template's 07表: 合计 | 合计 | 基本支出 | 项目支出 in one ruled row.
    table, problems = parse_region(_region(
        "07",
        ("项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"),
        ("功能分类科目编码", "科目名称", "", "", "", "", "", ""),
        ("合计", "", "", "", "合计", "基本支出", "项目支出", ""),
        ("2120801", "征地和拆迁补偿支出", "1.00", "20.00", "15.50", "", "15.50", "5.50"),
    ))
    assert not problems and table.status == "present"
    got = _values(table)
    assert got[("2120801", "carryover_begin")] == D("1.00")
    assert got[("2120801", "total")] == D("15.50") and got[("2120801", "project")] == D("15.50")
    assert got[("2120801", "carryover_end")] == D("5.50")


def test_a_header_repeated_on_a_continuation_page_without_title_is_not_data():
    header = (("项目", "", "合计", "基本支出", "项目支出"), ("科目编码", "科目名称", "", "", ""))
    table, problems = parse_region(_region(
        "05", *header,
        ("201", "一般公共服务支出", "10.00", "8.00", "2.00"),
        *header,
        ("2010101", "行政运行", "8.00", "8.00", ""),
    ))
    assert not problems and table.status == "present"
    assert _values(table)[("2010101", "basic")] == D("8.00")


@pytest.mark.parametrize("rows", [
    # budget block then final block, 小计 under 公务用车
    [("预算数", "", "", "", "", "", "决算数", "", "", "", "", ""),
     ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费") * 2,
     ("", "", "小计", "公务用车购置费", "公务用车运行维护费", "") * 2,
     ("3.00", "", "2.00", "", "2.00", "1.00", "2.50", "", "1.80", "", "1.80", "0.70")],
    # paired per item
    [("合计", "", "因公出国（境）费", "", "公务用车购置及运行维护费", "", "", "", "", "",
      "公务接待费", ""),
     ("", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行维护费", "", "", ""),
     ("预算数", "决算数") * 6,
     ("3.00", "2.50", "", "", "2.00", "1.80", "", "", "2.00", "1.80", "1.00", "0.70")],
    # one row per stage, no 小计 column
    [("项目", "合计", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"),
     ("预算数", "3.00", "", "", "2.00", "1.00"),
     ("决算数", "2.50", "-", "-", "1.80", "0.70")],
], ids=["blocks", "paired", "rows"])
def test_three_public_in_every_shape(rows):
    table, problems = parse_region(_region("09", *rows))
    assert not problems and table.status == "present"
    got = {c.column_key: c.value_wan_yuan for c in table.cells}
    assert got["budget_total"] == D("3.00") and got["final_total"] == D("2.50")
    assert got["budget_vehicle_operation"] == D("2.00")
    assert got["final_vehicle_operation"] == D("1.80")
    assert got["final_reception"] == D("0.70")
    assert got.get("final_outbound") is None


def test_economic_table_in_one_group_with_code_and_name_in_one_cell():
    table, problems = parse_region(_region(
        "06",
        ("经济分类科目", "决算数"),
        ("301 工资福利支出", "12.00"),
        ("30101 基本工资", "7.00"),
        ("30102 津贴补贴", "5.00"),
        ("人员经费合计", "12.00"),
    ))
    assert not problems and table.status == "present"
    got = _values(table)
    assert got[("30101", "amount")] == D("7.00")
    assert got[("personnel_total", "amount")] == D("12.00")


def test_a_table_that_cannot_be_read_is_unreadable_not_fatal():
    table, problems = parse_region(_region(
        "05",
        ("项目", "", "合计", "基本支出", "项目支出"),
        ("科目编码", "科目名称", "", "", ""),
        ("2010101", "行政运行", "8.00", "八元", ""),
    ))
    assert table.status == "unreadable" and not table.cells
    assert "八元" in table.reason and "x.pdf:p.1" in table.reason
    assert [p.fatal for p in problems] == [False]


def test_a_table_printed_twice(seed_path, tmp_path):
    text = seed_path.read_text("utf-8")
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.endswith("收入支出决算总表"))
    end = next(i for i, ln in enumerate(lines) if i > start and ln.endswith("收入决算表"))
    copy = lines[start:end]
    same = tmp_path / "same.txt"
    same.write_text("\n".join(lines + copy), "utf-8")
    facts = interpret(read_document(same))
    assert facts.tables["01"].status == "present" and not facts.fatal
    # identical copies: an info (issue 11 #4), not a warning that the report needs attention
    assert [p.level for p in facts.problems if p.kind == "repeated_table"] == ["info"]
    # identical copies are read once: 本年收入合计 is not doubled (534.74 on the seed)
    [total] = [c for c in facts.tables["01"].cells if c.row_key == "income_total"]
    assert total.value_wan_yuan == D("534.74")
    other = tmp_path / "other.txt"
    changed = [ln.replace("534.74", "999.99") for ln in copy]
    other.write_text("\n".join(lines + changed), "utf-8")
    facts = interpret(read_document(other))
    assert facts.tables["01"].status == "unreadable" and not facts.fatal
    assert "different figures" in facts.tables["01"].reason
    assert [p.level for p in facts.problems if p.kind == "repeated_table"] == ["warning"]


def test_a_budget_is_not_read_as_final_accounts(seed_path, tmp_path):
    # The same tables under a budget's name: the document's own words decide, not the file
    # name; it is read as a budget, with the budget's table kinds, never as 公开01-09表.
    budget = tmp_path / "决算-named.txt"
    budget.write_text(seed_path.read_text("utf-8").replace("决算", "预算"), "utf-8")
    facts = interpret(read_document(budget))
    assert facts.report_kind == "部门预算" and not facts.fatal
    # Y01-Y09, the local template's tables it prints; Y10 (a 财政拨款支出表 of every fund,
    # which universities print) is optional there and not printed: not recorded.
    assert facts.template == "local"
    assert set(facts.tables) == {f"Y{i:02d}" for i in range(1, 10)}
    assert not any(code in facts.tables for code in ("01", "03", "09"))


def test_project_evaluation_continued_on_a_wider_grid():
    # The 合计 line of a 项目自评表 lands on the next page, in the indicator table's 7-column
    # grid: its figures are still the 预算数 and 执行数 (26.46, 24.25).
    from dagster_project.document import Paragraph
    from dagster_project.interpret.performance import extract_evaluations

    items = [
        Paragraph("专项调研经费项目自评表", Location("x.pdf", page=17)),
        _row("项目名称", "专项调研经费", "", "", ""),
        _row("预算执行情况（万元）", "资金来源", "预算数（A）", "执行数（B）", "执行率（B/A）"),
        _row("", "一般预算内拨款", "26.46", "24.25", "91.7%"),
        _row("", "合计", "26.46", "24.25", "91.7%", "", ""),
    ]
    [evaluation], problems = extract_evaluations(items)
    assert not problems
    assert (evaluation.budget_wan_yuan, evaluation.executed_wan_yuan) == (D("26.46"), D("24.25"))
    assert evaluation.stated_rate_pct == D("91.7")


# -- 江苏 2017: captions and unit lines inside the grid (session 8) ------------------------

@pytest.fixture(scope="module")
def jiangsu_party_2017():
    return interpret(read_document(FIXTURES / "jiangsu-party-office-2017-tables.pdf"))


def _by_label(table) -> dict[tuple, D | None]:
    return {(c.row_code or c.row_label, c.column_key): c.value_wan_yuan for c in table.cells}


def test_title_and_unit_line_in_the_grids_top_cell(jiangsu_party_2017):
    # Every table prints "收支预算总表 / 部门：中国共产党江苏省委员会办公厅 单位：万元" in its
    # grid's first cell; 收入预算总表 (p.2) inside a frame drawn round title and grid. Before,
    # 收入/支出/财政拨款收支 were missing and three tables unreadable; now all are read.
    facts = jiangsu_party_2017
    assert not facts.fatal
    assert {c: t.status for c, t in facts.tables.items()
            if c != "Y07"} == dict.fromkeys(["Y01", "Y02", "Y03", "Y04", "Y05", "Y06", "Y09",
                                             "Y10"], "present")
    assert all(t.amount_unit == "万元" for t in facts.tables.values())
    # p.2, inside the frame: 收入总计 20,849.45, 其他非税收入 147.20
    income = _by_label(facts.tables["Y02"])
    assert income[("收入总计", "total")] == D("20849.45")
    assert income[("其他非税收入", "total")] == D("147.20")
    # p.3: 合计 20,849.45 = 基本支出 9,964.07 + 项目支出 10,688.66 + 单位预留机动经费 196.72
    [row] = [{c.column_key: c.value_wan_yuan for c in facts.tables["Y03"].cells}]
    assert (row["total"], row["basic"], row["project"], row["reserve"]) == (
        D("20849.45"), D("9964.07"), D("10688.66"), D("196.72"))
    # p.5 财政拨款支出预算表: 2013101 行政运行 6,106.99, 2210202 提租补贴 1,235.41
    y10 = _by_label(facts.tables["Y10"])
    assert y10[("2013101", "total")] == D("6106.99")
    assert y10[("2210202", "total")] == D("1235.41")
    # p.9 一般公共预算基本支出预算表: 30231 公务用车运行维护费 411.20
    assert _by_label(facts.tables["Y06"])[("30231", "total")] == D("411.20")
    # The caption's words are the region's title, not a row of the table.
    assert facts.tables["Y10"].title == "财政拨款支出预算表"


def test_a_unit_line_row_inside_the_grid_adds_no_columns():
    # 江苏省人大办公厅 2017 p.11: the grid's "部门： | 江苏省人大常委会办公厅 | 单位：万元" row
    # has cell edges no other row has; once read as the caption, those columns are gone
    # and each row is code | name | 金额 (before: an unnamed blank column beside every amount).
    facts = interpret(read_document(FIXTURES / "jiangsu-congress-office-2017.pdf"))
    y10 = facts.tables["Y10"]
    assert y10.status == "present"
    assert {c.column_key for c in y10.cells} == {"total"}
    values = _by_label(y10)
    assert values[("2010101", "total")] == D("4545.94")
    assert values[("2210202", "total")] == D("1018.01")
    assert len(y10.cells) == 19  # 合计 and 18 coded rows


def test_spreadsheet_grid_with_blank_spacer_columns_and_rows():
    # 江苏省高级人民法院 2018 p.9-10, 收支预算总表: an exported spreadsheet's grid of 18 ruled
    # columns, most of them blank spacers, the header over blank ruled rows. Without the
    # spacers it reads as 收入 | 功能分类 | 支出用途; the 功能分类 classes add up to 当年支出小计
    # (四、公共安全支出 26,200.88 + 八、社会保障和就业支出 2,254.76 + 十八、住房保障支出
    # 4,716.51 = 33,172.15). 三、单位预留机动经费's 3,258.06 stands on 三、国防支出's grid row
    # (its name wrapped onto the rows around it): never 国防支出's.
    facts = interpret(read_document(FIXTURES.parent / "budgets" / "jiangsu-court-2018.pdf"))
    y01 = facts.tables["Y01"]
    assert y01.status == "present"
    classes = {c.row_code: c.value_wan_yuan for c in y01.cells
               if c.row_key == "function_class" and c.value_wan_yuan}
    assert classes == {"204": D("26200.88"), "208": D("2254.76"), "221": D("4716.51")}
    [spent] = [c.value_wan_yuan for c in y01.cells if c.row_key == "expenditure_total"]
    assert spent == sum(classes.values()) == D("33172.15")
    uses = {c.row_label: c.value_wan_yuan for c in y01.cells if c.column_group == 2}
    assert uses["一、基本支出"] == D("18570.82") and uses["二、项目支出"] == D("11343.27")


def test_table_continued_on_a_page_whose_grid_has_other_columns():
    # 江苏省人大办公厅 2017: the 收支预算总表 runs from p.7 over p.8 onto p.9, where its last
    # three rows share one ruled grid with the next table (收入预算总表), whose rules add
    # column edges: "结转下年资金" and "支出合计" stand in other column slots than on p.7. Put
    # back by the rules they stand on, p.9 reads 收入合计 13,649.07 and 支出合计 13,649.07 (as
    # printed); the 收入预算总表 runs on from that grid into p.10's narrower one (before: both
    # tables unreadable).
    facts = interpret(read_document(FIXTURES / "jiangsu-congress-office-2017.pdf"))
    y01 = facts.tables["Y01"]
    assert y01.status == "present"
    totals = {(c.row_label, c.column_group): c.value_wan_yuan for c in y01.cells
              if c.row_key in ("grand_total", "expenditure_total", "carryover_end")}
    assert totals == {("收入合计", 0): D("13649.07"), ("支出合计", 1): D("13649.07"),
                      ("当年支出小计", 1): D("13649.07"), ("结转下年资金", 1): None}
    classes = {c.row_label: c.value_wan_yuan for c in y01.cells
               if c.row_key == "function_class" and c.value_wan_yuan}
    # "八、社会保障和就" ends p.7 and "业支出" opens p.8, alone in its grid row: one class. The
    # classes add up to 当年支出小计: 10,528.33 + 1,608.51 + 1,512.23 = 13,649.07.
    assert classes == {"一、一般公共服务支出": D("10528.33"),
                       "八、社会保障和就业支出": D("1608.51"), "十八、住房保障支出": D("1512.23")}
    assert sum(classes.values()) == D("13649.07")
    y02 = facts.tables["Y02"]
    assert y02.status == "present"
    income = {c.row_label: c.value_wan_yuan for c in y02.cells}
    assert income["收入总计"] == D("13649.07")
    assert income["公共财政拨款(补助)资金"] == D("13649.07")
    # p.10's rows, in the 3-column grid, under the 项目名称 | 金额 header of p.9:
    assert {"其他非税收入", "事业收入", "其中：动用上年结转和结余资金"} <= set(income)
    assert income["事业收入"] is None
    assert not [p for p in facts.problems if p.kind == "unreadable_table"
                and p.location and p.location.page in (7, 8, 9, 10)]
