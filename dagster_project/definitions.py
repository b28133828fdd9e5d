"""All Dagster definitions of juesuan, in one place."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from dagster_project.assets.audit import audit_reports, identity_suites
from dagster_project.assets.dbt import juesuan_dbt_models
from dagster_project.assets.ingest import raw_tables, source_reports
from dagster_project.config import warehouse_path
from dagster_project.dbt_project import dbt_executable, juesuan_dbt_project
from dagster_project.sensors import build_daily_schedule, build_reports_sensor

# Every DuckDB user runs in this one process, one step at a time: DuckDB allows one writer per
# file and even a read-only holder blocks dbt.
juesuan_job = dg.define_asset_job(
    "juesuan_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Load every report in the reports folder, build the marts and audit them.",
)


def build_definitions() -> dg.Definitions:
    """Definitions bound to the warehouse that $JUESUAN_WAREHOUSE names at call time."""
    return dg.Definitions(
        assets=[source_reports, raw_tables, juesuan_dbt_models, audit_reports],
        asset_checks=[identity_suites],
        jobs=[juesuan_job],
        sensors=[build_reports_sensor(juesuan_job)],
        schedules=[build_daily_schedule(juesuan_job)],
        resources={
            "duckdb": DuckDBResource(database=str(warehouse_path())),
            "dbt": DbtCliResource(project_dir=juesuan_dbt_project, dbt_executable=dbt_executable()),
        },
    )


defs = build_definitions()
