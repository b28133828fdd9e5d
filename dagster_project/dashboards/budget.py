"""预算与决算: a unit's 部门预算 against its 决算, per 功能分类 项, once budgets are loaded."""

from __future__ import annotations

import streamlit as st

from dagster_project.dashboards import charts, queries
from dagster_project.dashboards.common import chart_and_table, ready
from dagster_project.dashboards.fmt import table, wan

# the mart's comparison status, as the view prints it
STATUS = {"pass": "一致", "info": "有差异（年中调整等，提示）", "indeterminate": "无法判断（决算未载入）"}


def render() -> None:
    st.title("预算与决算")
    if not ready():
        return
    if queries.budget_reports() == 0:
        st.info("尚未加载部门预算报告：预算与决算的对比要等预算报告加载后才能显示。"
                "现在可在「比较部门」中查看决算报告自身的年初预算与预算完成率。")
        return
    year = st.selectbox("年度", queries.years(), key="budget-year")
    frame = queries.budget_against_final(year)
    if frame.empty:
        st.info(f"{year} 年没有加载预算报告的单位。")
        return
    # units whose 决算 of the year is loaded first: theirs is a comparison, the others' a list
    compared = set(frame.loc[frame["status"] != "indeterminate", "unit_name"])
    units = sorted(set(frame["unit_name"]), key=lambda u: (u not in compared, u))
    unit = st.selectbox("单位", units, key="budget-unit")
    part = frame[frame["unit_name"] == unit]
    counts = part["status"].value_counts()
    st.caption("；".join(f"{STATUS[s]} {counts[s]} 项" for s in STATUS if s in counts)
               + "。差额 = 决算 − 预算；决算未载入时为空，不是 0。")
    long = part.melt(id_vars=["function_name"], value_vars=["budget_wan_yuan", "final_wan_yuan"])
    long["variable"] = long["variable"].map({"budget_wan_yuan": "预算", "final_wan_yuan": "决算"})
    shown = table(part.drop(columns="unit_name"),
                  {"budget_wan_yuan": wan, "final_wan_yuan": wan, "difference_wan_yuan": wan,
                   "status": lambda s: STATUS.get(s, s)}).rename(columns={
        "function_code": "科目编码", "function_name": "功能分类（项）",
        "budget_wan_yuan": "预算（万元）", "final_wan_yuan": "决算（万元）",
        "difference_wan_yuan": "差额（万元）", "status": "比较结果"})
    chart_and_table(charts.bars(long, "function_name", "value", "variable",
                                f"{unit} {year} 年预算与决算（万元）"), shown, "budget-final")
