"""`juesuan export-dashboard DIR`: the comparison views as static HTML files, openable from
disk by people without a server. plotly.js is inlined in every file (no CDN, no network);
every text from a document is escaped."""

from __future__ import annotations

import html
from pathlib import Path

from dagster_project.dashboards import charts, queries
from dagster_project.dashboards.compare import by_class_table, comparison_table
from dagster_project.dashboards.data import status

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}}
table{{border-collapse:collapse;font-size:0.9em}}td,th{{border:1px solid #ccc;padding:4px 8px}}
td{{text-align:right}}.grid{{display:flex;gap:2em;align-items:flex-start}}</style>
</head><body>{body}</body></html>
"""


def _section(title: str, fig, frame, first: bool) -> str:
    # plotly.js once per file, inlined: the first chart carries it, the others use it
    chart = fig.to_html(include_plotlyjs=first, full_html=False)
    return (f"<h2>{html.escape(title)}</h2><div class='grid'><div style='flex:3'>{chart}</div>"
            f"<div style='flex:2'>{frame.to_html(index=False, escape=True)}</div></div>")


def compare_page(year: int) -> str:
    units = queries.units(year)
    frame = queries.compare(year, units)
    by_class = queries.expenditure_by_class(year, units)
    shares = frame.melt(id_vars="unit_name",
                        value_vars=["basic_share_pct", "project_share_pct",
                                    "personnel_share_pct", "public_share_pct"])
    body = [f"<h1>比较部门 · {year} 年</h1>",
            f"<p>{len(units)} 个单位，金额单位：万元。</p>",
            comparison_table(frame).to_html(index=False, escape=True),
            _section("支出（按功能分类 类）",
                     charts.bars(by_class, "function_name", "total_wan_yuan", "unit_name",
                                 "支出（按功能分类 类）"), by_class_table(by_class), True),
            _section("基本/项目、人员/公用经费占比",
                     charts.bars(shares, "unit_name", "value", "variable", "占比", unit="%"),
                     comparison_table(frame)[["单位", "基本支出占比", "项目支出占比",
                                              "人员经费占比", "公用经费占比"]], False)]
    return PAGE.format(title=f"比较部门 {year}", body="\n".join(body))


def export(out: str | Path) -> list[Path]:
    """Write index.html and compare-<year>.html per year into `out`; raise if nothing is
    published yet."""
    problem = status()
    if problem:
        raise FileNotFoundError(problem)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written, links = [], []
    for year in queries.years():
        path = out / f"compare-{year}.html"
        path.write_text(compare_page(year), "utf-8")
        written.append(path)
        links.append(f"<li><a href='{path.name}'>比较部门 · {year} 年</a></li>")
    index = out / "index.html"
    index.write_text(PAGE.format(title="决算仪表板（静态导出）",
                                 body="<h1>决算仪表板（静态导出）</h1><ul>" + "".join(links)
                                      + "</ul>"), "utf-8")
    return [index, *written]
