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
from dagster_project.dbt_project import ensure_manifest, juesuan_dbt_project
from dagster_project.warehouse.load import ensure_schema

ensure_manifest()

# dagster-dbt gives every invocation its own target folder by default; on a schedule they
# piled up (1.2 GB here). Builds follow each other (the duckdb pool), so one folder serves,
# and it keeps the last build's artifacts (run_results.json) to look at.
BUILD_TARGET = juesuan_dbt_project.project_dir / "target" / "last_build"


# dbt's ~125 data tests run inside `dbt build` and fail the step (and skip what depends on the
# failing model) as before, but are not also Dagster asset checks: each was two events in
# Dagster's log per run (planned, evaluated), ~4 s of every build. The identity checks that
# users read in Dagster are the GX suites (assets/audit.py); dbt's verdict per test is in
# dbt/target/last_build/run_results.json and the run log.
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
        yield from dbt.cli(plan.dbt_args, context=context, target_path=BUILD_TARGET).stream()
        succeeded = True
    finally:
        with duckdb.get_connection() as con:
            # A subset of the models leaves the others behind: the queue waits for a complete build.
            record_build(con, plan, started, succeeded, complete=not context.is_subset)
