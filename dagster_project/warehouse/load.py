"""Write report facts into the raw layer: one transaction per report, idempotent by content.

Loading the same bytes again changes nothing (the SHA-256 is the key); a changed file for a
unit and year already loaded becomes a new revision and the old one is marked superseded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project.config import duckdb_config
from dagster_project.interpret.facts import Problem, ReportFacts
from dagster_project.interpret.layout import table_name
from dagster_project.unit_names import same_unit

RAW_TABLES = [
    "reports",
    "report_tables",
    "table_cells",
    "narrative_facts",
    "performance_evaluations",
    "performance_indicators",
    "ingest_errors",
    "report_parts",
]


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=duckdb_config())
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(path, str(exc)) from exc
        raise WarehouseUnusable(path, exc) from exc
    except duckdb.Error as exc:  # not a DuckDB file, a newer format, a corrupt header
        raise WarehouseUnusable(path, exc) from exc


class WarehouseBusy(RuntimeError):
    """Another process holds the DuckDB file (DuckDB allows one writer per file)."""

    def __init__(self, path: Path, detail: str):
        super().__init__(
            f"the warehouse {path} is in use by another process (a run or a dashboard holding it "
            f"open); DuckDB allows one writer per file. Wait for it to finish and retry. ({detail})"
        )


class WarehouseUnusable(RuntimeError):
    """The warehouse file cannot be opened: unreadable, read-only, corrupt or not DuckDB's."""

    def __init__(self, path: Path, exc: Exception):
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        super().__init__(f"cannot open the warehouse {path}: {detail}")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    ddl = resources.files("dagster_project.warehouse").joinpath("raw_schema.sql").read_text("utf-8")
    con.execute(ddl)


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("select count(*) from information_schema.tables "
                       "where table_schema = ? and table_name = ?", [schema, table]
                       ).fetchall()[0][0] > 0


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The first row of a query, or None (fetchall: DuckDB 2 keeps a result open after fetchone)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def report_id_of(sha256: str) -> str:
    return sha256[:16]


def _s(value) -> str | None:
    """Decimals travel as text so no amount ever passes through float."""
    return None if value is None else str(value)


COLUMNS = {
    "report_tables": ["report_id", "table_code", "table_title", "status", "declaration",
                      "amount_unit", "row_count", "cell_count", "source_location", "status_reason",
                      "is_required"],
    "table_cells": ["report_id", "table_code", "row_index", "row_code", "row_label", "row_key",
                    "row_line_no", "column_index", "column_label", "column_key", "column_group",
                    "value_wan_yuan", "printed_text", "decimals", "unit_divisor",
                    "source_location", "line_no", "page_no", "bbox_x0", "bbox_top", "bbox_x1",
                    "bbox_bottom", "row_economic_code"],
    "narrative_facts": ["report_id", "fact_id", "section", "fact_kind", "subject",
                        "function_path", "metric", "amount_wan_yuan", "percent", "count_value",
                        "decimals", "direction", "reason", "printed_text", "sentence",
                        "source_location", "line_no", "page_no", "amount_unit"],
    "performance_evaluations": ["report_id", "evaluation_index", "evaluation_kind",
                                "project_name", "budget_wan_yuan", "executed_wan_yuan",
                                "budget_decimals", "executed_decimals", "stated_rate_pct",
                                "rate_decimals", "basic_total_wan_yuan",
                                "project_total_wan_yuan", "basic_total_decimals",
                                "project_total_decimals", "deviation_reason", "source_location",
                                "line_no", "page_no", "funds_total_label",
                                "funds_total_wan_yuan", "funds_total_decimals",
                                "fiscal_wan_yuan", "fiscal_decimals", "carryover_wan_yuan",
                                "carryover_decimals", "other_wan_yuan", "other_decimals",
                                "funds_unnamed_lines", "initial_budget_wan_yuan",
                                "initial_budget_decimals"],
    "performance_indicators": ["report_id", "evaluation_index", "indicator_index", "goal",
                               "level1", "level2", "level3", "target_text", "actual_text",
                               "deviation_reason", "source_location", "line_no", "page_no"],
}


# The key of each row table (raw_schema.sql): `_insert` checks it, the tables keep no index.
ROW_KEYS = {
    "table_cells": ("report_id", "table_code", "row_index", "column_group", "column_index"),
    "narrative_facts": ("report_id", "fact_id"),
    "performance_evaluations": ("report_id", "evaluation_index"),
    "performance_indicators": ("report_id", "evaluation_index", "indicator_index"),
}


class DuplicateKey(ValueError):
    """Rows of a report repeat a key of their raw table: the report cannot load."""


_NO_BOX = (None, None, None, None)


def raw_rows(facts: ReportFacts, report_id: str) -> dict[str, list[tuple]]:
    """A report's rows per raw table, as tuples in COLUMNS order (one frame per chunk later:
    building a DataFrame per report and table cost more than the insert itself)."""
    loc = str
    return {
        "report_tables": [
            (report_id, t.table_code, t.title, t.status, t.declaration, t.amount_unit,
             t.row_count, len(t.cells), loc(t.location) if t.location else None, t.reason,
             t.required)
            for t in facts.tables.values()],
        "table_cells": [
            (report_id, c.table_code, c.row_index, c.row_code, c.row_label, c.row_key,
             c.row_line_no, c.column_index, c.column_label, c.column_key, c.column_group,
             _s(c.value_wan_yuan), c.printed_text, c.decimals, c.unit_divisor, loc(c.location),
             c.location.line, c.location.page, *(c.location.bbox or _NO_BOX), c.row_economic_code)
            for c in facts.cells()],
        "narrative_facts": [
            (report_id, i, f.section, f.fact_kind, f.subject, f.function_path, f.metric,
             _s(f.amount_wan_yuan), _s(f.percent), _s(f.count_value), f.decimals, f.direction,
             f.reason, f.printed_text, f.sentence, loc(f.location), f.location.line,
             f.location.page, f.amount_unit)
            for i, f in enumerate(facts.narrative)],
        "performance_evaluations": [
            (report_id, i, e.evaluation_kind, e.project_name, _s(e.budget_wan_yuan),
             _s(e.executed_wan_yuan), e.budget_decimals, e.executed_decimals,
             _s(e.stated_rate_pct), e.rate_decimals, _s(e.basic_total_wan_yuan),
             _s(e.project_total_wan_yuan), e.basic_total_decimals, e.project_total_decimals,
             e.deviation_reason, loc(e.location), e.location.line, e.location.page,
             e.funds_total_label, _s(e.funds_total_wan_yuan), e.funds_total_decimals,
             _s(e.fiscal_wan_yuan), e.fiscal_decimals, _s(e.carryover_wan_yuan),
             e.carryover_decimals, _s(e.other_wan_yuan), e.other_decimals,
             e.funds_unnamed_lines, _s(e.initial_budget_wan_yuan), e.initial_budget_decimals)
            for i, e in enumerate(facts.evaluations)],
        "performance_indicators": [
            (report_id, i, j, x.goal, x.level1, x.level2, x.level3, x.target_text,
             x.actual_text, x.deviation_reason, loc(x.location), x.location.line,
             x.location.page)
            for i, e in enumerate(facts.evaluations) for j, x in enumerate(e.indicators)],
    }


def _frames(rows: dict[str, list[tuple]]) -> dict[str, pd.DataFrame]:
    # object dtype keeps None as None (no NaN in integer columns) and text decimals as text.
    return {t: pd.DataFrame(r, columns=COLUMNS[t], dtype=object) for t, r in rows.items()}


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    if not all(pd.api.types.is_object_dtype(d) for d in frame.dtypes):
        frame = frame.astype(object).where(frame.notna(), None)
    con.register("_frame", frame)
    cols = ", ".join(frame.columns)
    if table in ROW_KEYS:
        # In place of a primary-key index (raw_schema.sql): the rows of new reports (ids the
        # table holds none of) or a part's facts (numbered after its report's last).
        key = ", ".join(ROW_KEYS[table])
        repeated = one(con, f"select {key} from _frame group by all having count(*) > 1 limit 1")
        if repeated:
            raise DuplicateKey(f"duplicate key in raw.{table}: "
                               f"{dict(zip(ROW_KEYS[table], repeated, strict=True))}")
    # Insert by name; DuckDB casts the text decimals exactly into DECIMAL columns. On failure
    # the frame stays registered until the caller's rollback: unregistering inside an aborted
    # transaction would raise and hide the real error.
    con.execute(f"insert into raw.{table} ({cols}) select {cols} from _frame")
    con.unregister("_frame")


@dataclass
class LoadOutcome:
    file_name: str
    status: str  # loaded | unchanged | failed | missing (a partition whose file is gone)
    report_id: str | None = None
    revision: int | None = None
    supersedes: str | None = None
    message: str | None = None


def error_records(file_name: str, file_path: str, sha256: str | None,
                  problems: list[Problem]) -> list[dict]:
    """A file's problems as rows of raw.ingest_errors."""
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for p in problems:
        where = str(p.location) if p.location else file_name
        key = f"{sha256 or file_path}|{p.kind}|{where}|{p.message}"
        rows.append(dict(error_id=hashlib.sha256(key.encode()).hexdigest()[:24],
                         file_name=file_name, file_path=file_path, sha256=sha256,
                         error_kind=p.kind, message=p.message, source_location=where,
                         is_fatal=p.fatal, recorded_at=now, severity=p.level))
    return rows


def error_rows(file_name: str, file_path: str, sha256: str | None,
               problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(error_records(file_name, file_path, sha256, problems))


def load_problems(facts: ReportFacts, report_tables: list[tuple]) -> list[Problem]:
    """What `raw.ingest_errors` keeps of a report that loads: its non-fatal problems, plus one
    `unreadable_table` row per table found but not read when the reader recorded that only on
    the table (`TableFact.reason`), so every table-level problem of a loaded report can be
    queried there with its file, next to the files that failed. `report_tables`: the report's
    rows for raw.report_tables (the parse workers send rows, not tables)."""
    problems = list(facts.problems)
    if any(p.kind == PARTNER_MISSING for p in problems):
        return problems  # its tables are in a file not collected: that one warning says so
    cols = COLUMNS["report_tables"]
    code_at, status_at = cols.index("table_code"), cols.index("status")
    reason_at, where_at = cols.index("status_reason"), cols.index("source_location")
    for row in report_tables:
        name = table_name(row[code_at])
        if row[status_at] != "unreadable" or any(
                p.kind == "unreadable_table" and name in p.message for p in problems):
            continue
        problems.append(Problem("unreadable_table",
                                f"{name} unreadable: {row[reason_at] or 'no reason recorded'}",
                                row[where_at], fatal=False))
    return problems


def supersession(facts: ReportFacts, revision: int, old_file: str, old_revision: int) -> Problem:
    """Which file superseded which, for `raw.ingest_errors` and the run summary: `info` for a
    new revision under the same file name; a `warning` when a different file name claims a unit
    and year already loaded (a report replaced by a file that may not be its revision)."""
    what = (f"{facts.file_name} (revision {revision}) supersedes {old_file} (revision "
            f"{old_revision}) as the report of {facts.unit_name} {facts.fiscal_year}")
    if old_file == facts.file_name:
        return Problem("supersedes", what, facts.file_name, False, "info")
    return Problem("supersedes_other_file",
                   what + ": a different file name claims a unit and year already loaded",
                   facts.file_name, False, "warning")


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit what the block wrote, or roll all of it back and re-raise."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        # Frames left registered by a failed insert (see _insert), now outside the transaction.
        for name in ("_frame", "_errors"):
            con.unregister(name)
        raise


def record_errors(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("_errors", frame)
    try:
        con.execute("insert or ignore into raw.ingest_errors select * from _errors")
    finally:
        con.unregister("_errors")


def queue_for_build(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Mark reports for the next dbt build, inside the caller's transaction."""
    con.execute("insert or ignore into raw.build_queue select unnest(?), now()::timestamp",
                [report_ids])


def load_report(con: duckdb.DuckDBPyConnection, facts: ReportFacts, file_path: str,
                rows: dict[str, list[tuple]] | None = None) -> LoadOutcome:
    """Load one report's facts (or their prebuilt `raw_rows`) atomically. The caller has
    checked `facts.fatal` is empty."""
    report_id = report_id_of(facts.sha256)
    exists = one(con, "select 1 from raw.reports where sha256 = ?", [facts.sha256])
    if exists:
        return LoadOutcome(facts.file_name, "unchanged", report_id)
    rows = rows or raw_rows(facts, report_id)
    with _transaction(con):
        # A revision replaces the same document: a unit's budget and its 决算 of one year are
        # two documents, each with its own revisions.
        previous = one(con, f"""select report_id, revision, file_name from raw.reports
                                where unit_name = ? and fiscal_year = ? and report_kind = ?
                                  and not is_superseded and {_NOT_WAITING}""",
                       [facts.unit_name, facts.fiscal_year, facts.report_kind, PARTNER_MISSING])
        revision = one(con, "select coalesce(max(revision), 0) + 1 from raw.reports "
                            "where unit_name = ? and fiscal_year = ? and report_kind = ?",
                       [facts.unit_name, facts.fiscal_year, facts.report_kind])[0]
        if previous:
            con.execute("update raw.reports set is_superseded = true, superseded_by = ? "
                        "where report_id = ?", [report_id, previous[0]])
        con.execute(
            """insert into raw.reports values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, null, ?)""",
            [report_id, facts.sha256, facts.file_name, file_path, facts.file_format,
             facts.encoding, facts.pages, facts.unit_name, facts.fiscal_year, facts.report_kind,
             facts.subordinate_units, revision, datetime.now(UTC).replace(tzinfo=None)])
        for table, frame in _frames(rows).items():
            _insert(con, table, frame)
        problems = load_problems(facts, rows["report_tables"])
        if previous:
            problems.append(supersession(facts, revision, previous[2], previous[1]))
        record_errors(con, error_rows(facts.file_name, file_path, facts.sha256, problems))
        queue_for_build(con, [report_id, *(previous[:1] if previous else [])])
        absorb_waiting_parts(con, report_id, facts)
    return LoadOutcome(facts.file_name, "loaded", report_id, revision,
                       previous[0] if previous else None)


def load_reports(con: duckdb.DuckDBPyConnection,
                 items: list[tuple[ReportFacts, str, dict[str, list[tuple]] | None]]
                 ) -> list[LoadOutcome]:
    """Load many reports in one transaction with one bulk insert per raw table.

    All or nothing for the chunk; the caller falls back to `load_report` one by one when the
    chunk fails, so one bad report cannot keep the others out. Same rules as `load_report`:
    known bytes are unchanged, a new file for a loaded unit and year supersedes it.
    """
    outcomes: list[LoadOutcome] = []
    shas = [facts.sha256 for facts, _, _ in items]
    known = {r[0] for r in con.execute(
        "select sha256 from raw.reports where list_contains(?, sha256)", [shas]).fetchall()}
    todo, seen = [], set()
    for facts, path, rows in items:
        if facts.sha256 in known or facts.sha256 in seen:
            outcomes.append(LoadOutcome(facts.file_name, "unchanged", report_id_of(facts.sha256)))
            continue
        seen.add(facts.sha256)
        todo.append((facts, path, rows))
    if not todo:
        return outcomes
    units = [f.unit_name for f, _, _ in todo]
    with _transaction(con):
        current: dict[tuple[str, int, str], str] = {}
        max_revision: dict[tuple[str, int, str], int] = {}
        # report_id -> (file name, revision) of every current revision, loaded or in the chunk
        current_file: dict[str, tuple[str, int]] = {}
        for unit, year, kind, report_id, revision, superseded, file_name, waiting in con.execute(
                f"select unit_name, fiscal_year, report_kind, report_id, revision, is_superseded, "
                f"file_name, not {_NOT_WAITING} "
                f"from raw.reports where list_contains(?, unit_name)",
                [PARTNER_MISSING, units]).fetchall():
            max_revision[(unit, year, kind)] = max(max_revision.get((unit, year, kind), 0),
                                                   revision)
            if not superseded and not waiting:
                current[(unit, year, kind)] = report_id
                current_file[report_id] = (file_name, revision)
        now = datetime.now(UTC).replace(tzinfo=None)
        rows: dict[str, dict] = {}
        superseded_in_db: list[tuple[str, str]] = []
        rows_by_table: dict[str, list[tuple]] = {t: [] for t in COLUMNS}
        errors: list[dict] = []
        for facts, path, prebuilt in todo:
            key = (facts.unit_name, facts.fiscal_year, facts.report_kind)
            report_id = report_id_of(facts.sha256)
            previous = current.get(key)
            if previous in rows:
                rows[previous].update(is_superseded=True, superseded_by=report_id)
            elif previous:
                superseded_in_db.append((report_id, previous))
            revision = max_revision.get(key, 0) + 1
            current[key], max_revision[key] = report_id, revision
            current_file[report_id] = (facts.file_name, revision)
            rows[report_id] = dict(
                report_id=report_id, sha256=facts.sha256, file_name=facts.file_name,
                file_path=path, file_format=facts.file_format, encoding=facts.encoding,
                pages=facts.pages, unit_name=facts.unit_name, fiscal_year=facts.fiscal_year,
                report_kind=facts.report_kind, subordinate_units=facts.subordinate_units,
                revision=revision, is_superseded=False, superseded_by=None, loaded_at=now)
            report_rows = prebuilt or raw_rows(facts, report_id)
            for table, table_rows in report_rows.items():
                rows_by_table[table].extend(table_rows)
            problems = load_problems(facts, report_rows["report_tables"])
            if previous:
                problems.append(supersession(facts, revision, *current_file[previous]))
            errors.extend(error_records(facts.file_name, path, facts.sha256, problems))
            outcomes.append(LoadOutcome(facts.file_name, "loaded", report_id, revision, previous))
        for new_id, old_id in superseded_in_db:
            con.execute("update raw.reports set is_superseded = true, superseded_by = ? "
                        "where report_id = ?", [new_id, old_id])
        _insert(con, "reports", pd.DataFrame(list(rows.values())))
        for table, frame in _frames(rows_by_table).items():
            _insert(con, table, frame)
        record_errors(con, pd.DataFrame(errors))
        queue_for_build(con, [*rows, *(old for _, old in superseded_in_db)])
        for facts, _path, _rows in todo:
            absorb_waiting_parts(con, report_id_of(facts.sha256), facts)
    return outcomes


PARTNER_MISSING = "partner_file_missing"
# A report loaded alone while the file with its tables is not (yet) collected: it waits to
# become a part of the report that file makes (`absorb_waiting_parts`), never a revision.
# The attachment sentence as the wait's message quotes it.
_WAITING_FOR = re.compile(r"its tables are in another file \((.*)\) not collected")
_NOT_WAITING = ("sha256 not in (select sha256 from raw.ingest_errors "
                "where error_kind = ? and sha256 is not null)")


def _current_report_of(con: duckdb.DuckDBPyConnection, facts: ReportFacts
                       ) -> tuple[str, str] | None:
    """The current report of the part's unit, year and kind: the unit as the other file names
    it may differ by the abbreviations of `unit_names` (江苏省委办公厅 / 中共江苏省委办公厅)."""
    candidates = con.execute(
        f"""select report_id, file_name, unit_name from raw.reports
            where fiscal_year = ? and report_kind = ? and not is_superseded and {_NOT_WAITING}
            order by unit_name <> ?, report_id""",
        [facts.fiscal_year, facts.report_kind, PARTNER_MISSING, facts.unit_name]).fetchall()
    return next(((rid, name) for rid, name, unit in candidates
                 if same_unit(unit, facts.unit_name)), None)


def attach_part(con: duckdb.DuckDBPyConnection, facts: ReportFacts, file_path: str,
                rows: dict[str, list] | None = None) -> LoadOutcome:
    """Load one part of a multi-file report (a file whose tables are in another:
    `facts.tables_elsewhere`) into the current report of its unit, year and kind, atomically.

    No such report loaded yet: the part loads alone as the report of its unit, year and kind,
    with what it holds (its narrative; its tables indeterminate: `unreadable` as in another
    file, never zero) and a located warning (`partner_file_missing`, at the sentence naming
    the other file). When the file with the tables arrives, the report it makes takes this one
    in as its part (`absorb_waiting_parts`). Its narrative facts join the report's, each
    keeping its own file and page."""
    known = one(con, "select report_id from raw.report_parts where sha256 = ?", [facts.sha256])
    if known:
        return LoadOutcome(facts.file_name, "unchanged", known[0])
    target = _current_report_of(con, facts)
    where = next((p.location for p in facts.problems if p.kind == "tables_in_other_file"),
                 facts.file_name)
    if target is None:
        waiting = Problem(
            PARTNER_MISSING,
            f"one part of the {facts.report_kind} of {facts.unit_name} {facts.fiscal_year}: "
            f"its tables are in another file ({facts.tables_elsewhere}) not collected; loaded "
            f"alone, its tables indeterminate, until that file arrives", where, fatal=False,
            severity="warning")
        return load_report(con, replace(facts, problems=[*facts.problems, waiting]), file_path,
                           rows)
    report_id, report_file = target
    with _transaction(con):
        _insert_part(con, report_id, facts.sha256, facts.file_name, file_path, facts.pages,
                     facts, facts.tables_elsewhere)
        narrative = (rows or raw_rows(facts, report_id))["narrative_facts"]
        if narrative:
            start = _next_fact_id(con, report_id)
            narrative = [(report_id, start + i, *r[2:]) for i, r in enumerate(narrative)]
            _insert(con, "narrative_facts", _frames({"narrative_facts": narrative})
                    ["narrative_facts"])
        # It waited for its partner on an earlier run: no longer a failure.
        con.execute("delete from raw.ingest_errors where sha256 = ? and error_kind = ?",
                    [facts.sha256, PARTNER_MISSING])
        attached = Problem("part_of_report", f"{facts.file_name} is loaded as a part of the "
                           f"report in {report_file} ({facts.report_kind} of {facts.unit_name} "
                           f"{facts.fiscal_year})", where, fatal=False, severity="info")
        record_errors(con, error_rows(facts.file_name, file_path, facts.sha256,
                                      [*facts.problems, attached]))
        queue_for_build(con, [report_id])
    return LoadOutcome(facts.file_name, "loaded", report_id)


def _insert_part(con: duckdb.DuckDBPyConnection, report_id: str, sha256: str, file_name: str,
                 file_path: str, pages: int | None, facts: ReportFacts,
                 tables_elsewhere: str | None) -> None:
    con.execute("insert into raw.report_parts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [report_id, sha256, file_name, file_path, pages, facts.unit_name,
                 facts.fiscal_year, facts.report_kind, tables_elsewhere,
                 datetime.now(UTC).replace(tzinfo=None)])


def _next_fact_id(con: duckdb.DuckDBPyConnection, report_id: str) -> int:
    return one(con, "select coalesce(max(fact_id) + 1, 0) from raw.narrative_facts "
                    "where report_id = ?", [report_id])[0]


def absorb_waiting_parts(con: duckdb.DuckDBPyConnection, report_id: str,
                         facts: ReportFacts) -> None:
    """The report just loaded (inside the caller's transaction) takes in every report of its
    unit, year and kind loaded alone while it waited for this file of tables (`attach_part`):
    each becomes its part (raw.report_parts) and is marked superseded by it, its narrative
    facts moved to it, its wait (`partner_file_missing`) over."""
    waiting = con.execute(
        f"""select report_id, sha256, file_name, file_path, pages, unit_name from raw.reports
            where fiscal_year = ? and report_kind = ? and not is_superseded
              and report_id <> ? and not {_NOT_WAITING}""",
        [facts.fiscal_year, facts.report_kind, report_id, PARTNER_MISSING]).fetchall()
    for old_id, sha256, file_name, file_path, pages, unit in waiting:
        if not same_unit(unit, facts.unit_name):
            continue
        where, message = one(con, "select source_location, message from raw.ingest_errors "
                                  "where sha256 = ? and error_kind = ?", [sha256, PARTNER_MISSING])
        con.execute("update raw.reports set is_superseded = true, superseded_by = ? "
                    "where report_id = ?", [report_id, old_id])
        _insert_part(con, report_id, sha256, file_name, file_path, pages, facts,
                     _WAITING_FOR.search(message).group(1) if _WAITING_FOR.search(message)
                     else None)
        con.execute("""insert into raw.narrative_facts
                       select * replace (? as report_id, fact_id + ? as fact_id)
                       from raw.narrative_facts where report_id = ?""",
                    [report_id, _next_fact_id(con, report_id), old_id])
        con.execute("delete from raw.narrative_facts where report_id = ?", [old_id])
        con.execute("delete from raw.ingest_errors where sha256 = ? and error_kind = ?",
                    [sha256, PARTNER_MISSING])
        attached = Problem("part_of_report", f"{file_name} is loaded as a part of the report "
                           f"in {facts.file_name} ({facts.report_kind} of {facts.unit_name} "
                           f"{facts.fiscal_year}): its tables arrived", where, fatal=False,
                           severity="info")
        record_errors(con, error_rows(file_name, file_path, sha256, [attached]))
        queue_for_build(con, [old_id])
