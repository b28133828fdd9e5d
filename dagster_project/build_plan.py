"""Whether the next dbt build may be incremental, and the ledger of builds.

A build is incremental when only reports changed since the last complete build: the models
then recompute the reports in `raw.build_queue` (and those whose cross-report identities read
them, see dbt/macros/incremental.sql). Anything else that decides what a table holds (a
model, a macro, a seed such as the rule catalogue, the unit hierarchy) is fingerprinted; a
different fingerprint, a first build, or asking for it makes the build `--full-refresh`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dagster_project.config import (
    DBT_PROJECT_DIR,
    DBT_THREADS_ENV,
    EXPECTATIONS_DIR,
    HIERARCHY_ENV,
    PROJECT_ROOT,
)

FULL_REFRESH_ENV = "JUESUAN_FULL_REFRESH"

# What a table's content depends on besides the reports (dbt_project.yml's seed-paths too).
BUILD_INPUTS = [
    DBT_PROJECT_DIR / "dbt_project.yml",
    DBT_PROJECT_DIR / "models",
    DBT_PROJECT_DIR / "macros",
    PROJECT_ROOT / "seeds" / "reference",
    EXPECTATIONS_DIR / "catalogue",
]

# Above this many reports to build, dbt runs one model at a time: two audit models at once
# (int_audit__eval_rows beside int_audit__eval_across) outgrow DuckDB's 1 GB memory budget, and
# the build fails: at 1,000 generated reports since the audit grew (session 8; it was 2,000 in
# session 3). 500 reports still build with two threads; this keeps a margin below that. What
# counts is what the build reads: every report for a full build, the queue for an incremental
# one (a thousand new reports added to a small warehouse are a big build).
TWO_THREADS_UP_TO = 400


def fingerprint(inputs: list[Path]) -> str:
    """SHA-256 over the path and bytes of every file under `inputs`, in a stable order."""
    digest = hashlib.sha256()
    for root in inputs:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if not path.exists():
                continue
            digest.update(str(path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT)
                              else path).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def build_inputs() -> list[Path]:
    extra = os.environ.get(HIERARCHY_ENV)
    return BUILD_INPUTS + ([Path(extra).resolve()] if extra else [])


@dataclass(frozen=True)
class BuildPlan:
    mode: str  # full | incremental
    reason: str
    fingerprint: str
    queued: int
    queued_through: datetime | None  # the newest queue entry this build consumes
    reports: int
    threads: int | None  # None: what $JUESUAN_DBT_THREADS says

    @property
    def dbt_args(self) -> list[str]:
        args = ["build"]
        if self.mode == "full":
            args.append("--full-refresh")
        else:
            # The seeds are part of the fingerprint: unchanged since the last build.
            args += ["--exclude", "resource_type:seed"]
        if self.threads:
            args += ["--threads", str(self.threads)]
        return args


def decide(last_fingerprint: str | None, current: str, force_full: bool) -> tuple[str, str]:
    """(mode, reason) for a build, from the fingerprint of the last complete build."""
    if force_full:
        return "full", f"asked for (${FULL_REFRESH_ENV})"
    if last_fingerprint is None:
        return "full", "no complete build of this warehouse yet"
    if last_fingerprint != current:
        return "full", "models, macros, seeds or the unit hierarchy changed since the last build"
    return "incremental", "only reports changed since the last build"


def plan_build(con: duckdb.DuckDBPyConnection) -> BuildPlan:
    current = fingerprint(build_inputs())
    last = con.execute("select fingerprint from raw.dbt_builds where succeeded and complete "
                       "order by finished_at desc limit 1").fetchall()
    force = os.environ.get(FULL_REFRESH_ENV, "").lower() in {"1", "true", "yes"}
    mode, reason = decide(last[0][0] if last else None, current, force)
    queued, queued_through = con.execute(
        "select count(*), max(queued_at) from raw.build_queue").fetchall()[0]
    reports = con.execute("select count(*) from raw.reports").fetchall()[0][0]
    threads = None
    if DBT_THREADS_ENV not in os.environ:
        to_build = queued if mode == "incremental" else reports
        threads = 2 if to_build <= TWO_THREADS_UP_TO else 1
    return BuildPlan(mode, reason, current, queued, queued_through, reports, threads)


def record_build(con: duckdb.DuckDBPyConnection, plan: BuildPlan, started_at: datetime,
                 succeeded: bool, complete: bool) -> None:
    """Log the build; after a successful build of every model, empty the queue it consumed."""
    con.execute("begin transaction")
    con.execute("insert into raw.dbt_builds values (?, ?, ?, ?, ?, ?, ?, ?)",
                [started_at, utc_now(), plan.mode, plan.reason, plan.fingerprint, plan.queued,
                 succeeded, complete])
    if succeeded and complete and plan.queued_through is not None:
        # Nothing is loaded while dbt runs (one warehouse step at a time), but a queue entry
        # newer than the plan would still wait for the next build.
        con.execute("delete from raw.build_queue where queued_at <= ?", [plan.queued_through])
    con.execute("commit")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def rebuilt_by_last_build(con: duckdb.DuckDBPyConnection) -> set[str] | None:
    """The reports the last build recomputed, or None when it rebuilt everything (or failed)."""
    last = con.execute("select mode, succeeded from raw.dbt_builds "
                       "order by finished_at desc limit 1").fetchall()
    if not last or last[0] != ("incremental", True):
        return None
    return {r[0] for r in con.execute(
        "select report_id from intermediate.int_reports_to_rebuild").fetchall()}
