"""What every view shares: the 'nothing published yet' notice, a chart with its table beside it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dagster_project.dashboards.data import status

HOW_TO_LOAD = """
**如何加载报告**

1. 把部门决算报告（PDF 或文本）放进报告目录（默认 `seeds/reports/`）；
2. 运行 `make run`（或 `.venv/bin/juesuan run --reports 目录`）：加载、建模、审核，并发布数据文件；
3. 刷新本页。

仪表板只读取发布的数据文件（环境变量 `JUESUAN_BI`，默认在仓库旁的 `data/bi.duckdb`），从不打开仓库本身。
"""


def ready() -> bool:
    """False (after saying why and how to load reports) when there is nothing to show."""
    problem = status()
    if problem is None:
        return True
    st.info(problem)
    st.markdown(HOW_TO_LOAD)
    return False


def chart_and_table(fig, frame: pd.DataFrame, key: str) -> None:
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(fig, width="stretch", key=key)
    with right:
        st.table(frame.reset_index(drop=True))
