"""The dashboards' questions to the BI file, shared by the app and the static export.

Every choice a user makes (year, units, filters) is a bind parameter; the SQL text is fixed.
Only current report revisions are compared.
"""

from __future__ import annotations

import pandas as pd

from dagster_project.dashboards.data import in_list, query


def years() -> list[int]:
    return [int(y) for y in query("select distinct fiscal_year from marts.dim_reports "
                                  "where is_current order by 1 desc")["fiscal_year"]]


def units(year: int | None = None) -> list[str]:
    if year is None:
        frame = query("select distinct unit_name from marts.dim_reports where is_current order by 1")
    else:
        frame = query("select distinct unit_name from marts.dim_reports "
                      "where is_current and fiscal_year = ? order by 1", [year])
    return list(frame["unit_name"])


def reports_by_year_and_kind() -> pd.DataFrame:
    return query("select fiscal_year as 年度, report_kind as 类型, count(*) as 报告数 "
                 "from marts.dim_reports where is_current group by all order by 1, 2")


def load_problems() -> pd.DataFrame:
    """Files that failed to load, and reports loaded without some of their tables."""
    return query("select file_name as 文件, "
                 "case when is_fatal then '未加载' else '已加载（缺表）' end as 结果, "
                 "error_kind as 类型, message as 说明, coalesce(source_location, '') as 位置 "
                 "from marts.fct_load_problems order by is_fatal desc, file_name, error_kind")


def findings_by_severity_and_family() -> pd.DataFrame:
    return query("select severity as 严重性, rule_family as 规则族, count(*) as 发现数 "
                 "from marts.audit_findings group by all order by 1, 2")


SUMMARY_SQL = """
select
    s.unit_name, s.fiscal_year, s.expenditure_total_wan_yuan, s.basic_wan_yuan,
    s.project_wan_yuan, s.basic_share_pct, s.project_share_pct,
    s.personnel_wan_yuan, s.public_wan_yuan, s.personnel_share_pct,
    cast(100 * s.public_wan_yuan / nullif(s.expenditure_total_wan_yuan, 0) as decimal(12, 4))
        as public_share_pct,
    s.three_public_final_wan_yuan, s.three_public_per_10k_expenditure,
    s.operating_cost_wan_yuan,
    cast(10000 * s.operating_cost_wan_yuan / nullif(s.expenditure_total_wan_yuan, 0)
         as decimal(14, 4)) as operating_cost_per_10k_expenditure,
    s.initial_budget_wan_yuan, s.computed_completion_pct,
    prev.expenditure_total_wan_yuan as prior_expenditure_wan_yuan,
    -- last year's total as loaded, else the one the 情况说明 implies; neither: unknown
    cast(100 * (s.expenditure_total_wan_yuan
                - coalesce(prev.expenditure_total_wan_yuan, s.prior_year_expenditure_implied_wan_yuan))
         / nullif(coalesce(prev.expenditure_total_wan_yuan,
                           s.prior_year_expenditure_implied_wan_yuan), 0) as decimal(14, 4))
        as yoy_change_pct,
    s.error_count, s.warning_count, s.indeterminate_count
from marts.fct_unit_year_summary as s
left join marts.fct_unit_year_summary as prev
    on prev.unit_name = s.unit_name and prev.fiscal_year = s.fiscal_year - 1
"""


def compare(year: int, chosen: list[str]) -> pd.DataFrame:
    if not chosen:
        return query(SUMMARY_SQL + " where false")
    marks, params = in_list(chosen)
    return query(SUMMARY_SQL + f" where s.fiscal_year = ? and s.unit_name in {marks} "
                 "order by s.expenditure_total_wan_yuan desc", [year, *params])


def expenditure_by_class(year: int, chosen: list[str]) -> pd.DataFrame:
    """公开03表 (every fund) by 功能分类 类, per unit."""
    if not chosen:
        return pd.DataFrame(columns=["unit_name", "function_code", "function_name", "total_wan_yuan"])
    marks, params = in_list(chosen)
    return query("select unit_name, function_code, function_name, total_wan_yuan "
                 "from marts.fct_expenditure_by_function "
                 f"where is_current and source_table = '03' and function_level = 1 "
                 f"and fiscal_year = ? and unit_name in {marks} order by 1, 2", [year, *params])


def unit_series(unit: str) -> pd.DataFrame:
    return query(SUMMARY_SQL + " where s.unit_name = ? order by s.fiscal_year", [unit])


def unit_findings_per_year(unit: str) -> pd.DataFrame:
    return query("select fiscal_year as 年度, severity as 严重性, count(*) as 发现数 "
                 "from marts.audit_findings where unit_name = ? group by all order by 1, 2", [unit])


def findings(severities: list[str], families: list[str], chosen_units: list[str],
             chosen_years: list[int], rules: list[str], limit: int = 200) -> pd.DataFrame:
    where, params = ["true"], []
    for column, values in (("severity", severities), ("rule_family", families),
                           ("unit_name", chosen_units), ("fiscal_year", chosen_years),
                           ("rule_id", rules)):
        if values:
            marks, vals = in_list(values)
            where.append(f"{column} in {marks}")
            params += vals
    return query("select finding_id, severity, rule_family, rule_id, unit_name, fiscal_year, "
                 "table_code, source_location, message from marts.audit_findings "
                 f"where {' and '.join(where)} "
                 "order by case severity when 'error' then 0 when 'warning' then 1 "
                 "when 'indeterminate' then 2 else 3 end, unit_name, fiscal_year, rule_id, "
                 "finding_id limit ?", [*params, limit])


def finding(finding_id: str) -> pd.DataFrame:
    return query("select f.*, r.file_name, r.file_path, r.file_format "
                 "from marts.audit_findings as f "
                 "join marts.dim_reports as r using (report_id) where f.finding_id = ?",
                 [finding_id])


def finding_cells(finding_id: str) -> pd.DataFrame:
    return query("select * from marts.audit_finding_cells where finding_id = ? "
                 "order by file_name, page_no, line_no, bbox_top, bbox_x0", [finding_id])


def distinct(column: str) -> list:
    allowed = {"severity", "rule_family", "rule_id", "unit_name", "fiscal_year"}
    if column not in allowed:  # a fixed list of column names, never a user's text
        raise ValueError(column)
    return list(query(f"select distinct {column} from marts.audit_findings order by 1")[column])


def budget_reports() -> int:
    """Loaded 部门预算 reports (the budgets issue loads them with report_kind 部门预算/单位预算)."""
    return int(query("select count(*) as n from marts.dim_reports "
                     "where is_current and report_kind like '%预算'")["n"].iat[0])


def budget_against_final(year: int) -> pd.DataFrame:
    """Per unit and 功能分类 项: the budget's appropriation beside the 决算's total, as the mart
    compares them (within rounding: pass; a difference: info; the 决算 not loaded:
    indeterminate, its amount unknown rather than 0). Units with a budget loaded only."""
    return query("""
        select unit_name, function_code, function_name, budget_wan_yuan, final_wan_yuan,
               final_wan_yuan - budget_wan_yuan as difference_wan_yuan, status
        from marts.fct_budget_vs_final_by_function
        where fiscal_year = ? and budget_loaded
        order by 1, 2""", [year])
