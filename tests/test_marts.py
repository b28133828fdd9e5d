"""The marts, built by the real pipeline from the seed report, checked against the source text.

One `juesuan run` per session (the same Dagster job and `dbt build` as production) into a
temporary warehouse; every figure below was read by hand from
seeds/reports/caidian-trade-union-2024.txt, with its line number.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_pipeline

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "seeds" / "reports"

FACTS = {
    # mart: its key column
    "fct_expenditure_by_function": "expenditure_id",
    "fct_income_by_function": "income_id",
    "fct_appropriations": "appropriation_id",
    "fct_basic_expenditure_by_economic": "basic_expenditure_id",
    "fct_three_public_expenses": "three_public_id",
    "fct_performance_budgets": "evaluation_id",
    "fct_performance_indicators": "indicator_id",
    "fct_unit_year_summary": "unit_year_id",
    "fct_table_cells": "cell_id",
}
DIMS = {
    "dim_reports": "report_id",
    "dim_function_codes": "function_code",
    "dim_economic_codes": "economic_code",
}


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory):
    """Run the whole pipeline once on a copy of the seed report; yield a read-only connection."""
    tmp = tmp_path_factory.mktemp("marts")
    reports = tmp / "reports"
    reports.mkdir()
    # The figures below are the seed's; the PDFs have their own tests (test_audit_pdf.py).
    shutil.copy(REPORTS / "caidian-trade-union-2024.txt", reports)
    db = tmp / "w.duckdb"
    run_pipeline(reports, db)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def one(con, sql: str, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, f"{len(rows)} rows for {sql} {params}: {rows[:3]}"
    return rows[0]


def test_03_item_row_with_basic_and_project(warehouse):
    # L730-L733: 2101101 行政单位医疗 | 15.79 | 14.53 | 1.27 (公开03表 支出决算表)
    total, basic, project, name, level, flagged, location = one(
        warehouse,
        """select total_wan_yuan, basic_wan_yuan, project_wan_yuan, function_name,
                  function_level, is_code_flagged, source_location
           from marts.fct_expenditure_by_function
           where source_table = '03' and function_code = '2101101'""")
    assert (total, basic, project) == (Decimal("15.79"), Decimal("14.53"), Decimal("1.27"))
    assert name == "行政单位医疗" and level == 3 and flagged is False
    assert location == "caidian-trade-union-2024.txt:L732"


def test_expenditure_fund_types_follow_the_source_table(warehouse):
    rows = warehouse.execute(
        """select distinct source_table, fund_type from marts.fct_expenditure_by_function
           order by 1""").fetchall()
    assert rows == [("03", "all_funds"), ("05", "general_budget")]


def test_06_economic_row(warehouse):
    # L1389-L1391: 30103 奖金 166.75 (公开06表, 人员经费 side)
    amount, name, level, group, location = one(
        warehouse,
        """select amount_wan_yuan, economic_name, economic_level, cost_group, source_location
           from marts.fct_basic_expenditure_by_economic where economic_code = '30103'""")
    assert amount == Decimal("166.75") and name == "奖金" and level == 2
    assert group == "人员经费"
    assert location == "caidian-trade-union-2024.txt:L1391"
    # L1364: 302 商品和服务支出 34.79 is 公用经费
    assert one(warehouse, """select cost_group, amount_wan_yuan
                             from marts.fct_basic_expenditure_by_economic
                             where economic_code = '302'""") == ("公用经费", Decimal("34.79"))


def test_narrative_item_initial_budget_and_final(warehouse):
    # L1888: 一般公共服务支出（类）群众团体事务（款）行政运行（项）。年初预算为 269.04万元，
    #        支出决算为343.90万元，完成年初预算的127.8%
    # L1217: 公开05表 2012901 行政运行 343.90 (basic 343.75, project 0.15)
    row = one(
        warehouse,
        """select initial_budget_wan_yuan, final_wan_yuan, final_source_table,
                  stated_final_wan_yuan, basic_wan_yuan, project_wan_yuan,
                  stated_completion_pct, computed_completion_pct, narrative_match_method,
                  narrative_source_location
           from marts.fct_appropriations
           where fund_type = 'general_budget' and function_code = '2012901'""")
    (initial, final, source, stated_final, basic, project, stated_pct, computed_pct, method,
     narrative_location) = row
    assert initial == Decimal("269.04") and final == Decimal("343.90") and source == "05"
    assert stated_final == Decimal("343.90")
    assert (basic, project) == (Decimal("343.75"), Decimal("0.15"))
    assert stated_pct == Decimal("127.8")
    assert round(computed_pct, 1) == Decimal("127.8")
    assert method == "table_path"
    assert narrative_location == "caidian-trade-union-2024.txt:L1888"


def test_every_narrative_item_is_matched_to_a_code(warehouse):
    # L1888-L1913: twelve 项 sentences, each names a 项 printed in 公开05表
    rows = warehouse.execute(
        """select function_path, function_code from marts.fct_appropriations
           where function_path is not null order by function_code""").fetchall()
    assert len(rows) == 12
    assert all(code is not None and len(code) == 7 for _, code in rows), rows


def test_fund_total_appropriation(warehouse):
    # L1885: 一般公共预算财政拨款支出年初预算为507.16万元，支出决算为534.74万元，完成年初预算的105.4%
    # L1100: 公开04表 本年支出合计 / 一般公共预算财政拨款 534.74; L836: 收入 534.74
    initial, final, income, stated_pct, computed_pct = one(
        warehouse,
        """select initial_budget_wan_yuan, final_wan_yuan, income_wan_yuan,
                  stated_completion_pct, computed_completion_pct
           from marts.fct_appropriations
           where fund_type = 'general_budget' and row_kind = 'fund_total'""")
    assert (initial, final, income) == (Decimal("507.16"), Decimal("534.74"), Decimal("534.74"))
    assert stated_pct == Decimal("105.4") and round(computed_pct, 1) == Decimal("105.4")


def test_04_class_amount_kept_next_to_05(warehouse):
    # L840: 公开04表 201 一般公共服务支出 387.52; L1205: 公开05表 201 387.53 — both kept
    assert one(warehouse,
               """select final_wan_yuan, table_04_final_wan_yuan from marts.fct_appropriations
                  where fund_type = 'general_budget' and function_code = '201'""") == \
        (Decimal("387.53"), Decimal("387.52"))


def test_indicator_short_of_target(warehouse):
    # L2151-L2153: 整体绩效自评表 年度目标2 宣讲活动10场: 年初目标值 10场, 实际完成值 2场
    row = one(
        warehouse,
        """select evaluation_kind, target_value, actual_value, value_unit, comparator,
                  is_achieved
           from marts.fct_performance_indicators
           where level3_indicator = '宣讲活动10场'""")
    assert row == ("部门整体", Decimal("10"), Decimal("2"), "场", "≥", False)


def test_indicators_met_and_qualitative(warehouse):
    # L2134-L2136: 企业职工满意度 ≧95% / ≧95% — explicit ≥, achieved
    rows = warehouse.execute(
        """select comparator, comparator_source, is_achieved from marts.fct_performance_indicators
           where evaluation_index = 0 and level3_indicator = '企业职工满意度'""").fetchall()
    assert rows and all(r == ("≥", "explicit", True) for r in rows)
    # L2127-L2129: 工会组织得到发展 发展 / 发展 — qualitative, not judged
    assert one(warehouse,
               """select comparator, is_achieved from marts.fct_performance_indicators
                  where level3_indicator = '工会组织得到发展'""") == ("qualitative", None)
    # Only 宣讲活动10场 falls short in the whole report.
    assert warehouse.execute(
        "select count(*) from marts.fct_performance_indicators where not is_achieved"
    ).fetchall() == [(1,)]


def test_performance_budget_rates(warehouse):
    # L2236 职工服务经费: 预算数 33.00, 执行数 13.50, 执行率 printed 40%; computed 40.9%
    # L1965 the 情况说明 says 完成预算的40.9%
    budget, executed, stated, computed, narrative_rate = one(
        warehouse,
        """select budget_wan_yuan, executed_wan_yuan, stated_rate_pct, computed_rate_pct,
                  narrative_rate_pct
           from marts.fct_performance_budgets where project_name = '职工服务经费'""")
    assert (budget, executed) == (Decimal("33.00"), Decimal("13.50"))
    assert stated == Decimal("40") and round(computed, 1) == Decimal("40.9")
    assert narrative_rate == Decimal("40.9")


def test_three_public_expenses(warehouse):
    # L1782: 公开09表 declared empty; L1932-L1942: every item 0.00万元, 0 vehicles
    rows = warehouse.execute(
        """select item_key, table_status, coalesce(final_wan_yuan, 0), stated_final_wan_yuan
           from marts.fct_three_public_expenses order by sort_order""").fetchall()
    assert [r[0] for r in rows] == ["total", "outbound", "vehicle_total", "vehicle_purchase",
                                    "vehicle_operation", "reception"]
    assert all(r[1] == "declared_empty" and r[2] == 0 and r[3] == 0 for r in rows)
    assert one(warehouse, """select stated_vehicles_purchased from marts.fct_three_public_expenses
                             where item_key = 'vehicle_purchase'""") == (0,)
    assert one(warehouse, """select stated_vehicles_held from marts.fct_three_public_expenses
                             where item_key = 'vehicle_operation'""") == (0,)


def test_unit_year_summary(warehouse):
    row = one(
        warehouse,
        """select unit_name, fiscal_year, income_total_wan_yuan, expenditure_total_wan_yuan,
                  basic_wan_yuan, project_wan_yuan, personnel_wan_yuan, public_wan_yuan,
                  three_public_final_wan_yuan, operating_cost_wan_yuan, initial_budget_wan_yuan,
                  prior_year_expenditure_implied_wan_yuan,
                  error_count, warning_count, info_count, indeterminate_count
           from marts.fct_unit_year_summary""")
    assert row[:2] == ("武汉市蔡甸区总工会本级", 2024)
    assert row[2] == Decimal("534.74")  # L243 本年收入合计
    assert row[3] == Decimal("534.74")  # L606 公开03表 合计
    assert row[4:6] == (Decimal("506.87"), Decimal("27.87"))  # L607-L608 基本 / 项目
    assert row[6:8] == (Decimal("472.08"), Decimal("34.79"))  # L1640 / L1642 人员 / 公用经费合计
    assert row[8] == 0  # L1782 / L1932 三公 0
    assert row[9] == Decimal("34.79")  # L1945 机关运行经费
    assert row[10] == Decimal("507.16")  # L1885 年初预算
    assert row[11] == Decimal("552.84")  # L1858 534.74, 减少18.10万元 → 2023: 552.84
    # The three errors read by hand: 整体绩效自评表 基本/项目支出总额 512.24 / 22.5 against
    # 公开03表 506.87 / 27.87 (L2090), and 整体自评 资金506.87 against its table's 534.74 (L1960).
    assert row[12] == 3
    by_severity = dict(warehouse.execute(
        "select severity, count(*) from marts.audit_findings group by 1").fetchall())
    assert row[12:] == tuple(by_severity.get(s, 0)
                             for s in ("error", "warning", "info", "indeterminate"))


def test_summary_shares(warehouse):
    project_share, per_10k, personnel_of_basic = one(
        warehouse,
        """select project_share_pct, three_public_per_10k_expenditure,
                  personnel_share_of_basic_pct from marts.fct_unit_year_summary""")
    assert round(project_share, 1) == Decimal("5.2")  # L1858: 项目支出…占本年支出5.2%
    assert per_10k == 0
    assert round(personnel_of_basic, 1) == Decimal("93.1")  # 472.08 / 506.87


def test_registry_flags(warehouse):
    # Every code of the seed report is in the registry; none is dropped.
    assert warehouse.execute(
        """select count(*) from marts.fct_expenditure_by_function where function_code is null"""
    ).fetchall() == [(0,)]
    codes = warehouse.execute(
        """select count(*), count(*) filter (where is_in_registry)
           from marts.fct_expenditure_by_function""").fetchall()[0]
    assert codes[0] == 40 and codes[1] == codes[0]
    assert warehouse.execute(
        """select count(*) filter (where not is_in_registry) from marts.fct_basic_expenditure_by_economic"""
    ).fetchall() == [(0,)]


@pytest.mark.parametrize("table,key", sorted({**FACTS, **DIMS}.items()))
def test_keys_are_unique_and_not_null(warehouse, table, key):
    rows, distinct, nulls = warehouse.execute(
        f"select count(*), count(distinct {key}), count(*) - count({key}) from marts.{table}"
    ).fetchall()[0]
    assert rows > 0 and rows == distinct and nulls == 0


def test_facts_carry_report_unit_year_and_location(warehouse):
    for table in FACTS:
        cols = {r[0] for r in warehouse.execute(
            """select column_name from information_schema.columns
               where table_schema = 'marts' and table_name = ?""", [table]).fetchall()}
        assert {"report_id", "unit_name", "fiscal_year"} <= cols, table
        assert any("source_location" in c for c in cols), table


def test_money_columns_are_decimal(warehouse):
    cols = warehouse.execute(
        """select table_name, column_name, data_type from information_schema.columns
           where table_schema = 'marts' and column_name like '%\\_wan\\_yuan' escape '\\'""").fetchall()
    assert len(cols) > 50
    wrong = [c for c in cols if not c[2].upper().startswith("DECIMAL")]
    assert wrong == []
    tables = {c[0] for c in cols}
    assert set(FACTS) - {"fct_performance_indicators"} <= tables


def test_marts_are_tables(warehouse):
    kinds = dict(warehouse.execute(
        """select table_name, table_type from information_schema.tables
           where table_schema = 'marts'""").fetchall())
    assert set(FACTS) | set(DIMS) <= set(kinds)
    assert set(kinds.values()) == {"BASE TABLE"}
