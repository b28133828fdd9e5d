"""Budgets (部门预算 / 单位预算) read from real PDFs: kind, unit and year from the document's own
title, tables found by title through the registry, figures as printed (read by hand from the
PDFs in tests/fixtures/budgets/, see its README), and loaded beside the 决算 of the same unit
and year."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from dagster_project.interpret.report import interpret
from dagster_project.readers import read_document
from dagster_project.warehouse.load import ensure_schema, load_report

FIXTURES = Path(__file__).parent / "fixtures" / "budgets"


@pytest.fixture(scope="module")
def putuo():
    return interpret(read_document(FIXTURES / "shanghai-putuo-office-unit-2025.pdf"))


@pytest.fixture(scope="module")
def shenzhen():
    return interpret(read_document(FIXTURES / "shenzhen-xinfang-2026.pdf"))


def _cells(facts, table, **match):
    return [c for c in facts.tables[table].cells
            if all(getattr(c, k) == v for k, v in match.items())]


def _one(facts, table, **match):
    [cell] = _cells(facts, table, **match)
    return cell.value_wan_yuan


def test_shanghai_unit_budget_kind_unit_year(putuo):
    # Cover: "上海市普陀区2025年区级单位预算", "预算单位：上海市普陀区人民政府办公室"; the file is
    # named 单位25年预算 but the text decides.
    assert not putuo.fatal
    assert (putuo.report_kind, putuo.fiscal_year, putuo.unit_name) == (
        "单位预算", 2025, "上海市普陀区人民政府办公室")
    # Every table of the 上海 template is found by its title (its numbers are never used).
    assert {c: t.status for c, t in putuo.tables.items()} == {
        "Y01": "present", "Y02": "present", "Y03": "present", "Y04": "present",
        "Y05": "present", "Y06": "present", "Y07": "declared_empty",
        "Y08": "declared_empty", "Y09": "present"}
    # Y10 (the 财政拨款支出表 universities print) is optional in the local template and 上海
    # prints none: not recorded, nothing expects it (seeds/reference/document_templates.csv).
    assert "Y10" not in putuo.tables


def test_shanghai_figures_in_yuan_become_wan_yuan(putuo):
    # p.14, 一般公共预算支出功能分类预算表 (单位：元): 201 03 01 行政运行
    # 12,029,501.84 | 11,919,501.84 | 110,000.00.
    assert putuo.tables["Y05"].amount_unit == "元"
    assert _one(putuo, "Y05", row_code="2010301", column_key="total") == D("1202.950184")
    assert _one(putuo, "Y05", row_code="2010301", column_key="basic") == D("1191.950184")
    assert _one(putuo, "Y05", row_code="2010301", column_key="project") == D("11")
    # p.8, 财务收支预算总表: 收入总计 91,016,775.35 元.
    assert _one(putuo, "Y01", row_key="grand_total", column_group=0) == D("9101.677535")
    # p.20, 三公 table in 万元 (the others in 元): 合计 867.50, 机关运行经费 213.28.
    assert putuo.tables["Y09"].amount_unit == "万元"
    assert _one(putuo, "Y09", column_key="budget_total") == D("867.50")
    assert _one(putuo, "Y09", column_key="budget_office_operation") == D("213.28")


def test_shenzhen_budget(shenzhen):
    # p.1 "2026 年深圳市信访局部门预算"; p.26 "部门名称：深圳市信访局 单位：万元".
    assert (shenzhen.report_kind, shenzhen.fiscal_year) == ("部门预算", 2026)
    assert shenzhen.unit_name == "深圳市信访局"
    # p.26, 一般公共预算支出表（按功能分类）: 2014001 行政运行 1,866.84 | 1,866.84 | 0.00.
    assert _one(shenzhen, "Y05", row_code="2014001", column_key="total") == D("1866.84")
    assert _one(shenzhen, "Y05", row_code="2014001", column_key="project") == D("0")
    # p.27: 2210203 购房补贴 553.33, on the table's second page.
    assert _one(shenzhen, "Y05", row_code="2210203", column_key="total") == D("553.33")
    # The next table, 一般公共预算支出表（按经济分类）, is not read into the functional one.
    assert not [c for c in shenzhen.tables["Y05"].cells
                if c.row_code and c.row_code.startswith("30")]


def test_budget_and_final_accounts_of_one_unit_and_year_both_stay_current(
        seed_path, tmp_path):
    # A revision replaces the same document; the budget of a unit and year does not
    # supersede its 决算 (the seed, with its own words changed to 预算, is its budget).
    budget = tmp_path / "budget.txt"
    budget.write_text(seed_path.read_text("utf-8").replace("决算", "预算"), "utf-8")
    final_facts = interpret(read_document(seed_path))
    budget_facts = interpret(read_document(budget))
    assert budget_facts.report_kind == "部门预算" and not budget_facts.fatal
    assert (budget_facts.unit_name, budget_facts.fiscal_year) == (
        final_facts.unit_name, final_facts.fiscal_year)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(con)
    load_report(con, final_facts, str(seed_path))
    load_report(con, budget_facts, str(budget))
    rows = con.execute("select report_kind, revision, is_superseded from raw.reports "
                       "order by report_kind").fetchall()
    assert rows == [("部门决算", 1, False), ("部门预算", 1, False)]
    # The budget's tables keep their own codes, never a 决算's 01-09.
    codes = {r[0] for r in con.execute(
        "select distinct t.table_code from raw.report_tables t join raw.reports r "
        "using (report_id) where r.report_kind = '部门预算'").fetchall()}
    # Y01-Y09 as printed; Y10 (财政拨款支出表, universities) is optional and not printed here:
    # not recorded (seeds/reference/document_templates.csv).
    assert codes == {f"Y{i:02d}" for i in range(1, 10)}


def test_a_budget_whose_tables_are_in_another_file_is_named_so(tmp_path):
    # 北京 publishes 附件1 (情况说明) and 附件2 (报表) as two files; the first is one part of a
    # report (tests/test_budget_parts.py loads it with its partner), not a report of nine
    # missing tables.
    doc = tmp_path / "note.txt"
    doc.write_text("北京市某某局2026年度部门预算信息公开\n\n第一部分 2026年度部门预算情况说明\n\n"
                   "一、部门情况说明\n\n本部门主要职责是……。\n\n"
                   "附件：北京市某某局2026年度部门预算报表\n", "utf-8")
    facts = interpret(read_document(doc))
    assert facts.report_kind == "部门预算" and not facts.fatal
    assert facts.tables_elsewhere == "附件：北京市某某局2026年度部门预算报表"
    [problem] = [p for p in facts.problems if p.kind == "tables_in_other_file"]
    assert "note.txt:L" in str(problem.location)


def test_a_document_of_no_known_kind_is_an_error_saying_so(tmp_path):
    doc = tmp_path / "minutes.txt"
    doc.write_text("会议纪要\n\n今天讨论了预算编制工作。\n", "utf-8")
    facts = interpret(read_document(doc))
    assert [p.kind for p in facts.fatal] == ["unknown_document_kind"]
    assert facts.report_kind is None


def test_a_wrapped_title_and_a_long_unit_line_above_the_grid(tmp_path):
    # 西安 wraps its 三公 title over two lines; 上海市财政局's unit line is long enough to look
    # like prose. Neither ends the table: its header and figures are read under the title.
    doc = tmp_path / "budget.txt"
    doc.write_text(
        "某某局2026年度部门预算\n\n"
        "2026年部门综合预算一般公共预算拨款“三公”经费、\n"
        "会议费、培训费表（不含上年结转）\n"
        "编制单位：上海市某某综合管理事务中心（上海市某某科学研究所）\n"
        "单位：万元\n\n"
        "\t合计\n\t因公出国（境）费\n\t公务接待费\n\t会议费\n\n"
        "\t14.00\n\t10.00\n\t2.00\n\t2.00\n", "utf-8")
    facts = interpret(read_document(doc))
    table = facts.tables["Y09"]
    assert table.title == "2026年部门综合预算一般公共预算拨款“三公”经费、会议费、培训费表（不含上年结转）"
    assert {c.column_key: c.value_wan_yuan for c in table.cells} == {
        None: D("14.00"), "budget_outbound": D("10.00"), "budget_reception": D("2.00"),
        "budget_meeting": D("2.00")}
