"""A budget against the 决算 that reports on it, through the real pipeline (`juesuan run`:
Dagster, dbt build, GX): 财政拨款 per 功能分类 项 (budget N against 决算 N), and the budget's
上年结转 against last year's 决算 (budget N against 决算 N-1).

Corpus (tests/fixtures/budgets, see its README; figures read by hand from the PDFs' page text):
- 西南大学's 2023 预算 and 2023 决算, the one real pair of the same unit and year in the corpus:
  the budget's 财政拨款支出预算表 (p.10) against the 决算's 表4 高等学校财政拨款支出决算表
  (pp.14-15).
- 深圳市信访局's 2026 budget, whose 收支总表 prints `上年结余、结转 7.34` (p.16), against its
  2025 决算. No 决算 N-1 of a budget that prints a 上年结转 line is in the corpus (the one real
  budget N / 决算 N-1 pair, 上海市普陀区财政局 2025/2024, is a 上海 budget, which prints no
  上年结转 line), so the 2025 决算 is the seed 决算 (seeds/reports/caidian-trade-union-2024.txt)
  filed under 深圳市信访局 and 2025, its 公开01表 年末结转和结余 (blank in the seed, L258-261)
  mutated to 7.34: the same figure, so the identity holds.
- The same seed, unmutated (年末结转和结余 blank: 0), filed as 西南大学's 2022 决算: the
  university's budget says 上年结转 93,801.70 (p.7), last year's 决算 says 0: information.
"""

from __future__ import annotations

from decimal import Decimal as D

import duckdb
import pytest

from tests.budget_pairs import pipeline_warehouse, seed_final_as
from tests.conftest import run_pipeline

pytestmark = pytest.mark.e2e

SWU = "西南大学"
SHENZHEN = "深圳市信访局"
# The seed's 公开01表 年末结转和结余 line: its label, its 栏次 59, its blank amount.
CARRYOVER_END = "\t年末结转和结余\n\t59\n\t\n"


def _with_carryover_end(text: str, amount: str) -> str:
    """The seed's 公开01表 年末结转和结余 printed as `amount`."""
    assert text.count(CARRYOVER_END) >= 1
    return text.replace(CARRYOVER_END, f"\t年末结转和结余\n\t59\n\t{amount}\n", 1)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    con = pipeline_warehouse(
        tmp_path_factory.mktemp("budget-across"),
        ["swu-university-2023.pdf", "swu-university-2023-final.pdf", "shenzhen-xinfang-2026.pdf"],
        {"shenzhen-final-2025.txt": _with_carryover_end(seed_final_as(SHENZHEN, 2025), "7.34"),
         "swu-final-2022.txt": seed_final_as(SWU, 2022)})
    yield con
    con.close()


def _evaluations(warehouse, rule_id: str, unit: str) -> dict[str, tuple]:
    rows = warehouse.execute(
        "select e.instance_key, e.lhs_value, e.rhs_value, e.allowed_high, e.status, "
        "e.source_location, e.detail from intermediate.int_audit__evaluations as e "
        "inner join marts.dim_reports as d on d.report_id = e.report_id "
        "where e.rule_id = ? and d.unit_name = ?", [rule_id, unit]).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_the_pair_is_read_as_one_unit_and_year(warehouse):
    assert warehouse.execute(
        "select report_kind, fiscal_year from marts.dim_reports where unit_name = ? "
        "order by fiscal_year, report_kind", [SWU]).fetchall() == [
        ("部门决算", 2022), ("部门决算", 2023), ("部门预算", 2023)]


def test_appropriation_per_item_budget_against_final(warehouse):
    got = _evaluations(warehouse, "B.item_appropriation", SWU)
    # 13 项 printed by either table (p.10, pp.14-15).
    assert len(got) == 13
    # Equal to the 分: 来华留学教育 570.14, 其他留学教育支出 738.86, 机构运行 828.72, 基本养老保险
    # 8,897.19, 职业年金 4,448.60, 住房公积金 7,448.44, 购房补贴 180.59.
    equal = {"2050602", "2050699", "2060201", "2080505", "2080506", "2210201", "2210203"}
    assert {k for k, v in got.items() if v[3] == "pass"} == equal
    assert got["2080505"][:2] == (D("8897.19"), D("8897.19"))
    # The other six differ, each beyond the ± 0.01 two figures to the 分 allow:
    # 实验室及相关设施 350.00 → 1,707.93: + 1,357.93, exactly the 决算's 其中：基本建设资金支出
    # (p.15), a mid-year capital addition;
    assert got["2060204"][:4] == (D("350"), D("1707.93"), D("0.01"), "fail")
    # 高等教育 181,866.03 → 186,663.39, 高中教育 16,600.08 → 16,769.73, 其他教育支出 637.08
    # → 876.03: 项目支出 added during the year;
    assert got["2050205"][:2] == (D("181866.03"), D("186663.39"))
    assert got["2050204"][:2] == (D("16600.08"), D("16769.73"))
    assert got["2059999"][:2] == (D("637.08"), D("876.03"))
    # 小学教育 8,201.15 → 7,970.38: less (项目支出 555.00 → 324.23), not an addition;
    assert got["2050202"][:2] == (D("8201.15"), D("7970.38"))
    # 用于教育事业的彩票公益金支出 109.50 in the budget's table; the 决算's 表4 prints no 229
    # (its 合计 237,100.00 is the four classes 205 + 206 + 208 + 221): 0 there.
    assert got["2296004"][:2] == (D("109.5"), D("0"))
    assert got["2060204"][4].startswith("swu-university-2023.pdf:p.10")
    # Severity info: a finding, never an error or a warning.
    findings = warehouse.execute(
        "select severity, count(*) from marts.audit_findings "
        "where rule_id = 'B.item_appropriation' and severity <> 'indeterminate' group by 1"
    ).fetchall()
    assert findings == [("info", 6)]


def test_the_mart_puts_budget_and_final_side_by_side(warehouse):
    rows = {r[0]: r[1:] for r in warehouse.execute(
        "select function_code, budget_wan_yuan, initial_budget_wan_yuan, final_wan_yuan, status "
        "from marts.fct_budget_vs_final_by_function where unit_name = ? and fiscal_year = 2023",
        [SWU]).fetchall()}
    # The 决算's 情况说明 quotes 决算数 only (pp.17-18), no 年初预算: null, never 0.
    assert rows["2060204"] == (D("350"), None, D("1707.93"), "info")
    assert rows["2210201"] == (D("7448.44"), None, D("7448.44"), "pass")
    # by phase, one row per document: the budget's p.10 and the 决算's p.15
    assert warehouse.execute(
        "select phase, total_wan_yuan, basic_wan_yuan, project_wan_yuan "
        "from marts.fct_function_budget_and_final where unit_name = ? and function_code = ? "
        "order by phase", [SWU, "2060204"]).fetchall() == [
        ("决算", D("1707.93"), None, D("1707.93")), ("预算", D("350"), None, D("350"))]


def test_carryover_against_last_years_final(warehouse):
    # 深圳 p.16: 上年结余、结转 7.34; its 2025 决算's 年末结转和结余 7.34: equal.
    [(lhs, rhs, allowed, status, location, _)] = _evaluations(
        warehouse, "B.carryover_prior_final", SHENZHEN).values()
    assert (lhs, rhs, allowed, status) == (D("7.34"), D("7.34"), D("0.01"), "pass")
    assert location.startswith("shenzhen-xinfang-2026.pdf:p.16")
    # 西南大学 p.7: 上年结转 93,801.70; its 2022 决算 prints 年末结转和结余 blank (an exact 0):
    # information (the budget's figure is an estimate), at the budget's figure.
    [(severity, lhs, rhs, location, message)] = warehouse.execute(
        "select severity, lhs_wan_yuan, rhs_wan_yuan, source_location, message "
        "from marts.audit_findings where rule_id = 'B.carryover_prior_final' "
        "and severity <> 'indeterminate'").fetchall()
    assert (severity, lhs, rhs) == ("info", D("93801.7"), D("0"))
    assert location.startswith("swu-university-2023.pdf:p.7")
    assert "预计数" in message


def test_a_budget_whose_final_is_not_loaded_is_unknown(warehouse):
    # 深圳's 2026 决算 is not loaded: its 财政拨款 per 项 is unknown, never compared with 0.
    [(_, _, _, status, _, detail)] = _evaluations(
        warehouse, "B.item_appropriation", SHENZHEN).values()
    assert status == "indeterminate"
    assert detail == "同年决算未载入：深圳市信访局 2026年决算 is not loaded"
    assert warehouse.execute(
        "select count(*) from marts.fct_budget_vs_final_by_function where unit_name = ? "
        "and fiscal_year = 2026 and status <> 'indeterminate'", [SHENZHEN]).fetchone() == (0,)


def test_last_years_final_loaded_later_decides_the_budget(tmp_path):
    # An incremental build: the budget alone is unknown against last year's 决算; when that 决算
    # arrives in a later run, the budget (next year of the queued unit) is evaluated again.
    con = pipeline_warehouse(tmp_path, ["shenzhen-xinfang-2026.pdf"], {})
    [(status, detail)] = con.execute(
        "select status, detail from intermediate.int_audit__evaluations "
        "where rule_id = 'B.carryover_prior_final'").fetchall()
    con.close()
    assert (status, detail) == ("indeterminate", "上年决算未载入：深圳市信访局 2025年决算 is not loaded")
    reports = tmp_path / "reports"
    (reports / "shenzhen-final-2025.txt").write_text(
        _with_carryover_end(seed_final_as(SHENZHEN, 2025), "7.34"), "utf-8")
    run_pipeline(reports, tmp_path / "w.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute(
        "select lhs_value, rhs_value, status from intermediate.int_audit__evaluations "
        "where rule_id = 'B.carryover_prior_final'").fetchall() == [(D("7.34"), D("7.34"), "pass")]
    con.close()
