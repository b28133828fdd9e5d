"""A real budget through the real pipeline (`juesuan run`: Dagster, dbt build, GX): its kind in
the marts, its cells with phase 预算, its 功能分类 rows beside the 决算's, the identities within
the budget, and the budget against the 决算 of its unit and year.

Corpus: the 上海 单位预算 (tests/fixtures/budgets/shanghai-putuo-office-unit-2025.pdf, figures
read by hand from the PDF, see its README) and the seed 决算 (seeds/reports/caidian-trade-union-
2024.txt) filed under the budget's unit twice: as its 2025 决算 (the pair a budget is checked
against: another unit's figures, so the comparisons fail where the documents disagree) and as
its 2024 决算 (a 决算 whose budget is not loaded)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.budget_pairs import pipeline_warehouse, seed_final_as

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).parent / "fixtures" / "budgets" / "shanghai-putuo-office-unit-2025.pdf"
UNIT = "上海市普陀区人民政府办公室"
BUDGET_REPORTS = "select report_id from marts.dim_reports where report_kind like '%预算'"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    con = pipeline_warehouse(
        tmp_path_factory.mktemp("budget-marts"), [FIXTURE.name],
        {"final-2025.txt": seed_final_as(UNIT, 2025), "final-2024.txt": seed_final_as(UNIT, 2024)})
    yield con
    con.close()


def test_the_budget_is_a_report_of_its_kind(warehouse):
    assert warehouse.execute(
        "select report_kind, fiscal_year, is_current from marts.dim_reports where unit_name = ? "
        "and report_kind like '%预算'", [UNIT]).fetchall() == [("单位预算", 2025, True)]
    # Every cell of the budget is in the marts with its phase, its table and its place.
    assert warehouse.execute(
        "select distinct phase from marts.fct_table_cells where table_code like 'Y%'"
    ).fetchall() == [("预算",)]
    [(location,)] = warehouse.execute(
        "select source_location from marts.fct_table_cells where table_code = 'Y05' "
        "and row_code = '2010301' and column_key = 'total'").fetchall()
    assert location.startswith("shanghai-putuo-office-unit-2025.pdf:p.14")


def test_function_rows_by_phase_and_the_comparison_with_the_final(warehouse):
    # p.14: 201 03 01 行政运行 12,029,501.84 | 11,919,501.84 | 110,000.00 (元).
    row = warehouse.execute(
        "select phase, total_wan_yuan, basic_wan_yuan, project_wan_yuan "
        "from marts.fct_function_budget_and_final where function_code = '2010301'").fetchall()
    assert row == [("预算", D("1202.950184"), D("1191.950184"), D("11"))]
    compared = {r[0]: r[1:] for r in warehouse.execute(
        "select fiscal_year || '/' || function_code, budget_wan_yuan, final_wan_yuan, "
        "final_loaded, status, initial_budget_wan_yuan "
        "from marts.fct_budget_vs_final_by_function where unit_name = ?", [UNIT]).fetchall()}
    # 2025: the 决算 is loaded and prints no 2010301, so its final is 0, and the budget's
    # 1202.950184 against it is information (a mid-year change is normal, not an error); the
    # 决算's 情况说明 quotes no 年初预算 for it: null.
    assert compared["2025/2010301"] == (D("1202.950184"), D("0"), True, "info", None)
    # The seed's 公开05表 prints 2012901 行政运行 343.90 (seed L1888: 支出决算为343.90万元),
    # which the budget does not print: 0 in the budget; the 情况说明 quotes its 年初预算
    # 269.04 (L1888), side by side with both.
    assert compared["2025/2012901"] == (D("0"), D("343.9"), True, "info", D("269.04"))
    # 2024: only the 决算 is loaded; the budget is unknown, never 0.
    assert compared["2024/2012901"] == (None, D("343.9"), True, "indeterminate", D("269.04"))


def test_the_final_accounts_audit_leaves_the_budget_alone(warehouse):
    # A budget is checked by the rules of a budget's tables and by the budget-against-决算
    # rules only: no 决算 rule (公开01表 …, the 情况说明's, the statements') is evaluated on
    # it, so nothing says 公开01表 is missing from a budget.
    foreign = warehouse.execute(
        "select distinct e.rule_id from intermediate.int_audit__evaluations as e "
        f"where e.report_id in ({BUDGET_REPORTS}) and e.rule_family <> 'across_documents' "
        "and e.rule_id not in (select rule_id from intermediate.int_audit__rules "
        "where phase = '预算')").fetchall()
    assert foreign == []
    assert warehouse.execute(
        f"select count(*) from marts.audit_findings where report_id in ({BUDGET_REPORTS}) "
        "and rule_family in ('within_table', 'across_tables') and message like '%公开%'"
    ).fetchone() == (0,)


def _evaluations(warehouse, rule_id):
    return warehouse.execute(
        "select instance_key, lhs_value, rhs_value, allowed_high, status, table_code, "
        "source_location from intermediate.int_audit__evaluations where rule_id = ? "
        f"and report_id in ({BUDGET_REPORTS}) order by instance_key", [rule_id]).fetchall()


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
        f"select count(*) from marts.audit_findings where report_id in ({BUDGET_REPORTS}) "
        "and rule_family in ('within_table', 'across_tables') "
        "and severity in ('error', 'warning')").fetchone() == (0,)


def test_the_budget_against_the_final_accounts_of_its_year(warehouse):
    # 三公: the budget's 867.50 (p.20) against the 2025 决算's 公开09表, declared empty (seed
    # L1843 本部门…无财政拨款三公经费支出: a real 0). A warning, saying that 09's 预算数 is the
    # adjusted full-year budget, located at the budget's figure.
    [(severity, lhs, rhs, location, message)] = warehouse.execute(
        "select severity, lhs_wan_yuan, rhs_wan_yuan, source_location, message "
        "from marts.audit_findings where rule_id = 'B.three_public_budget'").fetchall()
    assert (severity, lhs, rhs) == ("warning", D("867.5"), D("0"))
    assert location.startswith("shanghai-putuo-office-unit-2025.pdf:p.20:")
    assert "调整后的全年预算" in message
    # The 决算's 情况说明 quotes 行政运行 (群众团体事务, 2012901) 年初预算 269.04 (seed L1888);
    # the budget's 一般公共预算支出表 (pp.14-15) prints no 2012901: 0 against 269.04, an error
    # located at the sentence.
    [(severity, lhs, rhs, location)] = warehouse.execute(
        "select severity, lhs_wan_yuan, rhs_wan_yuan, source_location from marts.audit_findings "
        "where rule_id = 'B.item_initial_budget' and row_code = '2012901'").fetchall()
    assert (severity, lhs, rhs) == ("error", D("0"), D("269.04"))
    assert location == "final-2025.txt:L1888"
    # 上年结转 against last year's 决算 (the seed filed as the unit's 2024 决算): the 上海 收支总表
    # prints no 上年结转 line (p.8), so there is nothing to compare: unknown, never 0.
    [(status, detail)] = warehouse.execute(
        "select status, detail from intermediate.int_audit__evaluations "
        "where rule_id = 'B.carryover_prior_final'").fetchall()
    assert (status, detail) == ("indeterminate", "预算01表 has no such cell")
    # Every evaluation of these rules is on the budget: the 2024 决算 has no budget to answer to.
    assert warehouse.execute(
        "select distinct d.report_kind from intermediate.int_audit__evaluations as e "
        "inner join marts.dim_reports as d on d.report_id = e.report_id "
        "where e.rule_family = 'across_documents'").fetchall() == [("单位预算",)]


def test_the_dashboards_budget_view_reads_the_comparison(warehouse, monkeypatch):
    # The run published the marts beside the warehouse; the 预算与决算 view's query shows the
    # budget's 行政运行 (p.14: 12,029,501.84 元) against the 2025 决算, which prints none of it;
    # the view lists units with a budget loaded, so 2024 (only a 决算) shows nothing.
    from dagster_project.dashboards import queries

    [(path,)] = warehouse.execute("select path from duckdb_databases() "
                                  "where database_name = current_database()").fetchall()
    monkeypatch.setenv("JUESUAN_BI", str(Path(path).with_name("bi.duckdb")))
    frame = queries.budget_against_final(2025)
    row = frame[frame["function_code"] == "2010301"].iloc[0]
    assert (row["unit_name"], row["budget_wan_yuan"], row["final_wan_yuan"], row["status"]) == (
        UNIT, D("1202.950184"), D("0"), "info")
    assert queries.budget_against_final(2024).empty


def test_budgets_by_economic_class_and_three_public_by_phase(warehouse):
    # p.18 一般公共预算基本支出部门预算经济分类预算表 (元): 301 工资福利支出 21,170,337.81 |
    # 人员经费 21,170,337.81 | 公用经费 blank; the 2025 决算's 公开06表 30101 基本工资 103.08
    # (seed L1369-1371), the same mart with phase 决算.
    rows = {(r[0], r[1]): r[2:] for r in warehouse.execute(
        "select phase, economic_code, total_wan_yuan, personnel_wan_yuan, public_use_wan_yuan, "
        "source_location from marts.fct_budget_by_economic where fiscal_year = 2025 "
        "and economic_code in ('301', '30101')").fetchall()}
    assert rows[("预算", "301")][:3] == (D("2117.033781"), D("2117.033781"), None)
    assert rows[("预算", "301")][3].startswith("shanghai-putuo-office-unit-2025.pdf:p.18:")
    assert rows[("决算", "30101")][0] == D("103.08")
    # p.20 (万元): 三公 867.50 = 因公出国 839.00 + 公务接待 28.50, 机关运行经费 213.28 beside
    # them; the budget's figures are the 年初预算, and a budget has no 决算数.
    three = {r[0]: r[1:] for r in warehouse.execute(
        "select item_key, budget_wan_yuan, budget_basis, final_wan_yuan "
        "from marts.fct_three_public_by_phase where phase = '预算'").fetchall()}
    assert three["total"] == (D("867.5"), "年初预算", None)
    assert three["office_operation"][0] == D("213.28")
    assert three["reception"][0] == D("28.5")
