"""A 决算's template, from what its tables say about themselves: 西南大学's 2023 决算 in the
教育部 template for universities (表1 高等学校收支决算总表, 表2 收入决算表, 表3 支出决算表, 表4
高等学校财政拨款支出决算表: tests/fixtures/budgets/swu-university-2023-final.pdf) prints four
tables and is missing none of them, while 佛山市轨道交通局's 2019 决算 (seeds/reports), a 2015
template 决算 that prints no 公开08表, is still missing it. Figures read by hand from the pages
(pdfplumber's page text): p.9 收支决算总表, p.12-13 支出决算表, p.14-15 财政拨款支出决算表.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from dagster_project.interpret.report import interpret
from dagster_project.interpret.templates import template_of
from dagster_project.readers import read_document
from tests.budget_pairs import pipeline_warehouse

FIXTURES = Path(__file__).parent / "fixtures" / "budgets"
SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "reports"
SWU_FINAL = FIXTURES / "swu-university-2023-final.pdf"
FOSHAN = SEEDS / "foshan-rail-transit-bureau-2019.pdf"


@pytest.fixture(scope="module")
def university():
    return interpret(read_document(SWU_FINAL))


def test_the_university_final_is_judged_by_its_own_four_tables(university):
    assert university.template == "central_four_tables"
    required = {c for c, t in university.tables.items() if t.required}
    assert required == {"01", "02", "03", "05"}
    assert all(university.tables[c].status == "present" for c in required)
    # 表4 is the 财政拨款 table the template identifies itself by (its title says every fund).
    assert university.tables["05"].title == "表4：高等学校财政拨款支出决算表"
    assert not [p for p in university.problems if p.kind == "missing_table"]
    # The 2015 template's other tables are recorded as not printed by this template: not
    # required, so no finding says they are missing, and no identity reads them as 0.
    for code in ("04", "06", "07", "08", "09"):
        table = university.tables[code]
        assert (table.status, table.required) == ("missing", False)
        assert table.reason == "the central_four_tables template prints no such table"


def test_a_title_for_the_general_budget_only_is_no_mark_of_the_four_table_template():
    # A 2015-template 决算 that prints 01-03 and 一般公共预算财政拨款支出决算表 and nothing else
    # is missing 04, 06-09: the smaller template would excuse the gap, so it is not chosen.
    printed = {"01", "02", "03", "05"}
    assert template_of("决算", printed, {"05": "一般公共预算财政拨款支出决算表"}).name == "standard"
    assert template_of("决算", printed, {"05": "表4：高等学校财政拨款支出决算表"}).name == (
        "central_four_tables")
    # Printing any table outside the four is the 2015 template, whatever 05's title says.
    assert template_of("决算", printed | {"09"}, {"05": "财政拨款支出决算表"}).name == "standard"


@pytest.mark.e2e
def test_missing_tables_and_identities_through_the_pipeline(tmp_path):
    with pipeline_warehouse(tmp_path, [SWU_FINAL, FOSHAN], {}) as con:
        missing = con.execute(
            "select unit_name, row_label from marts.audit_findings "
            "where rule_id in ('D.table_missing', 'D.table_missing_stated') order by all"
        ).fetchall()
        # 佛山 2019 prints no 公开08表 and says nowhere it had no 国有资本经营 funds: still real.
        assert missing == [("佛山市轨道交通局", "公开08表")]
        evaluations = {
            (rule, key): (lhs, rhs, status)
            for rule, key, lhs, rhs, status in con.execute(
                "select e.rule_id, e.instance_key, e.lhs_value, e.rhs_value, e.status "
                "from intermediate.int_audit__evaluations as e "
                "inner join marts.dim_reports as d on d.report_id = e.report_id "
                "where d.unit_name = '西南大学'").fetchall()}
        errors = con.execute(
            "select count(*) from marts.audit_findings where unit_name = '西南大学' "
            "and severity in ('error', 'warning')").fetchone()[0]
        summary = con.execute(
            "select expenditure_total_wan_yuan, personnel_wan_yuan, public_wan_yuan, "
            "personnel_share_pct, general_budget_expenditure_wan_yuan "
            "from marts.fct_unit_year_summary where unit_name = '西南大学'").fetchone()
    assert errors == 0
    # The summary: 本年支出合计 457,676.75 (p.9); it prints no 基本支出决算表 (公开06表) and no
    # sentence gives 人员经费 or 公用经费, so they (and the share) are unknown, not 0.
    assert summary[0] == D("457676.75")
    assert summary[1:4] == (None, None, None)
    assert summary[4] == D("237100.00")  # its 表4, read as 05: 合计 (p.14)
    # What its four tables support is evaluated: p.9 合计 569,496.54 on both sides; 本年支出合计
    # 457,676.75 (p.9) = 表3's 合计; 表4's 合计 237,100.00 = Σ类 (p.14-15).
    assert evaluations[("T01.balance", "")] == (D("569496.54"), D("569496.54"), "pass")
    assert evaluations[("X01_03.expenditure_total", "")] == (
        D("457676.75"), D("457676.75"), "pass")
    assert evaluations[("X01_02.income_total", "")] == (D("430725.03"), D("430725.03"), "pass")
    assert evaluations[("T05.total_by_class", "合计/total")][2] == "pass"
    assert evaluations[("T05.total_by_class", "合计/total")][0] == D("237100.00")
    # What it needs from a table this template does not print is indeterminate, never 0.
    for rule in ("T04.balance", "X01_04.general_budget_income", "X05_06.basic"):
        assert evaluations[(rule, "")][2] == "indeterminate", rule
    assert {status for (rule, _k), (_l, _r, status) in evaluations.items()
            if rule == "X04_05.class"} == {"indeterminate"}


def test_a_central_units_project_expenditure_table_is_not_its_expenditure_table():
    # A central department's 决算 (and newer local ones) prints 一般公共预算财政拨款项目支出决算表
    # beside the 2015 template's nine: it is no 支出决算表 (公开03表), which it would otherwise
    # duplicate with other figures and make unreadable. Unmatched, its title ends the table
    # before it (layout.OTHER_TABLE_TITLE).
    from dagster_project.interpret.layout import OTHER_TABLE_TITLE, table_code_of_title

    assert table_code_of_title("一般公共预算财政拨款项目支出决算表", "决算") is None
    assert OTHER_TABLE_TITLE.search("一般公共预算财政拨款项目支出决算表")
    assert table_code_of_title("表3：高等学校支出决算表", "决算") == "03"
    assert table_code_of_title("支出决算表", "决算") == "03"


def test_a_central_departments_budget_tables_are_the_local_templates():
    # A central department's 部门预算 prints 收支总表 … 一般公共预算“三公”经费支出表 as a local
    # budget does, and also 一般公共预算项目支出表: no table of ours, never taken for the
    # 一般公共预算支出表 (Y05) or the 基本支出表 (Y06); its title ends the table before it.
    from dagster_project.interpret.layout import OTHER_TABLE_TITLE, table_code_of_title

    assert table_code_of_title("一般公共预算项目支出表", "预算") is None
    assert OTHER_TABLE_TITLE.search("一般公共预算项目支出表")
    assert table_code_of_title("一般公共预算“三公”经费支出表", "预算") == "Y09"
    assert table_code_of_title("一般公共预算基本支出表", "预算") == "Y06"
