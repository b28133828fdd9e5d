"""A real budget through the real pipeline (`juesuan run`: Dagster, dbt build, GX): its kind in
the marts, its cells with phase 预算, its 功能分类 rows beside the 决算's, and the comparison
indeterminate while no 决算 of the unit and year is loaded. Figures read by hand from
tests/fixtures/budgets/shanghai-putuo-office-unit-2025.pdf (see its README)."""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_pipeline

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).parent / "fixtures" / "budgets" / "shanghai-putuo-office-unit-2025.pdf"
UNIT = "上海市普陀区人民政府办公室"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("budget-marts")
    reports = tmp / "reports"
    reports.mkdir()
    shutil.copy(FIXTURE, reports)
    db = tmp / "w.duckdb"
    run_pipeline(reports, db)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_the_budget_is_a_report_of_its_kind(warehouse):
    assert warehouse.execute(
        "select report_kind, fiscal_year, is_current from marts.dim_reports where unit_name = ?",
        [UNIT]).fetchall() == [("单位预算", 2025, True)]
    # Every cell of the budget is in the marts with its phase, its table and its place.
    phases = warehouse.execute(
        "select distinct phase from marts.fct_table_cells").fetchall()
    assert phases == [("预算",)]
    [(location,)] = warehouse.execute(
        "select source_location from marts.fct_table_cells where table_code = 'Y05' "
        "and row_code = '2010301' and column_key = 'total'").fetchall()
    assert location.startswith("shanghai-putuo-office-unit-2025.pdf:p.14")


def test_function_rows_by_phase_and_the_comparison_without_a_final(warehouse):
    # p.14: 201 03 01 行政运行 12,029,501.84 | 11,919,501.84 | 110,000.00 (元).
    row = warehouse.execute(
        "select phase, total_wan_yuan, basic_wan_yuan, project_wan_yuan "
        "from marts.fct_function_budget_and_final where function_code = '2010301'").fetchall()
    assert row == [("预算", D("1202.950184"), D("1191.950184"), D("11"))]
    # No 决算 of 2025 is loaded: the budget is known, the final is not, and the comparison
    # says so instead of reading the absent figure as 0.
    compared = warehouse.execute(
        "select budget_wan_yuan, final_wan_yuan, final_loaded, status "
        "from marts.fct_budget_vs_final_by_function "
        "where unit_name = ? and fiscal_year = 2025 and function_code = '2010301'",
        [UNIT]).fetchall()
    assert compared == [(D("1202.950184"), None, False, "indeterminate")]
    assert warehouse.execute(
        "select count(*) from marts.fct_budget_vs_final_by_function "
        "where status <> 'indeterminate'").fetchone() == (0,)


def test_the_final_accounts_audit_leaves_the_budget_alone(warehouse):
    # A budget is checked by the rules of a budget's tables only: no 决算 rule (公开01表 …, the
    # 情况说明's, the statements') is evaluated on it, so nothing says 公开01表 is missing.
    foreign = warehouse.execute(
        "select distinct e.rule_id from intermediate.int_audit__evaluations as e "
        "anti join intermediate.int_audit__rules as r "
        "on r.rule_id = e.rule_id and r.phase = '预算'").fetchall()
    assert foreign == []
    assert warehouse.execute(
        "select count(*) from marts.audit_findings where message like '%公开%'").fetchone() == (0,)


def _evaluations(warehouse, rule_id):
    return warehouse.execute(
        "select instance_key, lhs_value, rhs_value, allowed_high, status, table_code, "
        "source_location from intermediate.int_audit__evaluations where rule_id = ? "
        "order by instance_key", [rule_id]).fetchall()


def test_budget_identities_hold_within_the_budget(warehouse):
    # p.8 收支总表: 收入总计 91,016,775.35 = 支出总计 91,016,775.35 (元); printed to the 分, each
    # figure stands for ± 0.005 元, so the two sides may differ by 0.01 元 = 0.000001 万元.
    [(_, lhs, rhs, allowed, status, table, location)] = _evaluations(warehouse, "T01.balance")
    assert (lhs, rhs, allowed, status, table) == (
        D("9101.677535"), D("9101.677535"), D("0.000001"), "pass", "Y01")
    assert location.startswith("shanghai-putuo-office-unit-2025.pdf:p.8:")
    # The same rule as a 决算's 公开01表, one name for one thing: p.13 财政拨款收支总表 too.
    [(_, lhs, _, _, status, table, _)] = _evaluations(warehouse, "T04.balance")
    assert (lhs, status, table) == (D("9101.677535"), "pass", "Y04")
    # p.15: 一般公共预算支出 基本支出 合计 24,606,775.35 = p.19: 基本支出经济分类表 合计 24,606,775.35.
    [(_, lhs, rhs, _, status, _, location)] = _evaluations(warehouse, "XY05_Y06.basic")
    assert (lhs, rhs, status) == (D("2460.677535"), D("2460.677535"), "pass")
    assert location.startswith("shanghai-putuo-office-unit-2025.pdf:p.15:")
    # pp.18-19: every row 合计 = 人员经费 + 公用经费 (4 类, 25 款, 合计: 30 rows), and 合计 =
    # Σ类 in each of the 3 columns: 21,170,337.81 + 1,932,777.54 + 1,303,660.00 + 200,000.00.
    rows = _evaluations(warehouse, "TY06.personnel_public")
    assert len(rows) == 30 and {r[4] for r in rows} == {"pass"}
    totals = {r[0]: r for r in _evaluations(warehouse, "TY06.total_by_class")}
    assert totals["合计/total"][1:3] == (D("2460.677535"), D("2460.677535"))
    # pp.14-15 一般公共预算支出表 (the rule of 公开05表): 合计 = 基本 + 项目 on its 21 rows, and
    # 类 = Σ款 = Σ项 (201: 82,096,797.42 = 201 03's 82,096,797.42).
    assert {r[4] for r in _evaluations(warehouse, "T05.row_split")} == {"pass"}
    assert len(_evaluations(warehouse, "T05.row_split")) == 21
    by_class = {r[0]: r for r in _evaluations(warehouse, "T05.class_by_kuan")}
    assert by_class["201/total"][1:3] == (D("8209.679742"), D("8209.679742"))
    # p.20 三公 (万元): 合计 867.50 = 因公出国 839.00 + 公务用车 (blank: an exact 0) + 公务接待
    # 28.50; three figures printed to 0.01 万元, ± 0.005 each.
    [(_, lhs, rhs, allowed, status, table, _)] = _evaluations(warehouse, "T09.budget_items")
    assert (lhs, rhs, allowed, status, table) == (
        D("867.5"), D("867.5"), D("0.015"), "pass", "Y09")


def test_an_identity_the_budget_cannot_decide_is_indeterminate_and_says_why(warehouse):
    # The 上海 收支总表 prints no 本年支出合计 line (p.8: the 功能分类 lines, then 支出总计):
    # the sum of the classes has nothing to equal, which is unknown, not a failure.
    [(message, location)] = warehouse.execute(
        "select message, source_location from marts.audit_findings "
        "where rule_id = 'T01.expenditure_total'").fetchall()
    assert "预算01表 has no cell Y01/1/key:expenditure_total/amount" in message
    assert location.startswith("shanghai-putuo-office-unit-2025.pdf:p.8:")
    assert warehouse.execute(
        "select count(*) from marts.audit_findings where severity in ('error', 'warning')"
    ).fetchone() == (0,)


def test_the_dashboards_budget_view_reads_the_comparison(warehouse, monkeypatch):
    # The run published the marts beside the warehouse; the 预算与决算 view's query shows the
    # budget's 行政运行 (p.14: 12,029,501.84 元) with the 决算 unknown, never as 0.
    from dagster_project.dashboards import queries

    [(path,)] = warehouse.execute("select path from duckdb_databases() "
                                  "where database_name = current_database()").fetchall()
    monkeypatch.setenv("JUESUAN_BI", str(Path(path).with_name("bi.duckdb")))
    frame = queries.budget_against_final(2025)
    row = frame[frame["function_code"] == "2010301"].iloc[0]
    assert (row["unit_name"], row["budget_wan_yuan"], row["status"]) == (
        UNIT, D("1202.950184"), "indeterminate")
    assert row["final_wan_yuan"] is None
