"""单位历年: one unit's totals and shares as time series, and its findings per year."""

from __future__ import annotations

import streamlit as st

from dagster_project.dashboards import charts, queries
from dagster_project.dashboards.common import chart_and_table, ready
from dagster_project.dashboards.compare import comparison_table
from dagster_project.dashboards.findings import SEVERITY


def render() -> None:
    st.title("单位历年")
    if not ready():
        return
    unit = st.selectbox("单位", queries.units(), key="unit-name")
    series = queries.unit_series(unit)
    totals = comparison_table(series).assign(年度=list(series["fiscal_year"]))
    st.subheader("支出")
    chart_and_table(
        charts.lines(series, "fiscal_year",
                     {"expenditure_total_wan_yuan": "支出合计", "basic_wan_yuan": "基本支出",
                      "project_wan_yuan": "项目支出"}, "支出（万元）"),
        totals[["年度", "支出合计（万元）", "三公经费（万元）", "机关运行经费（万元）"]], "unit-totals")
    st.subheader("占比")
    chart_and_table(
        charts.lines(series, "fiscal_year",
                     {"basic_share_pct": "基本支出占比", "project_share_pct": "项目支出占比",
                      "personnel_share_pct": "人员经费占比", "public_share_pct": "公用经费占比"},
                     "占比", unit="%"),
        totals[["年度", "基本支出占比", "项目支出占比", "人员经费占比", "公用经费占比"]], "unit-shares")
    st.subheader("审核发现（按年度）")
    found = queries.unit_findings_per_year(unit)
    found["严重性"] = found["严重性"].map(lambda s: SEVERITY.get(s, s))
    if found.empty:
        st.success("没有审核发现。")
    else:
        chart_and_table(charts.bars(found.astype({"年度": str}), "年度", "发现数", "严重性",
                                    "发现数", unit="条"), found, "unit-findings")
