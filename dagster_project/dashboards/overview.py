"""总览: reports by year and kind, load problems, findings by severity and family."""

from __future__ import annotations

import streamlit as st

from dagster_project.dashboards import charts, queries
from dagster_project.dashboards.common import chart_and_table, ready
from dagster_project.dashboards.data import scalar
from dagster_project.dashboards.findings import SEVERITY


def render() -> None:
    st.title("总览")
    if not ready():
        return
    published = scalar("select max(published_at) from publication")
    st.caption(f"数据发布于 {published:%Y-%m-%d %H:%M:%S} UTC")
    reports = queries.reports_by_year_and_kind()
    st.subheader("报告（按年度与类型）")
    chart_and_table(charts.bars(reports.astype({"年度": str}), "年度", "报告数", "类型",
                                "报告数", unit="份"), reports, "overview-reports")
    st.subheader("加载问题")
    problems = queries.load_problems()
    if problems.empty:
        st.success("所有文件均已加载，9 张公开表均已读取。")
    else:
        st.table(problems)
    st.subheader("审核发现（按严重性与规则族）")
    found = queries.findings_by_severity_and_family()
    found["严重性"] = found["严重性"].map(lambda s: SEVERITY.get(s, s))
    chart_and_table(charts.bars(found, "规则族", "发现数", "严重性", "发现数", unit="条"),
                    found, "overview-findings")
