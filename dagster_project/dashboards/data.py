"""Queries against the published BI file: one read-only connection per query.

A connection held open would pin one copy of the file; opening one per query means the next
query after a publish reads the new copy, and a load never waits for the dashboards.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.config import bi_path


def bi_file() -> Path:
    return bi_path()


def query(sql: str, params: list | None = None) -> pd.DataFrame:
    """Rows as a DataFrame with DECIMAL amounts kept as Decimal (object columns), never float.
    Every value from a user's choice travels as a bind parameter."""
    with duckdb.connect(str(bi_file()), read_only=True) as con:
        cur = con.execute(sql, params or [])
        columns = [d[0] for d in cur.description]
        return pd.DataFrame(cur.fetchall(), columns=columns, dtype=object)


def scalar(sql: str, params: list | None = None):
    frame = query(sql, params)
    return None if frame.empty else frame.iat[0, 0]


def status() -> str | None:
    """None when the BI file holds reports; otherwise why the dashboards have nothing to show."""
    path = bi_file()
    if not path.exists():
        return f"还没有发布的数据文件 {path}。"
    try:
        reports = scalar("select count(*) from marts.dim_reports")
    except duckdb.Error as exc:
        return f"数据文件 {path} 无法读取（{type(exc).__name__}）。"
    if not reports:
        return f"数据文件 {path} 中还没有报告。"
    return None


def in_list(values: list) -> tuple[str, list]:
    """`(?, ?, …)` for a list of chosen values, and the values as parameters."""
    return "(" + ", ".join("?" for _ in values) + ")", list(values)
