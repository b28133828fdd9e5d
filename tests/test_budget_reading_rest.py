"""Reading what a budget table says of itself, on real budgets: a 序号 column, a title's qualifier
on a line of its own, a sentence naming a table, a grid printing no figure. 西安市交通运输局 2022
(xian-transport-2022.pdf) and 烟台市信访局 2026 (yantai-xinfang-2026.pdf), provenance in
tests/fixtures/budgets/README.md. Figures read by hand from the pages (pdfplumber's page text,
checked against the page)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from dagster_project.interpret.report import interpret
from dagster_project.readers import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "budgets"


@pytest.fixture(scope="module")
def transport():
    return interpret(read_document(FIXTURES / "xian-transport-2022.pdf"))


def _one(facts, table, **match):
    [cell] = [c for c in facts.tables[table].cells
              if all(getattr(c, k) == v for k, v in match.items())]
    return cell.value_wan_yuan


def test_row_numbers_are_no_column(transport):
    # p.35 表5: 序号 | 功能科目编码 | 功能科目名称 | 合计 | 人员经费支出 | 公用经费支出 |
    # 专项业务经费支出 | 备注; "1 合计 74868.33 17739.88 1703.46 55424.99".
    y05 = transport.tables["Y05"]
    assert y05.status == "present", y05.reason
    assert _one(transport, "Y05", row_key="total", column_key="total") == D("74868.33")
    assert _one(transport, "Y05", row_key="total", column_key="personnel") == D("17739.88")
    assert _one(transport, "Y05", row_key="total", column_key="public_use") == D("1703.46")
    assert _one(transport, "Y05", row_key="total", column_key="project") == D("55424.99")
    # "2 205 教育支出 179.17 91.39 87.78": the row's code is 205, never its number 2.
    assert _one(transport, "Y05", row_code="205", column_key="total") == D("179.17")
    assert _one(transport, "Y05", row_code="205", column_key="public_use") == D("91.39")
    # p.37, the table's last page: "37 2210203 购房补贴 378.80 378.80".
    assert _one(transport, "Y05", row_code="2210203", column_key="total") == D("378.80")
    assert not any(c.column_label == "序号" for t in transport.tables.values() for c in t.cells)


def test_qualifier_line_ends_the_function_table(transport):
    # p.38 表6 "一般公共预算支出明细表" / "（按经济分类科目分）" is by 经济分类: its rows (301
    # 工资福利支出 …) are no 功能分类 rows of 表5.
    codes = {c.row_code for c in transport.tables["Y05"].cells if c.row_code}
    assert not any(code.startswith("30") for code in codes)
    assert {"205", "208", "214", "221"} <= codes
    # 表8 (p.47) "一般公共预算基本支出明细表" / "（按支出经济分类科目-不含上年结转）" is the 基本支出
    # table: "1 合计 19443.33 17739.85 1703.48".
    y06 = transport.tables["Y06"]
    assert y06.status == "present", y06.reason
    assert y06.location.page == 47
    assert _one(transport, "Y06", row_key="total", column_key="total") == D("19443.33")
    assert _one(transport, "Y06", row_code="301", column_key="total") == D("17067.93")


def test_income_table_with_row_numbers(transport):
    # p.30 表2: 序号 | 单位编码 | 单位名称 | 部门预算 …; "1 合计 74868.34 74868.34 28921.00".
    y02 = transport.tables["Y02"]
    assert y02.status == "present", y02.reason
    totals = [c for c in y02.cells if c.row_key == "total" and c.column_key == "total"]
    assert [c.value_wan_yuan for c in totals] == [D("74868.34")]


def test_a_sentence_naming_a_table_is_no_copy_of_it(transport):
    # p.20 prose: "本部门无国有资本经营预算拨款收支，并在财政拨款收支总体情况表中列示。" names
    # the table; the table itself is 表4 on p.32-34 (its title printed again on each page).
    y04 = transport.tables["Y04"]
    assert y04.status == "present", y04.reason
    assert y04.location.page == 32
    assert not any(p.kind == "repeated_table" for p in transport.problems)
    assert _one(transport, "Y04", row_code="214", column_group=1) == D("70074.57")  # p.32
    assert _one(transport, "Y04", row_code="221", column_group=1) == D("1838.94")   # p.33
    grand = {c.value_wan_yuan for c in y04.cells if c.row_key == "grand_total"}      # p.34
    assert grand == {D("74868.34")}


def test_a_grid_with_no_figure_is_empty_whatever_its_header():
    # 烟台市信访局 2026, 公开表4 财政拨款收支总体情况表 (p.11-12): the 收入 and 支出 lines
    # (一、一般公共预算收入 …, 一、一般公共服务支出 … 收入总计 | 支出总计) over blank amount cells,
    # and "（注：2026年没有使用财政拨款收入和支出。）". Its 公开表2 (p.7) prints 1,717.85 of
    # 一般公共预算: what the two tables say of each other is the audit's, not a reading problem.
    facts = interpret(read_document(FIXTURES / "yantai-xinfang-2026.pdf"))
    y04 = facts.tables["Y04"]
    assert y04.status == "declared_empty", y04.reason
    assert y04.location.page == 11
    assert not any(p.kind == "unreadable_table" for p in facts.problems)
    assert facts.tables["Y02"].status == "present"
    assert _one(facts, "Y02", row_key="total", column_key="general_budget") == D("1717.85")


def test_a_numbered_column_holding_other_text_is_kept():
    # Only a column whose cells are row numbers is left out: one that also holds a code or a
    # name (here 一 and 30101) is not what its 序号 header says, and is kept for the parser to
    # judge.
    from dagster_project.document import Cell, Location
    from dagster_project.interpret.segment import Region
    from dagster_project.interpret.tables import drop_row_numbers

    where = Location("t.pdf", page=1)

    def rows(*texts):
        return [[Cell(t, where) for t in row] for row in texts]

    numbered = Region("Y05", "一般公共预算支出表", where,
                      rows(["序号", "科目编码", "合计"], ["1", "", "5.00"], ["2", "205", "5.00"]))
    assert [[c.text for c in r] for r in drop_row_numbers(numbered).rows] == \
        [["科目编码", "合计"], ["", "5.00"], ["205", "5.00"]]
    other = Region("Y05", "一般公共预算支出表", where,
                   rows(["序号", "科目名称", "合计"], ["一", "教育支出", "5.00"],
                        ["30101", "基本工资", "5.00"]))
    assert drop_row_numbers(other).rows == other.rows
