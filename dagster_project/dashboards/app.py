"""The dashboards (`make dashboards`): `streamlit run dagster_project/dashboards/app.py`.

Reads only the published BI file ($JUESUAN_BI), one read-only connection per query.
"""

import streamlit as st

from dagster_project.dashboards import budget, compare, findings, overview, unit
from dagster_project.dashboards.warm import warm_first_findings

st.set_page_config(page_title="决算仪表板", layout="wide")

PAGES = [
    st.Page(overview.render, title="总览", url_path="overview", default=True),
    st.Page(compare.render, title="比较部门", url_path="compare"),
    st.Page(unit.render, title="单位历年", url_path="unit"),
    st.Page(findings.render, title="审核发现", url_path="findings"),
    st.Page(budget.render, title="预算与决算", url_path="budget"),
]

st.navigation(PAGES).run()
# after the view's script: what the first finding pick needs, computed while the reader looks
warm_first_findings()
