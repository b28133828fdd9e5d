"""What a run did, read back from the warehouse: the summary `juesuan run` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from dagster_project.build_plan import rebuilt_by_last_build
from dagster_project.config import audit_dir
from dagster_project.ingest import SourceFile, discover, loaded_shas
from dagster_project.interpret.layout import table_name
from dagster_project.warehouse.load import RAW_TABLES, table_exists


@dataclass
class FailedReport:
    file_name: str
    reasons: list[str]


@dataclass
class PartialReport:
    """A report that loaded without some of its tables: found, but their layout unreadable."""

    file_name: str
    unit_name: str
    fiscal_year: int
    tables: list[tuple[str, str]]  # (公开NN表, reason with where)


# Reports with unreadable tables listed one by one up to this many; the rest are counted.
PARTIAL_LISTED = 50


@dataclass
class RunSummary:
    reports_in_folder: int
    reports_loaded: int
    raw_rows: dict[str, int]
    failed: list[FailedReport]
    findings_by_severity: dict[str, int]
    build: str | None = None  # the run's dbt build: mode, reason, reports rebuilt
    partial: list[PartialReport] = field(default_factory=list)
    # (severity, message) of each revision this run loaded over another: which file superseded
    # which; a warning when the file names differ
    superseded: list[tuple[str, str]] = field(default_factory=list)
    # files loaded as one part of a report published as several (raw.report_parts)
    parts: int = 0

    def render(self) -> str:
        notes = [f"{len(self.partial)} with unreadable tables"] if self.partial else []
        if self.parts:
            notes.append(f"{self.parts} as a part of a report in several files")
        with_notes = f" ({'; '.join(notes)})" if notes else ""
        lines = [
            f"reports in folder: {self.reports_in_folder}, loaded: {self.reports_loaded}"
            f"{with_notes}, failed: {len(self.failed)}",
            "raw rows: " + ", ".join(f"{t} {n}" for t, n in self.raw_rows.items()),
        ]
        if self.build:
            lines.append(f"dbt build: {self.build}")
        if self.findings_by_severity:
            lines.append("findings: " + ", ".join(
                f"{s} {n}" for s, n in self.findings_by_severity.items())
                + " (each located and explained: `juesuan findings`, or the HTML reports in "
                  f"{audit_dir()})")
        # Loaded, but not whole: apart from the failures, since the report is in the warehouse
        # and only the identities reading these tables are indeterminate.
        for p in self.partial[:PARTIAL_LISTED]:
            lines.append(f"LOADED WITH UNREADABLE TABLES {p.file_name} ({p.unit_name} "
                         f"{p.fiscal_year}):")
            lines.extend(f"  - {table}: {reason}" for table, reason in p.tables)
        if len(self.partial) > PARTIAL_LISTED:
            lines.append(f"... and {len(self.partial) - PARTIAL_LISTED} more reports with "
                         f"unreadable tables (raw.report_tables where status = 'unreadable')")
        for severity, message in self.superseded:
            lines.append(f"SUPERSEDED ({severity}): {message}")
        for f in self.failed:
            lines.append(f"FAILED {f.file_name}:")
            lines.extend(f"  - {r}" for r in f.reasons)
        return "\n".join(lines)


def summarise(con: duckdb.DuckDBPyConnection, reports_dir: Path,
              files: list[SourceFile] | None = None, since: datetime | None = None) -> RunSummary:
    """`files`: the folder as hashed at the start of the run (hashing 10,000 files again
    costs a second). `since`: the run's start (UTC), for what the run superseded."""
    files = discover(reports_dir) if files is None else files
    loaded = loaded_shas(con)  # a part of a multi-file report is loaded too
    parts = {r[0] for r in con.execute("select sha256 from raw.report_parts").fetchall()} \
        if table_exists(con, "raw", "report_parts") else set()
    raw_rows = {t: con.execute(f"select count(*) from raw.{t}").fetchall()[0][0] for t in RAW_TABLES}
    failed = []
    for f in files:
        if f.sha256 in loaded:
            continue
        reasons = [f"[{k}] {loc}: {m}" for k, loc, m in con.execute(
            "select error_kind, source_location, message from raw.ingest_errors "
            "where (sha256 = ? or file_path = ?) and is_fatal order by source_location",
            [f.sha256, str(f.path)]).fetchall()]
        failed.append(FailedReport(f.path.name, reasons or ["not loaded (no error recorded)"]))
    findings: dict[str, int] = {}
    if table_exists(con, "marts", "audit_findings"):
        findings = dict(con.execute(
            "select severity, count(*) from marts.audit_findings group by 1 "
            "order by case severity when 'error' then 0 when 'warning' then 1 "
            "when 'indeterminate' then 2 else 3 end").fetchall())
    superseded = [] if since is None else [tuple(r) for r in con.execute(
        "select severity, message from raw.ingest_errors where error_kind in "
        "('supersedes', 'supersedes_other_file') and recorded_at >= ? "
        "order by severity desc, message", [since]).fetchall()]
    return RunSummary(len(files), len(files) - len(failed), raw_rows, failed, findings,
                      _last_build(con), _partial(con, [f.sha256 for f in files]), superseded,
                      sum(f.sha256 in parts for f in files))


def _partial(con: duckdb.DuckDBPyConnection, shas: list[str]) -> list[PartialReport]:
    """The folder's loaded reports (current revisions) with tables found but not read."""
    rows = con.execute(
        "select r.file_name, r.unit_name, r.fiscal_year, t.table_code, "
        "coalesce(t.status_reason, t.source_location, 'no reason recorded') "
        "from raw.report_tables t join raw.reports r using (report_id) "
        "where t.status = 'unreadable' and not r.is_superseded and list_contains(?, r.sha256) "
        "order by r.file_name, r.report_id, t.table_code", [shas]).fetchall()
    partial: dict[tuple, PartialReport] = {}
    for file_name, unit, year, code, reason in rows:
        report = partial.setdefault((file_name, unit, year),
                                    PartialReport(file_name, unit, year, []))
        report.tables.append((table_name(code), reason))
    return list(partial.values())


def _last_build(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = con.execute(
        "select mode, reason, queued_reports, succeeded from raw.dbt_builds "
        "order by finished_at desc limit 1").fetchall() if table_exists(con, "raw", "dbt_builds") else []
    if not rows:
        return None
    mode, reason, queued, succeeded = rows[0]
    text = f"{mode} ({reason}), {queued} reports queued"
    rebuilt = rebuilt_by_last_build(con)
    if rebuilt is not None:
        text += f", {len(rebuilt)} recomputed"
    return text if succeeded else text + ": FAILED"

