"""比较部门: for a year and a set of units, expenditure by 功能分类 类 and the shares and ratios
analysts compare, side by side, sortable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dagster_project.dashboards import charts, queries
from dagster_project.dashboards.common import chart_and_table, ready
from dagster_project.dashboards.fmt import number, pct, table, wan

# column -> (heading, format); the order is the table's
COLUMNS = {
    "unit_name": ("单位", str),
    "expenditure_total_wan_yuan": ("支出合计（万元）", wan),
    "basic_share_pct": ("基本支出占比", pct),
    "project_share_pct": ("项目支出占比", pct),
    "personnel_share_pct": ("人员经费占比", pct),
    "public_share_pct": ("公用经费占比", pct),
    "three_public_final_wan_yuan": ("三公经费（万元）", wan),
    "three_public_per_10k_expenditure": ("三公经费/每万元支出", number),
    "operating_cost_wan_yuan": ("机关运行经费（万元）", wan),
    "operating_cost_per_10k_expenditure": ("机关运行经费/每万元支出", number),
    "computed_completion_pct": ("预算完成率", pct),
    "yoy_change_pct": ("支出较上年增减", pct),
}


def comparison_table(frame: pd.DataFrame) -> pd.DataFrame:
    shown = table(frame[list(COLUMNS)], {c: f for c, (_h, f) in COLUMNS.items()})
    return shown.rename(columns={c: h for c, (h, _f) in COLUMNS.items()})


def by_class_table(frame: pd.DataFrame) -> pd.DataFrame:
    shown = table(frame, {"total_wan_yuan": wan})
    return shown.rename(columns={"unit_name": "单位", "function_code": "科目编码",
                                 "function_name": "功能分类（类）", "total_wan_yuan": "支出（万元）"})


@st.fragment
def indicators(frame: pd.DataFrame) -> None:
    """The indicator table, sorted as chosen. A fragment: changing the sort reruns only this
    part, on the frame already fetched - no query, no chart redrawn."""
    sort_by = st.selectbox("排序", [h for c, (h, _f) in COLUMNS.items() if c != "unit_name"],
                           key="compare-sort")
    column = next(c for c, (h, _f) in COLUMNS.items() if h == sort_by)
    descending = st.toggle("从大到小", value=True, key="compare-desc")
    # a missing figure sorts last, never as 0; Decimal compared as float only to order rows
    ordered = frame.sort_values(column, ascending=not descending, na_position="last",
                                key=lambda s: s.map(lambda v: None if v is None else float(v)))
    st.subheader("主要指标")
    st.table(comparison_table(ordered).reset_index(drop=True))
    st.caption(f"按「{sort_by}」{'从大到小' if descending else '从小到大'}排列；缺少的数字排在最后。")


def render() -> None:
    st.title("比较部门")
    if not ready():
        return
    years = queries.years()
    year = st.selectbox("年度", years, key="compare-year")
    all_units = queries.units(year)
    chosen = st.multiselect("单位", all_units, default=all_units[:8], key="compare-units")
    if not chosen:
        st.info("请选择至少一个单位。")
        return
    frame = queries.compare(year, chosen)
    indicators(frame)
    st.subheader("支出（按功能分类 类）")
    by_class = queries.expenditure_by_class(year, chosen)
    chart_and_table(charts.bars(by_class, "function_name", "total_wan_yuan", "unit_name",
                                "支出（按功能分类 类）"), by_class_table(by_class), "compare-class")
    st.subheader("基本/项目、人员/公用经费占比")
    shares = frame.melt(id_vars="unit_name",
                        value_vars=["basic_share_pct", "project_share_pct",
                                    "personnel_share_pct", "public_share_pct"])
    shares["variable"] = shares["variable"].map(lambda c: COLUMNS[c][0])
    st.plotly_chart(charts.bars(shares, "unit_name", "value", "variable", "占比", unit="%"),
                    width="stretch", key="compare-shares")
