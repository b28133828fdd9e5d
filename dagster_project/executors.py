"""Where a job's steps run: the executor named by configuration."""

from __future__ import annotations

import os

import dagster as dg

from dagster_project.assets.ingest import DUCKDB_TAGS

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
