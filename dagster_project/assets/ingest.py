"""Assets of the ingest: one partition per report file, and the raw layer they load into.

No `from __future__ import annotations` here: Dagster inspects the context type hints.
"""


from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.config import reports_dir
from dagster_project.ingest import load_files
from dagster_project.partitions import PARTITIONS_NAME
from dagster_project.warehouse.load import RAW_TABLES, ensure_schema

RAW_KEYS = [dg.AssetKey(["raw", t]) for t in RAW_TABLES]

# A partition per report file, keyed by its path relative to the reports folder. The sensor and
# `juesuan run` add the keys; a run covers a contiguous range of them (new and changed files
# are (re-)added at the end, see dagster_project.partitions).
report_files = dg.DynamicPartitionsDefinition(name=PARTITIONS_NAME)

# Every op that opens the warehouse carries this tag and the `duckdb` pool: DuckDB allows one
# writer per file (and a reader blocks writers), so at most one such step may run at a time, in
# a run (the executor's tag_concurrency_limits) and across runs (the instance's pool limit).
DUCKDB_TAGS = {"juesuan/duckdb": "warehouse"}
DUCKDB_POOL = "duckdb"


class ReportsConfig(dg.Config):
    reports_dir: str | None = None  # default: $JUESUAN_REPORTS, else seeds/reports


@dg.asset(
    group_name="ingest",
    kinds={"duckdb"},
    partitions_def=report_files,
    # One run for many files: the step parses them on every core and bulk-inserts in chunks,
    # which a run per file (with its process start and dbt build) could never match.
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=DUCKDB_POOL,
    op_tags=DUCKDB_TAGS,
)
def report_loads(context: dg.AssetExecutionContext, config: ReportsConfig,
                 duckdb: DuckDBResource) -> dg.MaterializeResult:
    """Each report file read, interpreted and loaded atomically into the raw schema."""
    folder = Path(config.reports_dir) if config.reports_dir else reports_dir()
    keys = context.partition_keys
    with duckdb.get_connection() as con:
        summary = load_files(con, folder, keys)
    for o in summary.outcomes:
        if o.status in ("failed", "missing"):
            context.log.warning(f"report {o.status}: {o.file_name}: {o.message}")
    return dg.MaterializeResult(metadata={
        "folder": str(folder), "files": len(keys),
        **{s: summary.count(s) for s in ("loaded", "unchanged", "failed", "missing")}})


@dg.multi_asset(
    group_name="ingest",
    specs=[dg.AssetSpec(k, deps=[report_loads], kinds={"duckdb"}) for k in RAW_KEYS],
    can_subset=False,
    pool=DUCKDB_POOL,
    op_tags=DUCKDB_TAGS,
)
def raw_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """The raw layer as a whole after the run's loads: its tables and their row counts.

    Unpartitioned, so dbt depends on seven tables rather than on every report file, and a run
    records one event per table, not one per table and file.
    """
    with duckdb.get_connection() as con:
        ensure_schema(con)  # an empty folder still gives dbt its sources
        counts = {t: con.execute(f"select count(*) from raw.{t}").fetchall()[0][0]
                  for t in RAW_TABLES}
    for key, table in zip(RAW_KEYS, RAW_TABLES, strict=True):
        yield dg.MaterializeResult(asset_key=key, metadata={"rows": counts[table]})
