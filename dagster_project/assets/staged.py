"""The staged load: parse steps fanned out over chunks of files, one warehouse step.

`plan_report_chunks` (the warehouse's writer side: which files are new) → `stage_report_chunk`
once per chunk (dynamic outputs; any executor may run them side by side: processes here,
Celery workers elsewhere) → `load_staged_chunks` (the single DuckDB writer, pool `duckdb`).
It loads the raw layer only: the reports it loads are queued in raw.build_queue, so the next
`juesuan_job` run (or `juesuan run`) builds and audits them incrementally.

No `from __future__ import annotations` here: Dagster inspects the context type hints.
"""

from pathlib import Path

import dagster as dg
import fsspec

from dagster_project.assets.ingest import DUCKDB_POOL, DUCKDB_TAGS
from dagster_project.config import (
    chunk_count,
    chunk_size,
    reports_dir,
    retry_failed,
    staging_url,
    warehouse_path,
)
from dagster_project.ingest import discover, failed_shas, loaded_shas
from dagster_project.staging import StagedChunk, load_staged, plan_chunks, stage_chunk
from dagster_project.warehouse.load import connect, ensure_schema


class StagedLoadConfig(dg.Config):
    """Every field defaults to its environment variable (see config.py)."""

    reports_dir: str | None = None  # $JUESUAN_REPORTS
    warehouse: str | None = None  # $JUESUAN_WAREHOUSE
    staging: str | None = None  # $JUESUAN_STAGING: a folder or an fsspec URL
    chunk_size: int | None = None  # $JUESUAN_CHUNK_SIZE
    chunks: int | None = None  # $JUESUAN_CHUNKS


def _warehouse(config: StagedLoadConfig) -> Path:
    return Path(config.warehouse) if config.warehouse else warehouse_path()


@dg.op(out=dg.DynamicOut(), pool=DUCKDB_POOL, tags=DUCKDB_TAGS)
def plan_report_chunks(context: dg.OpExecutionContext, config: StagedLoadConfig):
    """The folder's files whose bytes are not loaded yet, cut into chunks. Each run stages
    into a folder of its own under the staging location."""
    folder = Path(config.reports_dir) if config.reports_dir else reports_dir()
    sources = discover(folder)
    con = connect(_warehouse(config))
    try:
        ensure_schema(con)
        # As the single-step load: loaded bytes are skipped, and so are bytes that failed
        # before unless $JUESUAN_RETRY_FAILED.
        skip = loaded_shas(con) | (set() if retry_failed() else failed_shas(con))
    finally:
        con.close()
    todo = [s for s in sources if s.sha256 not in skip]
    chunks = plan_chunks(todo, config.chunk_size or chunk_size(), config.chunks or chunk_count())
    run_staging = f"{(config.staging or staging_url()).rstrip('/')}/{context.run_id}"
    context.log.info(f"{len(sources)} files, {len(todo)} new, in {len(chunks)} chunks "
                     f"staged under {run_staging}")
    for chunk in chunks:
        yield dg.DynamicOutput((chunk, run_staging), mapping_key=f"c{chunk.index:05d}")


@dg.op(retry_policy=dg.RetryPolicy(max_retries=2, delay=1))
def stage_report_chunk(context: dg.OpExecutionContext, task: tuple) -> StagedChunk:
    """Parse one chunk and stage it as one Parquet file (complete or absent). A chunk that
    cannot be staged is retried, then fails the run with its id and files."""
    chunk, run_staging = task
    try:
        staged = stage_chunk(chunk, run_staging)
    except Exception as exc:
        files = ", ".join(Path(p).name for p, _, _ in chunk.files[:5])
        raise dg.Failure(description=f"chunk {chunk.chunk_id} ({len(chunk.files)} files: "
                                     f"{files}...) could not be staged: {exc}") from exc
    context.add_output_metadata({"chunk": chunk.chunk_id, "files": len(chunk.files),
                                 "parsed_by": staged.parsed_by, "staged": staged.url})
    return staged


@dg.op(pool=DUCKDB_POOL, tags=DUCKDB_TAGS)
def load_staged_chunks(context: dg.OpExecutionContext, config: StagedLoadConfig,
                       staged: list[StagedChunk]) -> dg.Output:
    """The one warehouse step: every staged chunk loaded, report by report, then removed."""
    con = connect(_warehouse(config))
    try:
        result = load_staged(con, sorted(staged, key=lambda s: s.chunk.index))
    finally:
        con.close()
    summary = result.summary
    for o in summary.failed:
        context.log.warning(f"report failed: {o.file_name}: {o.message}")
    # What is left of the run's staging folder: temporary files of killed parse attempts.
    if staged:
        fs, root = fsspec.core.url_to_fs(staged[0].url.rsplit("/", 1)[0])
        if fs.exists(root):
            fs.rm(root, recursive=True)
    return dg.Output(None, metadata={
        "chunks": len(staged), "reparsed_chunks": len(result.reparsed),
        "parsed_by": sorted({s.parsed_by for s in staged}),
        **{s: summary.count(s) for s in ("loaded", "unchanged", "failed")}})


@dg.graph
def staged_load():
    load_staged_chunks(plan_report_chunks().map(stage_report_chunk).collect())


def build_staged_job(executor: dg.ExecutorDefinition) -> dg.JobDefinition:
    return staged_load.to_job(
        name="juesuan_staged_job", executor_def=executor,
        description="Load new report files through staged chunks: parse steps fanned out over "
                    "the executor's workers, one warehouse step. Builds nothing downstream: the "
                    "next juesuan_job run builds what it queued.")



def staged_run_config(**config) -> dict:
    """Run config giving the same StagedLoadConfig to the two steps that read it."""
    return {"ops": {op: {"config": config}
                    for op in ("plan_report_chunks", "load_staged_chunks")}}


def staged_job_for(executor: str) -> dg.JobDefinition:
    """The staged load on a named executor, whatever $JUESUAN_EXECUTOR says, for
    `dg.build_reconstructable_job("dagster_project.assets.staged", "staged_job_for", ("celery",))`:
    the process that submits the steps and every Celery worker rebuild the same job, importing
    this module only (not dbt's and GX's: a parse worker needs neither)."""
    from dagster_project.executors import build_executor

    return build_staged_job(build_executor(executor))
