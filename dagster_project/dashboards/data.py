"""Queries against the published BI file: one read-only connection per query.

A connection held open would pin one copy of the file; opening one per query means the next
query after a publish reads the new copy, and a load never waits for the dashboards.

Answers are kept per copy of the file (its inode, size and modification time): a publish
renames a new file over the old one, so the next query misses the cache and reads the new
copy, while an interaction that repeats a question about the same copy costs no connection.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.config import bi_path


def bi_file() -> Path:
    return bi_path()


_CACHE: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_CACHE_SIZE = 256
_LOCK = threading.Lock()


def query(sql: str, params: list | None = None) -> pd.DataFrame:
    """Rows as a DataFrame with DECIMAL amounts kept as Decimal (object columns), never float.
    Every value from a user's choice travels as a bind parameter."""
    path = bi_file()
    stat = path.stat()
    key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, sql, tuple(params or []))
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key].copy()
    with duckdb.connect(str(path), read_only=True) as con:
        cur = con.execute(sql, params or [])
        columns = [d[0] for d in cur.description]
        frame = pd.DataFrame(cur.fetchall(), columns=columns, dtype=object)
    with _LOCK:
        _CACHE[key] = frame
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return frame.copy()


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
