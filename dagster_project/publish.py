"""Publish the marts into the BI file: a separate DuckDB file that only readers open.

DuckDB lets one process write a file, and a reader holding the warehouse open makes the next
load fail. Dashboards and BI tools therefore read a copy: every table of the `marts` schema
(the finding locations included: `marts.audit_finding_cells`), written into a new file beside
the target and renamed over it. A rename is atomic: a reader opening the file sees the old
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
# The one table the publisher adds: when, from where, and how many rows each table holds.
PUBLICATION_TABLE = "publication"


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


def publish(con: duckdb.DuckDBPyConnection, target: str | Path, *, source: str = "") -> Published:
    """Copy every marts table of the warehouse `con` is connected to into `target`, atomically.

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
    tables = mart_tables(con)
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
                    f"row_count bigint)")
        con.executemany(f"insert into {alias}.main.{PUBLICATION_TABLE} values (?, ?, ?, ?)",
                        [(published_at, source, t, n) for t, n in counts.items()])
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
