"""All Dagster definitions of juesuan, in one place."""

from __future__ import annotations

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.assets.audit import audit_reports, identity_suites
from dagster_project.assets.dbt import juesuan_dbt_models
from dagster_project.assets.ingest import raw_tables, report_loads
from dagster_project.assets.publish import bi_file
from dagster_project.assets.staged import build_staged_job
from dagster_project.config import duckdb_config, warehouse_path
from dagster_project.dbt_project import (
    JuesuanDbtCliResource,
    dbt_executable,
    juesuan_dbt_project,
)
from dagster_project.executors import EXECUTOR_ENV, build_executor
from dagster_project.sensors import build_daily_schedule, build_reports_sensor


def build_job(executor: dg.ExecutorDefinition | None = None) -> dg.UnresolvedAssetJobDefinition:
    # Every step opens the warehouse, so the steps of a run follow each other; what runs in
    # parallel is the parsing inside `report_loads` (every core) and, elsewhere, other runs'
    # non-DuckDB work.
    return dg.define_asset_job(
        "juesuan_job",
        selection=dg.AssetSelection.all(),
        executor_def=executor or build_executor(),
        description="Load the run's report partitions (new or changed files), rebuild the marts "
                    "and re-run the identities.",
    )


def build_definitions(executor: dg.ExecutorDefinition | None = None) -> dg.Definitions:
    """Definitions bound to the warehouse that $JUESUAN_WAREHOUSE names at call time."""
    job = build_job(executor)
    return dg.Definitions(
        assets=[report_loads, raw_tables, juesuan_dbt_models, audit_reports, bi_file],
        asset_checks=[identity_suites],
        jobs=[job, build_staged_job(executor or build_executor())],
        sensors=[build_reports_sensor(job)],
        schedules=[build_daily_schedule(job)],
        resources={
            "duckdb": DuckDBResource(database=str(warehouse_path()),
                                     connection_config=duckdb_config()),
            "dbt": JuesuanDbtCliResource(project_dir=juesuan_dbt_project,
                                         dbt_executable=dbt_executable()),
        },
    )


defs = build_definitions()


def juesuan_job() -> dg.JobDefinition:
    """The job, for `dg.reconstructable`: the multiprocess and k8s executors import it anew in
    every step's process."""
    return defs.resolve_job_def("juesuan_job")


def juesuan_staged_job() -> dg.JobDefinition:
    """The staged load (parse steps fanned out over chunks), for `dg.reconstructable`: every
    step's process (or Celery worker) imports it anew."""
    return defs.resolve_job_def("juesuan_staged_job")


__all__ = ["EXECUTOR_ENV", "build_executor", "defs", "juesuan_job", "juesuan_staged_job"]

