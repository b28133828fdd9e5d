"""审核发现: filter the findings; open one to see where its cells are printed - the PDF page
with each compared cell framed, or the text report's lines with the cited line marked."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import streamlit as st

from dagster_project.dashboards import queries
from dagster_project.dashboards.common import ready
from dagster_project.dashboards.source import page_png, text_lines

SEVERITY = {"error": "错误", "warning": "警告", "indeterminate": "无法判断", "info": "提示"}
_LINE = re.compile(r":L(\d+)")
_PAGE = re.compile(r":p\.(\d+)")


def label(row) -> str:
    table = f"表{row.table_code} · " if row.table_code else ""
    return (f"{SEVERITY.get(row.severity, row.severity)} · {row.unit_name} {row.fiscal_year} · "
            f"{row.rule_id} · {table}{row.source_location or '—'}")


def labels(found: pd.DataFrame) -> dict[str, str]:
    """finding_id -> the picker's label, distinct: findings of one rule and one place (a
    document missing several tables, each located at the file) are told apart by their table,
    and any still alike by their order in the list."""
    plain = {row.finding_id: label(row) for row in found.itertuples()}
    alike = Counter(plain.values())
    seen: Counter[str] = Counter()
    out = {}
    for finding_id, text in plain.items():
        seen[text] += 1
        out[finding_id] = f"{text} · #{seen[text]}" if alike[text] > 1 else text
    return out


def default_severities() -> list[str]:
    """The list opens on errors and warnings (those the BI file holds)."""
    present = queries.distinct("severity")
    return [s for s in ("error", "warning") if s in present]


def pages_to_show(finding: pd.Series, cells: pd.DataFrame) -> dict[int, list[tuple]]:
    """Page number -> the boxes to frame on it: the pages of the compared cells in the
    finding's own PDF, else the page its location cites (nothing framed)."""
    pages: dict[int, list[tuple]] = {}
    for c in cells.itertuples():
        if c.page_no is not None and c.file_path == finding.file_path:
            box = None if c.bbox_x0 is None else (c.bbox_x0, c.bbox_top, c.bbox_x1, c.bbox_bottom)
            pages.setdefault(int(c.page_no), []).extend([box] if box else [])
    if not pages:
        cited = _PAGE.search(finding.source_location or "")
        if cited:
            pages[int(cited.group(1))] = []
    return dict(sorted(pages.items()))


def show_source(finding: pd.Series, cells: pd.DataFrame) -> None:
    path = Path(finding.file_path)
    if not path.exists():
        st.warning(f"源文件 {path} 已不在加载时的位置，无法显示原文。")
        return
    if finding.file_format == "pdf":
        pages = pages_to_show(finding, cells)
        if not pages:
            st.info("这条发现没有可定位的页面。")
        for page_no, boxes in pages.items():
            st.markdown(f"**{finding.file_name} 第 {page_no} 页**（红框：比较的单元格）")
            # said PNG: Streamlit's "auto" would re-encode bytes as JPEG and blur the frame
            st.image(page_png(path, page_no, boxes), output_format="PNG",
                     caption=f"source-page-{page_no}")
        return
    cited = sorted({int(n) for n in cells["line_no"] if n is not None}) if not cells.empty else []
    if not cited:
        match = _LINE.search(finding.source_location or "")
        cited = [int(match.group(1))] if match else []
    if not cited:
        st.info("这条发现没有可定位的行。")
        return
    for line_no in cited:
        rows = []
        for n, text in text_lines(path, line_no):
            escaped = html.escape(text)
            rows.append(f'<mark data-cited-line="{n}">{n:>5}  {escaped}</mark>' if n == line_no
                        else f"{n:>5}  {escaped}")
        st.markdown(f"**{html.escape(finding.file_name)} 第 {line_no} 行**", unsafe_allow_html=True)
        st.markdown("<pre style='font-size:0.8em'>" + "\n".join(rows) + "</pre>",
                    unsafe_allow_html=True)


def render() -> None:
    st.title("审核发现")
    if not ready():
        return
    c1, c2, c3 = st.columns(3)
    severities = c1.multiselect("严重性", queries.distinct("severity"),
                                default=default_severities(),
                                format_func=lambda s: SEVERITY.get(s, s), key="f-severity")
    families = c2.multiselect("规则族", queries.distinct("rule_family"), key="f-family")
    rules = c3.multiselect("规则", queries.distinct("rule_id"), key="f-rule")
    c4, c5 = st.columns(2)
    chosen_units = c4.multiselect("单位", queries.distinct("unit_name"), key="f-unit")
    chosen_years = c5.multiselect("年度", queries.distinct("fiscal_year"), key="f-year")
    found = queries.findings(severities, families, chosen_units, chosen_years, rules)
    st.caption(f"{len(found)} 条发现" + ("（仅显示前 200 条）" if len(found) >= 200 else ""))
    if found.empty:
        st.info("没有符合条件的发现。")
        return
    open_one(found)
    shown = found.assign(severity=found["severity"].map(lambda s: SEVERITY.get(s, s)))
    st.subheader("发现列表")
    # a grid drawn on demand, not 200 table rows in the page: the browser is ready for the
    # next click sooner (and its columns sort in the browser)
    st.dataframe(shown[["severity", "unit_name", "fiscal_year", "rule_id", "source_location",
                        "message"]].rename(columns={
        "severity": "严重性", "unit_name": "单位", "fiscal_year": "年度", "rule_id": "规则",
        "source_location": "位置", "message": "说明"}), hide_index=True, width="stretch")


@st.fragment
def open_one(found: pd.DataFrame) -> None:
    """Pick one of the listed findings and show where it sits. A fragment: opening a finding
    reruns only this part - not the filters, not the list below."""
    shown = labels(found)
    picked = st.selectbox("打开一条发现，查看原文位置", list(shown), index=None,
                          format_func=shown.get, placeholder="选择发现…", key="f-open")
    if picked is not None:
        show_finding(picked)


def show_finding(picked: str) -> None:
    finding = queries.finding(picked).iloc[0]
    st.subheader("发现详情")
    st.write(finding.message)
    cells = queries.finding_cells(picked)
    if not cells.empty:
        st.table(cells[["file_name", "table_code", "row_label", "column_label", "printed_text",
                        "source_location"]].rename(columns={
            "file_name": "文件", "table_code": "表", "row_label": "行", "column_label": "列",
            "printed_text": "原文", "source_location": "位置"}).reset_index(drop=True))
    show_source(finding, cells)
