"""Plotly figures of the dashboards (the app and the static export draw the same ones).

Every bar and point carries its number in 万元 (or %) with thousands separators on hover.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dagster_project.dashboards.fmt import as_float, pct, wan

FONT = "Noto Sans CJK SC, sans-serif"


def _label(unit: str):
    return {"万元": wan, "%": pct}.get(unit, lambda v: "—" if v is None else f"{v:,}")


def _layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    fig.update_layout(title=title, yaxis_title=y_title, font_family=FONT, barmode="group",
                      margin=dict(l=40, r=10, t=50, b=40), legend_title_text="")
    return fig


def bars(frame: pd.DataFrame, x: str, y: str, series: str | None, title: str,
         unit: str = "万元") -> go.Figure:
    """Grouped bars; hover shows the exact printed figure."""
    label = _label(unit)
    fig = go.Figure()
    groups = [(None, frame)] if series is None else list(frame.groupby(series, sort=False))
    for name, part in groups:
        fig.add_bar(x=list(part[x]), y=[as_float(v) for v in part[y]], name=name or y,
                    text=[label(v) for v in part[y]],
                    hovertemplate="%{x}<br>%{text} " + (unit if unit != "%" else "")
                                  + "<extra>%{fullData.name}</extra>",
                    textposition="none")
    return _layout(fig, title, unit)


def lines(frame: pd.DataFrame, x: str, columns: dict[str, str], title: str,
          unit: str = "万元") -> go.Figure:
    label = _label(unit)
    fig = go.Figure()
    for column, name in columns.items():
        fig.add_scatter(x=list(frame[x]), y=[as_float(v) for v in frame[column]], name=name,
                        mode="lines+markers", text=[label(v) for v in frame[column]],
                        hovertemplate="%{x}: %{text} " + (unit if unit != "%" else "")
                                      + "<extra>" + name + "</extra>")
    fig.update_xaxes(type="category")
    return _layout(fig, title, unit)
