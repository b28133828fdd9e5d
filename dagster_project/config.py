"""Where things are. One environment variable each, read by Dagster, the CLI and dbt."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"

WAREHOUSE_ENV = "JUESUAN_WAREHOUSE"
REPORTS_ENV = "JUESUAN_REPORTS"
MEMORY_ENV = "JUESUAN_DUCKDB_MEMORY"
# dbt's threads (dbt/profiles.yml); unset, the dbt asset picks them (see build_plan.py).
DBT_THREADS_ENV = "JUESUAN_DBT_THREADS"
# An extra unit hierarchy CSV (a generated corpus's) that dbt adds to the registry's.
HIERARCHY_ENV = "JUESUAN_UNIT_HIERARCHY"
# The published BI file: a copy of the marts that dashboards and BI tools read (never written
# while anyone reads it: each run writes a new file and renames it over the old one).
BI_ENV = "JUESUAN_BI"


def warehouse_path() -> Path:
    return Path(os.environ.get(WAREHOUSE_ENV, PROJECT_ROOT / "data" / "warehouse.duckdb")).resolve()


def bi_path() -> Path:
    """$JUESUAN_BI, else `bi.duckdb` next to the warehouse (data/bi.duckdb by default), so a
    warehouse elsewhere (a test's, a benchmark's) publishes beside itself."""
    default = warehouse_path().parent / "bi.duckdb"
    return Path(os.environ.get(BI_ENV, default)).resolve()


def reports_dir() -> Path:
    return Path(os.environ.get(REPORTS_ENV, PROJECT_ROOT / "seeds" / "reports")).resolve()


def duckdb_config() -> dict[str, str]:
    """Settings of every DuckDB connection juesuan opens (dbt's are in dbt/profiles.yml).

    DuckDB's buffer pool defaults to 80 % of RAM and fills it on a large warehouse; bounded,
    DuckDB spills to disk instead.
    """
    return {"memory_limit": os.environ.get(MEMORY_ENV, "1GB")}
