"""Read a folder of reports and load the raw layer: the pure core the Dagster assets call."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from dagster_project import config
from dagster_project.interpret.facts import Problem, ReportFacts
from dagster_project.interpret.report import interpret
from dagster_project.parse_limits import ParseLimits, parse_files
from dagster_project.readers import REPORT_SUFFIXES, IngestError, read_document
from dagster_project.warehouse.load import (
    PARTNER_MISSING,
    LoadOutcome,
    attach_part,
    ensure_schema,
    error_rows,
    load_report,
    load_reports,
    raw_rows,
    record_errors,
    report_id_of,
    table_exists,
)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    size: int


def report_paths(reports_dir: Path) -> list[Path]:
    """Every file under the folder (hidden files and README/provenance notes excepted), unread.

    A symlinked subfolder is followed, once: a folder reached again (a link to a parent, two
    links to one folder) is not walked again, so a loop cannot hang the run.
    """
    paths, seen = [], set()
    for root, dirs, files in os.walk(reports_dir, followlinks=True):
        here = Path(root)
        real = os.stat(here)
        if (real.st_dev, real.st_ino) in seen:
            dirs.clear()
            continue
        seen.add((real.st_dev, real.st_ino))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = here / name
            if name.startswith(".") or not path.is_file():
                continue
            if path.suffix.lower() in (".md",):
                continue  # provenance notes live beside the reports
            paths.append(path)
    return sorted(paths)


def report_key(reports_dir: Path, path: Path) -> str:
    """A report's partition key: its path relative to the reports folder, with `/`."""
    return path.relative_to(reports_dir).as_posix()


def source_file(path: Path) -> SourceFile:
    data = path.read_bytes()
    return SourceFile(path, hashlib.sha256(data).hexdigest(), len(data))


def unreadable_file(path: Path) -> SourceFile:
    """A file that could not be read (an I/O error): a stand-in hash of its path, never a
    loaded report's, so it is tried again on every run and recorded as its own ingest error."""
    return SourceFile(path, hashlib.sha256(f"unreadable:{path}".encode()).hexdigest(), -1)


def discover(reports_dir: Path) -> list[SourceFile]:
    """Every report file under the folder with its SHA-256. One file that cannot be read does
    not stop the others: it is listed, and its load records why."""
    sources = []
    for path in report_paths(reports_dir):
        try:
            sources.append(source_file(path))
        except OSError:
            sources.append(unreadable_file(path))
    return sources


def loaded_shas(con: duckdb.DuckDBPyConnection) -> set[str]:
    """SHA-256 of every file revision in the warehouse (empty before the first load)."""
    if not table_exists(con, "raw", "reports"):
        return set()
    # A part of a multi-file report (raw.report_parts) is loaded too.
    parts = "union all select sha256 from raw.report_parts" if table_exists(
        con, "raw", "report_parts") else ""
    return {r[0] for r in con.execute(f"select sha256 from raw.reports {parts}").fetchall()}


@dataclass
class ReadResult:
    source: SourceFile
    facts: ReportFacts | None
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, list[tuple]] | None = None  # the raw rows, when built by `read_for_load`


def read_one(source: SourceFile, max_pages: int | None = None) -> ReadResult:
    """Read and interpret one file; every failure becomes a located problem, never an exception
    (but MemoryError, which is the parse limits' to report: see parse_limits.py)."""
    if source.size < 0:
        return ReadResult(source, None, [Problem(
            "unreadable_file", "cannot read the file (an I/O error while hashing it)", None,
            True)])
    if source.path.suffix.lower() not in REPORT_SUFFIXES:
        return ReadResult(source, None, [Problem(
            "not_a_report", f"unsupported file type {source.path.suffix!r}: expected .txt or .pdf",
            None, True)])
    try:
        doc = read_document(source.path, max_pages)
        facts = interpret(doc)
    except IngestError as exc:
        return ReadResult(source, None, [Problem(exc.kind, exc.message, exc.location, True)])
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        return ReadResult(source, None, [Problem(
            "reader_crash", f"{type(exc).__name__}: {exc}", None, True)])
    return ReadResult(source, facts, list(facts.problems))


def read_for_load(source: SourceFile, max_pages: int | None = None) -> ReadResult:
    """`read_one`, plus the rows to insert, built here in the worker process.

    The rows travel back as tuples and the facts without their tables: unpickling whole facts
    and building rows in the one writing process cost it more than the inserts did.
    """
    result = read_one(source, max_pages)
    facts = result.facts
    if facts is not None and not any(p.fatal for p in result.problems):
        result.rows = raw_rows(facts, report_id_of(facts.sha256))
        result.facts = replace(facts, tables={}, narrative=[], evaluations=[])
    return result


def read_all(sources: list[SourceFile], workers: int | None = None,
             limits: ParseLimits | None = None) -> Iterator[ReadResult]:
    """Read and interpret files on every core, yielding results in input order as they come.

    Reading is CPU-bound pure Python, so processes, not threads; each file is parsed under the
    configured memory, time and page limits (parse_limits.py). The caller writes each result
    through its single DuckDB connection (one writer per file) and drops it, so memory stays
    flat however many reports there are.
    """
    yield from parse_files(sources, workers, limits)


def failed_shas(con: duckdb.DuckDBPyConnection) -> set[str]:
    """SHA-256 of files that failed to parse: the same bytes fail the same way, so they are not
    read again unless asked (`juesuan run --retry-failed`). An I/O error or a failed insert is
    not the bytes' doing and is retried; nor is a part of a multi-file report that an earlier
    version failed as waiting for the file with its tables (a fatal `partner_file_missing`):
    read again, it loads alone until that file arrives (`load.attach_part`)."""
    if not table_exists(con, "raw", "ingest_errors"):
        return set()
    return {r[0] for r in con.execute(
        "select distinct sha256 from raw.ingest_errors where is_fatal and sha256 is not null "
        "and error_kind not in ('unreadable_file', 'load_failed', ?)", [PARTNER_MISSING]
    ).fetchall()}


@dataclass
class BatchSummary:
    outcomes: list[LoadOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[LoadOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


# A chunk of reports goes into the warehouse in one transaction once it holds this many table
# cells (or CHUNK_REPORTS reports): three of DuckDB's row groups (122,880 rows), which DuckDB
# writes straight into the file rather than into its write-ahead log first and the file again
# at a checkpoint. 10,000 generated reports (570 cells each), the writer alone: 393 MB written
# in place of 858 MB at 200 reports a chunk, and a third less CPU.
CHUNK_CELLS = 3 * 122_880
CHUNK_REPORTS = 1_000


def load_results(con: duckdb.DuckDBPyConnection, results: Iterable[ReadResult],
                 chunk: int = CHUNK_REPORTS, chunk_cells: int = CHUNK_CELLS) -> BatchSummary:
    """Load read results a chunk per transaction (bulk inserts: `chunk` reports or
    `chunk_cells` table cells, whichever comes first), each report atomic: a chunk that fails
    is loaded again report by report, so one bad report fails alone.

    A file that is one part of a multi-file report (its tables in another file) is attached
    after every report of the batch is loaded, so its partner may come anywhere in the batch
    (or in an earlier run); with no partner it loads alone and joins it when it comes."""
    summary = BatchSummary()
    buffer: list[ReadResult] = []
    cells = 0
    parts: list[ReadResult] = []
    for r in results:
        fatal = [p for p in r.problems if p.fatal]
        if r.facts is not None and r.facts.tables_elsewhere and not fatal:
            parts.append(r)
            continue
        if r.facts is None or fatal:
            path = str(r.source.path)
            record_errors(con, error_rows(r.source.path.name, path, r.source.sha256, r.problems))
            message = "; ".join(f"{p.location or r.source.path.name}: {p.message}" for p in fatal)
            summary.outcomes.append(LoadOutcome(r.source.path.name, "failed", message=message))
            continue
        buffer.append(r)
        cells += len(r.rows["table_cells"]) if r.rows else len(r.facts.cells())
        if len(buffer) >= chunk or cells >= chunk_cells:
            _flush(con, buffer, summary)
            buffer, cells = [], 0
    _flush(con, buffer, summary)
    for r in parts:
        _load_one(con, attach_part, r, summary)
    return summary


def _load_one(con: duckdb.DuckDBPyConnection, load, r: ReadResult, summary: BatchSummary) -> None:
    """Load one report (or part) with `load`; a failure is that file's located load_failed."""
    path = str(r.source.path)
    try:
        summary.outcomes.append(load(con, r.facts, path, r.rows))
    except Exception as exc:  # noqa: BLE001 - recorded, and the rest of the batch loads
        problem = Problem("load_failed", f"{type(exc).__name__}: {exc}", None, True)
        record_errors(con, error_rows(r.source.path.name, path, r.source.sha256, [problem]))
        summary.outcomes.append(LoadOutcome(r.source.path.name, "failed", message=str(exc)))


def _flush(con: duckdb.DuckDBPyConnection, buffer: list[ReadResult],
           summary: BatchSummary) -> None:
    if not buffer:
        return
    try:
        summary.outcomes.extend(load_reports(
            con, [(r.facts, str(r.source.path), r.rows) for r in buffer]))
        return
    except Exception:  # noqa: BLE001 - find the report that broke the chunk, load the others
        pass
    for r in buffer:
        _load_one(con, load_report, r, summary)


def load_files(con: duckdb.DuckDBPyConnection, reports_dir: Path, keys: Iterable[str],
               workers: int | None = None, limits: ParseLimits | None = None,
               retry_failed: bool | None = None) -> BatchSummary:
    """Load the named report files (partition keys) of a folder: the per-report step.

    Hashing is cheap and parsing is not, so files whose bytes are already loaded are skipped
    before they are read: a run over unchanged files costs one hash per file. So are files
    whose bytes failed before (`failed_shas`), unless `retry_failed` (default: $JUESUAN_RETRY_FAILED).
    """
    ensure_schema(con)
    retry_failed = config.retry_failed() if retry_failed is None else retry_failed
    known = loaded_shas(con)
    failed_before = set() if retry_failed else failed_shas(con)
    summary = BatchSummary()
    todo = []
    for key in keys:
        path = reports_dir / key
        if not path.is_file():
            summary.outcomes.append(LoadOutcome(key, "missing", message=f"{path} is gone"))
            continue
        try:
            source = source_file(path)
        except OSError as exc:
            problem = Problem("unreadable_file", f"cannot read the file: {exc}", None, True)
            record_errors(con, error_rows(path.name, str(path), None, [problem]))
            summary.outcomes.append(LoadOutcome(path.name, "failed", message=problem.message))
            continue
        if source.sha256 in known:
            summary.outcomes.append(LoadOutcome(path.name, "unchanged", report_id_of(source.sha256)))
        elif source.sha256 in failed_before:
            summary.outcomes.append(LoadOutcome(
                path.name, "failed", message="failed before with the same bytes (not read again; "
                                             "`juesuan run --retry-failed` to re-read)"))
        else:
            todo.append(source)
    results = read_all(todo, workers, limits)
    try:
        summary.outcomes.extend(load_results(con, results).outcomes)
    finally:
        # Stops the parse workers now if loading failed: the generator would otherwise wait
        # for the garbage collector, and the traceback keeps it alive.
        getattr(results, "close", lambda: None)()
    return summary
