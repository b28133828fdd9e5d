"""The 9 standard tables of the seed, figures read by hand from seeds/reports/caidian-trade-union-2024.txt."""

from __future__ import annotations

from decimal import Decimal as D

from tests.conftest import cell


def test_report_metadata(seed_facts):
    assert seed_facts.unit_name == "武汉市蔡甸区总工会本级"
    assert seed_facts.fiscal_year == 2024
    assert seed_facts.report_kind == "部门决算"
    assert seed_facts.subordinate_units == 1  # line 28: 本级决算和  1  个下属单位决算组成
    assert not seed_facts.fatal


def test_all_nine_tables_recognised(seed_facts):
    status = {code: t.status for code, t in seed_facts.tables.items()}
    assert status == {"01": "present", "02": "present", "03": "present", "04": "present",
                      "05": "present", "06": "present", "07": "declared_empty",
                      "08": "declared_empty", "09": "declared_empty"}
    assert seed_facts.tables["09"].declaration == "本部门2024年度无财政拨款三公经费支出。"  # line 1843
    assert seed_facts.tables["07"].declaration == "本部门2024年度无政府性基金预算财政拨款收入支出。"
    assert all(t.amount_unit == "万元" for t in seed_facts.tables.values())


def test_01_income_and_expenditure_sides(seed_facts):
    income = cell(seed_facts, "01", key="general_budget_appropriation", group=0)
    assert income.value_wan_yuan == D("534.74") and income.row_line_no == "1"  # line 59-65
    gps = cell(seed_facts, "01", code="201", group=1)
    assert gps.value_wan_yuan == D("387.52") and gps.row_line_no == "31"  # 01 prints 387.52
    assert cell(seed_facts, "01", code="210", group=1).value_wan_yuan == D("40.62")  # line 115
    assert cell(seed_facts, "01", code="221", group=1).value_wan_yuan == D("36.51")
    assert cell(seed_facts, "01", key="grand_total", group=0).value_wan_yuan == D("534.74")
    assert cell(seed_facts, "01", key="grand_total", group=1).value_wan_yuan == D("534.74")
    assert cell(seed_facts, "01", key="carryover_end", group=1).value_wan_yuan is None
    assert cell(seed_facts, "01", code="202", group=1).value_wan_yuan is None  # 外交支出 blank


def test_02_income_by_function(seed_facts):
    total = cell(seed_facts, "02", key="total", column="total")
    assert total.value_wan_yuan == D("534.74") and total.location.line == 337
    assert cell(seed_facts, "02", code="2080505", column="fiscal_appropriation").value_wan_yuan \
        == D("34.51")
    assert cell(seed_facts, "02", code="20129", column="total").row_label == "群众团体事务"
    assert cell(seed_facts, "02", code="201", column="upper_subsidy").value_wan_yuan is None


def test_03_expenditure_basic_and_project(seed_facts):
    assert cell(seed_facts, "03", code="2012901", column="total").value_wan_yuan == D("343.90")
    assert cell(seed_facts, "03", code="2012901", column="basic").value_wan_yuan == D("343.75")
    assert cell(seed_facts, "03", code="2012901", column="project").value_wan_yuan == D("0.15")
    assert cell(seed_facts, "03", code="2101199", column="basic").value_wan_yuan is None
    assert cell(seed_facts, "03", code="2101199", column="project").value_wan_yuan == D("3.96")
    assert cell(seed_facts, "03", key="total", column="project").value_wan_yuan == D("27.87")
    assert cell(seed_facts, "03", code="2012901", column="total").printed_text == "343.90"
    assert cell(seed_facts, "03", code="2012901", column="total").decimals == 2


def test_04_appropriation_summary(seed_facts):
    assert cell(seed_facts, "04", key="general_budget_appropriation", group=0).value_wan_yuan \
        == D("534.74")
    assert cell(seed_facts, "04", code="201", column="general_budget").value_wan_yuan == D("387.52")
    assert cell(seed_facts, "04", key="expenditure_total", column="total").value_wan_yuan \
        == D("534.74")
    assert cell(seed_facts, "04", key="carryover_end_gov_fund", column="total").row_line_no == "62"
    assert cell(seed_facts, "04", key="carryover_begin_soe_capital", group=0).row_line_no == "31"


def test_05_general_budget_expenditure(seed_facts):
    assert cell(seed_facts, "05", code="210", column="total").value_wan_yuan == D("40.63")
    assert cell(seed_facts, "05", code="210", column="basic").value_wan_yuan == D("35.41")
    assert cell(seed_facts, "05", code="210", column="project").value_wan_yuan == D("5.23")
    assert cell(seed_facts, "05", key="total", column="basic").value_wan_yuan == D("506.87")


def test_06_economic_groups(seed_facts):
    bonus = cell(seed_facts, "06", code="30103")
    assert (bonus.value_wan_yuan, bonus.column_group, bonus.row_label) == (D("166.75"), 0, "奖金")
    assert cell(seed_facts, "06", code="30239").value_wan_yuan == D("9.47")  # 其他交通费用
    assert cell(seed_facts, "06", code="30239").column_group == 1
    assert cell(seed_facts, "06", code="31002").column_group == 2
    assert cell(seed_facts, "06", code="31002").value_wan_yuan is None
    assert cell(seed_facts, "06", code="301").value_wan_yuan == D("453.84")
    assert cell(seed_facts, "06", key="personnel_total").value_wan_yuan == D("472.08")
    assert cell(seed_facts, "06", key="public_total").value_wan_yuan == D("34.79")
    assert cell(seed_facts, "06", code="30299").value_wan_yuan == D("3.60")  # line 1629


def test_declared_empty_tables_keep_their_grid(seed_facts):
    t07 = seed_facts.tables["07"]
    assert {c.column_key for c in t07.cells} == {"carryover_begin", "income", "total", "basic",
                                                  "project", "carryover_end"}
    assert all(c.value_wan_yuan is None for c in t07.cells)
    t09 = seed_facts.tables["09"]
    assert len(t09.cells) == 12 and all(c.value_wan_yuan is None for c in t09.cells)


def test_name_wrapped_onto_its_own_row_joins_its_coded_row():
    from dagster_project.document import Cell, Location
    from dagster_project.interpret.segment import Region
    from dagster_project.interpret.tables import parse_region

    def row(*texts):
        return [Cell(t, Location("x.pdf", page=1)) for t in texts]

    region = Region("05", "一般公共预算财政拨款支出决算表", Location("x.pdf", page=1), rows=[
        row("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
        row("2080505", "机关事业单位基本养老保险", "53.45", "53.45", ""),
        row("", "缴费支出", "", "", ""),
        row("2080506", "机关事业单位职业年金缴费支出", "22.78", "22.78", ""),
    ])
    table, problems = parse_region(region)
    assert not problems
    labels = {c.row_code: c.row_label for c in table.cells}
    assert labels == {"2080505": "机关事业单位基本养老保险缴费支出",
                      "2080506": "机关事业单位职业年金缴费支出"}
    assert table.row_count == 2


def test_code_and_name_run_together_and_signed_amounts():
    from decimal import Decimal

    from dagster_project.document import Cell, Location
    from dagster_project.interpret.segment import Region
    from dagster_project.interpret.tables import parse_region

    def row(*texts):
        return [Cell(t, Location("x.pdf", page=1)) for t in texts]

    region = Region("05", "一般公共预算财政拨款支出决算表", Location("x.pdf", page=1), rows=[
        row("项目", "合计", "基本支出", "项目支出"),
        row("201 一般公共服务支出", "1,002.50", "1,012.50", "-10.00"),
        row("2010601行政运行", "1,002.50", "1,012.50", "(10.00)"),
        row("2010602一般行政管理事务", "-", "", "—"),
    ])
    table, problems = parse_region(region)
    assert not problems
    got = {(c.row_code, c.row_label, c.column_key): c.value_wan_yuan for c in table.cells}
    assert got[("201", "一般公共服务支出", "total")] == Decimal("1002.50")
    assert got[("2010601", "行政运行", "project")] == Decimal("-10.00")
    assert got[("201", "一般公共服务支出", "project")] == Decimal("-10.00")
    assert got[("2010602", "一般行政管理事务", "total")] is None
