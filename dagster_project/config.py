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
# Limits on parsing one report file (reports come from outside: a decompression bomb or a
# 2,000-page PDF must fail alone, see dagster_project/parse_limits.py).
PARSE_MEMORY_ENV = "JUESUAN_PARSE_MEMORY_MB"
PARSE_SECONDS_ENV = "JUESUAN_PARSE_SECONDS"
MAX_PAGES_ENV = "JUESUAN_MAX_PAGES"
# Set (to 1) by `juesuan run --retry-failed`: re-read files that failed before with the same bytes.
RETRY_FAILED_ENV = "JUESUAN_RETRY_FAILED"
# The published BI file: a copy of the marts that dashboards and BI tools read (never written
# while anyone reads it: each run writes a new file and renames it over the old one).
BI_ENV = "JUESUAN_BI"


def warehouse_path() -> Path:
    return Path(os.environ.get(WAREHOUSE_ENV, PROJECT_ROOT / "data" / "warehouse.duckdb")).resolve()


def warehouse_companion(suffix: str) -> Path:
    """A folder that belongs to this warehouse alone, beside it: `data/warehouse.<suffix>/`.

    Two warehouses in one folder (a test's, a generated corpus's, the operator's) must not share
    their audit pages or dbt's build artifacts: one run would delete or overwrite the other's.
    """
    warehouse = warehouse_path()
    return warehouse.with_name(f"{warehouse.stem}.{suffix}")


def audit_dir() -> Path:
    """The warehouse's HTML audit pages."""
    return warehouse_companion("audit")


def dbt_target_dir() -> Path:
    """dbt's target folder for this warehouse's builds (run_results.json, the build's manifest)."""
    return warehouse_companion("dbt-target")


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


def _positive(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"${name} must be a number, got {value!r}") from None
    if number <= 0:
        raise ValueError(f"${name} must be > 0, got {value!r}")
    return number


def parse_memory_mb() -> int:
    """Address space a parse worker may add to what it starts with (MB): 2 GB by default, far
    above a real report's needs (under 300 MB) and far below a bomb's."""
    return int(_positive(PARSE_MEMORY_ENV, 2048))


def parse_seconds() -> float:
    """Wall-clock seconds one file may take to parse (the largest real report takes ~20 s)."""
    return _positive(PARSE_SECONDS_ENV, 120)


def max_pages() -> int:
    """Pages a PDF may have (real 决算 and 预算 reports have 20-150)."""
    return int(_positive(MAX_PAGES_ENV, 500))


def retry_failed() -> bool:
    return os.environ.get(RETRY_FAILED_ENV, "") not in ("", "0")


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
