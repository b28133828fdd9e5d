"""All Dagster definitions of juesuan, in one place."""

from __future__ import annotations

import os

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.assets.audit import audit_reports, identity_suites
from dagster_project.assets.dbt import juesuan_dbt_models
from dagster_project.assets.ingest import DUCKDB_TAGS, raw_tables, report_loads
from dagster_project.assets.staged import build_staged_job
from dagster_project.config import duckdb_config, warehouse_path
from dagster_project.dbt_project import (
    JuesuanDbtCliResource,
    dbt_executable,
    juesuan_dbt_project,
)
from dagster_project.sensors import build_daily_schedule, build_reports_sensor

EXECUTOR_ENV = "JUESUAN_EXECUTOR"

# At most one step that opens the warehouse at a time, whichever executor runs the steps.
_ONE_WAREHOUSE_STEP = [{"key": k, "value": v, "limit": 1} for k, v in DUCKDB_TAGS.items()]


def build_executor(kind: str | None = None) -> dg.ExecutorDefinition:
    """The executor named by $JUESUAN_EXECUTOR: configuration, not code, picks where steps run.

    `multiprocess` (default): a process per step on this machine. `in_process`: one process.
    `k8s` and `celery`: a pod or a Celery task per step (install dagster-k8s or dagster-celery
    and give the rest of their settings in run config, see the README).
    """
    kind = kind or os.environ.get(EXECUTOR_ENV, "multiprocess")
    if kind == "multiprocess":
        return dg.multiprocess_executor.configured(
            {"tag_concurrency_limits": _ONE_WAREHOUSE_STEP}, name="multiprocess")
    if kind == "in_process":
        return dg.in_process_executor
    if kind == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    if kind == "celery":
        from dagster_celery import celery_executor

        return celery_executor
    raise ValueError(f"${EXECUTOR_ENV}={kind!r}: expected multiprocess, in_process, k8s or celery")


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
        assets=[report_loads, raw_tables, juesuan_dbt_models, audit_reports],
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


def staged_job_for(executor: str) -> dg.JobDefinition:
    """The staged load on a named executor, whatever $JUESUAN_EXECUTOR says, for
    `dg.build_reconstructable_job("dagster_project.definitions", "staged_job_for", ("celery",))`:
    the process that submits the steps and every Celery worker rebuild the same job."""
    return build_staged_job(build_executor(executor))
