"""The `juesuan` command: the same job Dagster runs, from the shell."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

from dagster_project.build_plan import FULL_REFRESH_ENV
from dagster_project.config import (
    HIERARCHY_ENV,
    REPORTS_ENV,
    RETRY_FAILED_ENV,
    WAREHOUSE_ENV,
    reports_dir,
    warehouse_path,
)

# Unit names, labels and file names come from the documents: a control character in them
# (an ESC sequence, a carriage return) could clear the terminal or forge lines, so every one but
# the newline and tab is shown escaped.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# `generate --years`: a typo like 2023-20230 would otherwise write reports until the disk fills.
MAX_YEARS = 50


# Exit codes an operator scripts against (README): another run holds the warehouse; the run
# cannot start (a bad folder, warehouse or setting).
BUSY, CANNOT_START = 3, 2


def _one_line(exc: Exception, code: int) -> int:
    """Say what stops the command in one line, no traceback, and give its exit code."""
    print(f"juesuan: {exc}", file=sys.stderr)
    return code


def printable(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _set_paths(args: argparse.Namespace) -> None:
    # The env vars are the one place Dagster, dbt and this CLI read the paths from.
    if getattr(args, "reports", None):
        os.environ[REPORTS_ENV] = str(Path(args.reports).resolve())
    if getattr(args, "warehouse", None):
        os.environ[WAREHOUSE_ENV] = str(Path(args.warehouse).resolve())
    if getattr(args, "hierarchy", None):
        os.environ[HIERARCHY_ENV] = str(Path(args.hierarchy).resolve())
    if getattr(args, "full_refresh", False):
        os.environ[FULL_REFRESH_ENV] = "1"
    if getattr(args, "retry_failed", False):
        os.environ[RETRY_FAILED_ENV] = "1"
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")


def run(args: argparse.Namespace) -> int:
    _set_paths(args)
    # Our definitions use beta parameters on purpose (backfill_policy); say so once, in code.
    warnings.filterwarnings("ignore", message=".*is currently in beta")
    from dagster_project.run_lock import RunLocked, RunLockUnavailable, run_lock

    folder, warehouse = reports_dir(), warehouse_path()
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        print(f"juesuan: reports folder {folder} {what}", file=sys.stderr)
        return 2
    from dagster_project.parse_limits import ParseLimits

    try:
        ParseLimits.from_env()
    except ValueError as exc:  # a limit set to text or 0
        print(f"juesuan: {exc}", file=sys.stderr)
        return 2
    try:
        # One run per warehouse from here to the summary (DuckDB's lock is per step).
        with run_lock(warehouse):
            return _run_locked(args, folder, warehouse)
    except (RunLocked, RunLockUnavailable) as exc:
        return _one_line(exc, BUSY if isinstance(exc, RunLocked) else CANNOT_START)


def _run_locked(args: argparse.Namespace, folder: Path, warehouse: Path) -> int:
    # What an operator can get wrong is checked before Dagster, dbt and GX are imported
    # (seconds), so a mistake is a quick one-line error.
    from dagster_project.config import retry_failed
    from dagster_project.ingest import discover, failed_shas, loaded_shas, report_key
    from dagster_project.warehouse.load import WarehouseBusy, WarehouseUnusable, connect

    started = datetime.now(UTC).replace(tzinfo=None)  # the clock raw.ingest_errors uses
    sources = discover(folder)
    files = {report_key(folder, f.path): f.sha256 for f in sources}
    try:
        # Fails fast, with a clear message, if another run holds the warehouse.
        with connect(warehouse) as con:
            known = loaded_shas(con)
            # The same bytes fail the same way: not read again unless --retry-failed.
            if not retry_failed():
                known |= failed_shas(con)
    except (WarehouseBusy, WarehouseUnusable) as exc:
        return _one_line(exc, BUSY if isinstance(exc, WarehouseBusy) else CANNOT_START)
    # The whole folder, idempotently: only files whose bytes are not loaded yet (new or changed)
    # become the run's partitions; the marts are rebuilt and audited regardless.
    todo = [k for k, sha in files.items() if sha not in known]
    home = os.environ.get("DAGSTER_HOME")
    if home and not Path(home).is_dir():
        print(f"juesuan: $DAGSTER_HOME {home!r} is not a folder (create it, or unset "
              f"DAGSTER_HOME for a throw-away instance)", file=sys.stderr)
        return 2
    import dagster as dg

    from dagster_project.audit.suites import import_gx_in_background
    from dagster_project.definitions import defs
    from dagster_project.partitions import PARTITIONS_NAME, plan_partitions, range_tags
    from dagster_project.summary import summarise

    try:
        instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else \
            dg.DagsterInstance.ephemeral()
    except Exception as exc:  # noqa: BLE001 - a bad $DAGSTER_HOME: say so in one line
        print(f"juesuan: cannot open the Dagster instance in $DAGSTER_HOME "
              f"({os.environ.get('DAGSTER_HOME')!r}): {type(exc).__name__}: "
              f"{str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr)
        return 2
    plan = plan_partitions(instance.get_dynamic_partitions(PARTITIONS_NAME), todo, set(files))
    run_keys = plan.apply(instance)
    job = defs.resolve_job_def("juesuan_job")
    print(f"juesuan: loading {folder} into {warehouse} ({len(todo)} new or changed of "
          f"{len(files)} files)")
    # Step failures surface as the exception below; warnings (dbt singular tests observed, not
    # checked) would only drown the summary.
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    # dagster-dbt echoes every dbt event on stdout: keep it in a log file so the terminal shows
    # the summary, unless asked for everything.
    log_path = warehouse.parent / "logs" / f"run-{time.strftime('%Y%m%d-%H%M%S')}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    import_gx_in_background()
    with open(log_path, "w", encoding="utf-8") as log:
        sink = contextlib.nullcontext() if args.verbose else contextlib.redirect_stdout(log)
        try:
            with sink:
                if run_keys:
                    job.execute_in_process(instance=instance, run_config=quiet,
                                           tags=range_tags(run_keys))
                else:
                    job.execute_in_process(instance=instance, run_config=quiet,
                                           asset_selection=_unpartitioned(defs))
        except Exception as exc:  # noqa: BLE001 - report the step that failed, then exit non-zero
            log.flush()
            tail = log_path.read_text("utf-8").splitlines()[-40:]
            print("\n".join(tail), file=sys.stderr)
            print(f"juesuan: the run failed: {type(exc).__name__}: {exc} (full log: {log_path})",
                  file=sys.stderr)
            return 1
    if not args.verbose:
        print(f"juesuan: dbt and step output in {log_path}")
    with connect(warehouse, read_only=True) as con:
        summary = summarise(con, folder, sources, since=started)
    print(printable(summary.render()))
    # Exit 4: the run worked but some reports could not be loaded (listed above). A report
    # that loaded without an unreadable table did load: listed apart, and still exit 0.
    return 4 if summary.failed else 0


def _unpartitioned(defs) -> list:
    """Every asset but the per-report loads: the marts and the audit, when no file is new."""
    graph = defs.resolve_asset_graph()
    return [k for k in graph.get_all_asset_keys()
            if graph.get(k).is_executable and graph.get(k).partitions_def is None]


def findings(args: argparse.Namespace) -> int:
    _set_paths(args)
    from dagster_project.audit.report import query_findings, render_text
    from dagster_project.warehouse.load import WarehouseBusy, WarehouseUnusable, connect

    warehouse = warehouse_path()
    if not warehouse.exists():
        print(f"juesuan: no warehouse at {warehouse}; run `juesuan run` first", file=sys.stderr)
        return 2
    try:
        with connect(warehouse, read_only=True) as con:
            rows = query_findings(con, unit=args.unit, year=args.year, severity=args.severity)
    except (WarehouseBusy, WarehouseUnusable) as exc:  # busy: the same exit as a second run's
        return _one_line(exc, BUSY if isinstance(exc, WarehouseBusy) else CANNOT_START)
    print(printable(render_text(rows)) if rows else "no findings")
    return 0


def generate(args: argparse.Namespace) -> int:
    from time import perf_counter

    from dagster_project.generate.corpus import generate as write_corpus

    try:
        first, _, last = args.years.partition("-")
        years = range(int(first), int(last or first) + 1)
    except ValueError:
        print(f"juesuan: --years wants Y1-Y2, got {args.years!r}", file=sys.stderr)
        return 2
    if (args.units < 1 or not years or len(years) > MAX_YEARS or years[0] < 1900
            or years[-1] > 2100 or not 0 <= args.inject_errors <= 1):
        print(f"juesuan: --units must be >= 1, --years Y1-Y2 with 1900 <= Y1 <= Y2 <= 2100 and "
              f"at most {MAX_YEARS} years, --inject-errors in [0, 1]", file=sys.stderr)
        return 2
    layouts = None
    if args.format == "pdf":
        from dagster_project.generate.layouts import parse_layouts

        try:
            layouts = parse_layouts(args.layouts)
        except ValueError as exc:
            print(f"juesuan: --layouts: {exc}", file=sys.stderr)
            return 2
    elif args.layouts:
        print("juesuan: --layouts needs --format pdf", file=sys.stderr)
        return 2
    out = Path(args.out)
    start = perf_counter()
    stats = write_corpus(out, args.units, years, args.inject_errors, args.seed, layouts=layouts,
                         inject_kinds=args.inject_kinds)
    truth = f", cell truth {out / 'cells.csv'}" if layouts else ""
    print(f"juesuan: wrote {stats['reports']} reports ({stats['departments']} departments, "
          f"{stats['injections']} injected errors) to {out / 'reports'} in "
          f"{perf_counter() - start:.1f} s; hierarchy {out / 'unit_hierarchy.csv'}, "
          f"manifest {out / 'manifest.csv'}{truth}")
    return 0


def export_dashboard(args: argparse.Namespace) -> int:
    from dagster_project.config import BI_ENV

    if args.bi:
        os.environ[BI_ENV] = str(Path(args.bi).resolve())
    from dagster_project.dashboards.export import export

    try:
        paths = export(args.out)
    except FileNotFoundError as exc:
        print(f"juesuan: {exc} Run `juesuan run` first.", file=sys.stderr)
        return 2
    print(f"juesuan: wrote {len(paths)} HTML files to {Path(args.out).resolve()} "
          f"(open {paths[0].name}; plotly.js inlined, no network needed)")
    return 0


def suites(args: argparse.Namespace) -> int:
    from dagster_project.audit.suites import write_suites

    for path in write_suites():
        print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="juesuan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="load a folder of reports, build the marts, audit")
    p_run.add_argument("--reports", help=f"folder of reports (default ${REPORTS_ENV} or seeds/reports)")
    p_run.add_argument("--warehouse", help=f"DuckDB file (default ${WAREHOUSE_ENV} or data/warehouse.duckdb)")
    p_run.add_argument("--hierarchy", help=f"extra unit hierarchy CSV (e.g. a generated corpus's; "
                                            f"default ${HIERARCHY_ENV})")
    p_run.add_argument("--verbose", action="store_true",
                       help="stream dbt's output to the terminal instead of the run's log file")
    p_run.add_argument("--full-refresh", action="store_true",
                       help="rebuild every table from the raw layer instead of only the reports "
                            f"loaded since the last build (also ${FULL_REFRESH_ENV}=1)")
    p_run.add_argument("--retry-failed", action="store_true",
                       help="read again the files that failed before with the same bytes "
                            f"(also ${RETRY_FAILED_ENV}=1)")
    p_run.set_defaults(func=run)
    p_find = sub.add_parser("findings", help="print the located audit findings")
    p_find.add_argument("--unit", help="unit name (substring)")
    p_find.add_argument("--year", type=int, help="fiscal year")
    p_find.add_argument("--severity", choices=["error", "warning", "info", "indeterminate"])
    p_find.add_argument("--warehouse", help="DuckDB file")
    p_find.set_defaults(func=findings)
    p_gen = sub.add_parser("generate", help="write a synthetic corpus of reports (and inject errors)")
    p_gen.add_argument("--units", type=int, required=True, help="reports per year")
    p_gen.add_argument("--years", required=True, help="Y1-Y2, e.g. 2023-2024")
    p_gen.add_argument("--out", required=True, help="output folder (reports in OUT/reports)")
    p_gen.add_argument("--inject-errors", type=float, default=0.0, metavar="RATE",
                       help="probability per report of one injected error (default 0)")
    p_gen.add_argument("--inject-kinds", choices=["numbers", "words", "all"], default="numbers",
                       help="what an injected error changes: a figure (numbers, the default), "
                            "what the words say (words: unit names, years, 元/万元, comparison "
                            "words, empty tables, zero budgets, code names) or either (all)")
    p_gen.add_argument("--seed", type=int, default=0)
    p_gen.add_argument("--format", choices=["text", "pdf"], default="text",
                       help="text (the seed's format) or text-layer PDFs in named layouts")
    p_gen.add_argument("--layouts", metavar="NAMES",
                       help="PDF layouts: a,b,c or all (cycled over the reports; default: base)")
    p_gen.set_defaults(func=generate)
    p_export = sub.add_parser("export-dashboard",
                              help="write the comparison views as static HTML (no server, no CDN)")
    p_export.add_argument("out", metavar="DIR", help="output folder")
    p_export.add_argument("--bi", help="BI file (default $JUESUAN_BI or bi.duckdb beside the warehouse)")
    p_export.set_defaults(func=export_dashboard)
    p_suites = sub.add_parser("suites", help="regenerate the GX suites from the rule catalogue")
    p_suites.set_defaults(func=suites)
    args = parser.parse_args(argv)
    return args.func(args)


def entry() -> None:
    """The `juesuan` console script: `main`, then an exit that skips tearing down every module.

    Python's orderly shutdown of Dagster, dbt-core and GX costs ~1.5 s per command, a tenth of
    adding one report. Everything juesuan writes is closed before `main` returns (DuckDB
    connections and the run log in `with` blocks; Dagster's storage commits each event), so
    only the streams and logging are flushed here.
    """
    try:
        code = main()
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        # `juesuan findings | head`: the reader has gone; nothing more to say, and no traceback.
        code = 0
    os._exit(code)


if __name__ == "__main__":
    entry()
