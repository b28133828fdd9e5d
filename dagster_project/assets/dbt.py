"""The dbt models (staging → intermediate → marts) as Dagster assets.

No `from __future__ import annotations` here: Dagster inspects the context type hints.
"""


import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from dagster_duckdb import DuckDBResource

from dagster_project.assets.ingest import DUCKDB_POOL, DUCKDB_TAGS
from dagster_project.build_plan import plan_build, record_build, utc_now
from dagster_project.config import dbt_target_dir
from dagster_project.dbt_project import ensure_manifest, juesuan_dbt_project
from dagster_project.warehouse.load import ensure_schema

ensure_manifest()

# dagster-dbt gives every invocation its own target folder by default; on a schedule they
# piled up (1.2 GB here). A warehouse's builds follow each other (the duckdb pool), so one
# folder per warehouse serves (`config.dbt_target_dir`, beside it), and it keeps the last
# build's artifacts (run_results.json) to look at. One folder for all warehouses let two
# builds of different warehouses (two tests, two operators) write each other's artifacts.


# dbt's ~125 data tests run inside `dbt build` and fail the step (and skip what depends on the
# failing model) as before, but are not also Dagster asset checks: each was two events in
# Dagster's log per run (planned, evaluated), ~4 s of every build. The identity checks that
# users read in Dagster are the GX suites (assets/audit.py); dbt's verdict per test is in
# run_results.json in the warehouse's dbt target folder and the run log.
TRANSLATOR = DagsterDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=False))


@dbt_assets(manifest=juesuan_dbt_project.manifest_path, project=juesuan_dbt_project,
            dagster_dbt_translator=TRANSLATOR, pool=DUCKDB_POOL, op_tags=DUCKDB_TAGS)
def juesuan_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                       duckdb: DuckDBResource):
    # The warehouse is closed again before dbt opens it: DuckDB allows one process per file.
    with duckdb.get_connection() as con:
        ensure_schema(con)
        plan = plan_build(con)
    context.log.info(f"dbt build, {plan.mode}: {plan.reason}; {plan.queued} reports queued "
                     f"of {plan.reports}")
    started, succeeded = utc_now(), False
    try:
        # `dbt build` runs seeds, models and their tests in dependency order; a failing test
        # fails the step (never raise_on_error=False: it once reported a crashed dbt as success).
        yield from dbt.cli(plan.dbt_args, context=context, target_path=dbt_target_dir()).stream()
        succeeded = True
    finally:
        with duckdb.get_connection() as con:
            # A subset of the models leaves the others behind: the queue waits for a complete build.
            record_build(con, plan, started, succeeded, complete=not context.is_subset)
