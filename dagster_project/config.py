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


def warehouse_path() -> Path:
    return Path(os.environ.get(WAREHOUSE_ENV, PROJECT_ROOT / "data" / "warehouse.duckdb")).resolve()


def reports_dir() -> Path:
    return Path(os.environ.get(REPORTS_ENV, PROJECT_ROOT / "seeds" / "reports")).resolve()


def duckdb_config() -> dict[str, str]:
    """Settings of every DuckDB connection juesuan opens (dbt's are in dbt/profiles.yml).

    DuckDB's buffer pool defaults to 80 % of RAM and fills it on a large warehouse; bounded,
    DuckDB spills to disk instead.
    """
    return {"memory_limit": os.environ.get(MEMORY_ENV, "1GB")}


# The staged load (dagster_project/staging.py, `juesuan_staged_job`): where parsed chunks wait
# for the warehouse writer (a folder, or any fsspec URL every worker can write, e.g.
# s3://bucket/juesuan/staging), and how the files are cut into chunks.
STAGING_ENV = "JUESUAN_STAGING"
CHUNK_SIZE_ENV = "JUESUAN_CHUNK_SIZE"  # files per chunk (default 50)
CHUNKS_ENV = "JUESUAN_CHUNKS"  # or: this many chunks, whatever the number of files


def staging_url() -> str:
    return os.environ.get(STAGING_ENV) or str(warehouse_path().parent / "staging")


def chunk_size() -> int:
    return int(os.environ.get(CHUNK_SIZE_ENV) or 50)


def chunk_count() -> int | None:
    value = os.environ.get(CHUNKS_ENV)
    return int(value) if value else None
