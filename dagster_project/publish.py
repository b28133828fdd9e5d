"""Publish the marts into the BI file: a separate DuckDB file that only readers open.

DuckDB lets one process write a file, and a reader holding the warehouse open makes the next
load fail. Dashboards and BI tools therefore read a copy: every table of the `marts` schema
but those kept in the warehouse only (WAREHOUSE_ONLY: every printed cell), the finding
locations included (`marts.audit_finding_cells`), written into a new file beside the target
and renamed over it. A rename is atomic: a reader opening the file sees the old
copy or the new one, never a half-built state, and a reader still holding the old file keeps
reading it undisturbed (its inode lives until it closes). Nothing here waits for a reader.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

SCHEMA = "marts"
# The one table the publisher adds: when, from where, how many rows each table holds, and
# which marts stayed in the warehouse (no row count) and why.
PUBLICATION_TABLE = "publication"
# Marts not copied, and why. fct_table_cells holds every printed cell of every report: 5.7
# million rows and 90% of the copy at 10,000 reports (13 s of a 2 s aim). No view reads it
# whole: the finding viewer reads the cells a finding compares from audit_finding_cells, and
# the figures analysts compare are in the other marts. It stays queryable in the warehouse.
WAREHOUSE_ONLY = {
    "fct_table_cells": "every printed cell, kept in the warehouse only (the cells a finding "
                       "compares: marts.audit_finding_cells)",
}


@dataclass
class Published:
    path: Path
    tables: dict[str, int]  # marts table -> rows
    seconds: float
    published_at: datetime


def _literal(text: str) -> str:
    """A SQL string literal (ATTACH takes no bind parameter): quotes doubled, never raw text."""
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def mart_tables(con: duckdb.DuckDBPyConnection, schema: str = SCHEMA) -> list[str]:
    """The base tables of the marts schema (dbt's marts are tables; views would not copy)."""
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ? "
        "and table_type = 'BASE TABLE' order by table_name", [schema]).fetchall()
    return [r[0] for r in rows]


def publish(con: duckdb.DuckDBPyConnection, target: str | Path, *, source: str = "",
            warehouse_only: dict[str, str] | None = None) -> Published:
    """Copy the marts tables of the warehouse `con` is connected to into `target`, atomically:
    all but `warehouse_only` (table -> why; default WAREHOUSE_ONLY).

    `con`: an open connection to the warehouse (the caller holds it, so no second writer can
    change the marts under the copy). `source`: the warehouse's path, recorded in the file.
    The new file is built as `<target>.tmp-<pid>` and renamed over `target`; on any error it
    is removed and the previous BI file stays as it was.
    """
    start = time.perf_counter()
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    _remove(tmp)
    alias = "juesuan_bi_publish"
    kept = WAREHOUSE_ONLY if warehouse_only is None else warehouse_only
    marts = mart_tables(con)
    tables = [t for t in marts if t not in kept]
    skipped = [t for t in marts if t in kept]
    counts: dict[str, int] = {}
    published_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute(f"attach {_literal(str(tmp))} as {alias}")
    try:
        con.execute(f"create schema {alias}.{SCHEMA}")
        for table in tables:
            name = _ident(table)
            con.execute(f"create table {alias}.{SCHEMA}.{name} as "
                        f"select * from {SCHEMA}.{name}")
            counts[table] = con.execute(
                f"select count(*) from {alias}.{SCHEMA}.{name}").fetchall()[0][0]
        con.execute(f"create table {alias}.main.{PUBLICATION_TABLE} "
                    f"(published_at timestamp, source_warehouse varchar, table_name varchar, "
                    f"row_count bigint, not_published_because varchar)")
        con.executemany(f"insert into {alias}.main.{PUBLICATION_TABLE} values (?, ?, ?, ?, ?)",
                        [(published_at, source, t, n, None) for t, n in counts.items()]
                        + [(published_at, source, t, None, kept[t]) for t in skipped])
        # Everything into the file itself (no WAL beside it) before it is renamed.
        con.execute(f"checkpoint {alias}")
    except BaseException:
        con.execute(f"detach {alias}")
        _remove(tmp)
        raise
    con.execute(f"detach {alias}")
    os.replace(tmp, target)
    return Published(target, counts, time.perf_counter() - start, published_at)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
