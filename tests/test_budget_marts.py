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
    # The 决算 audit's tables and identities are a 决算's: no finding says 公开01表 is missing
    # from a budget.
    assert warehouse.execute("select count(*) from marts.audit_findings").fetchone() == (0,)


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
