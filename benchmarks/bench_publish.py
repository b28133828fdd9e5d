"""Publishing the BI file (issue 13, aim: a full publish under 2 s at 10,000 reports).

Takes a built warehouse and times `publish.publish` (a full copy of the marts into a new file,
renamed over the BI file) several times in this process: wall seconds, CPU seconds of the
process (DuckDB's threads included: the figure that load on a shared machine moves least),
bytes the process wrote, and the load average. Then checks that the BI file holds exactly the
warehouse's marts (`EXCEPT ALL` both ways, every published table) and times the floor of any
publish that copies a finished file instead of its tables (a file copy of the BI file and a
rename).

The warehouse is opened read-write (as the Dagster asset does); publish changes nothing in it.
Prints one JSON object; it writes nothing into benchmarks/RESULTS.md.

With --previous-bi (the BI file published before the warehouse's last build, an incremental
one), also times the publish `juesuan run` makes then: that file copied into place (not
timed), the rebuilt reports' rows replaced; and checks that file against the marts too.

Usage: python benchmarks/bench_publish.py --warehouse FILE [--previous-bi FILE] [--repeat N]
       [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.dbt_project import juesuan_dbt_project
from dagster_project.publish import (
    SCHEMA,
    WAREHOUSE_ONLY,
    incremental_marts,
    mart_tables,
    publish,
)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _written_bytes() -> int:
    """Bytes this process has caused to be written to storage (/proc/self/io)."""
    with open("/proc/self/io") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("write_bytes"))


def _differing_rows(con: duckdb.DuckDBPyConnection, bi: Path) -> dict[str, int]:
    """Rows of each published table found on one side only (`EXCEPT ALL` both ways)."""
    con.execute(f"attach '{bi}' as published (read_only)")  # a path we made, not user text
    try:
        differ = {}
        for table in mart_tables(con):
            if table in WAREHOUSE_ONLY:
                continue
            name = f'{SCHEMA}."{table}"'
            differ[table] = sum(
                con.execute(f"select count(*) from (select * from {a} except all "
                            f"select * from {b})").fetchall()[0][0]
                for a, b in ((name, f"published.{name}"), (f"published.{name}", name)))
        return differ
    finally:
        con.execute("detach published")


def _timed(con: duckdb.DuckDBPyConnection, bi: Path, warehouse: Path,
           incremental: set[str]) -> dict:
    load, cpu, written = os.getloadavg()[0], _cpu_seconds(), _written_bytes()
    result = publish(con, bi, source=str(warehouse), incremental=incremental)
    if incremental and result.mode != "incremental":
        raise SystemExit("--previous-bi was not published from the build before the last one")
    return {"seconds": round(result.seconds, 2), "cpu_seconds": round(_cpu_seconds() - cpu, 2),
            "written_mb": round((_written_bytes() - written) / 2**20),
            "load_average": round(load, 1), "tables": len(result.tables)}


def _summary(runs: list[dict], differ: dict[str, int]) -> dict:
    seconds = [r["seconds"] for r in runs]
    return {"median_s": statistics.median(seconds), "max_s": max(seconds), "runs": runs,
            "rows_differing": sum(differ.values()),
            "tables_differing": sorted(t for t, n in differ.items() if n)}


def measure(warehouse: Path, work: Path, repeat: int, previous_bi: Path | None) -> dict:
    bi = work / "bi.duckdb"
    con = duckdb.connect(str(warehouse), read_only=False)
    try:
        full = [_timed(con, bi, warehouse, set()) for _ in range(repeat)]
        report = {"full": _summary(full, _differing_rows(con, bi))}
        size = bi.stat().st_size
        if previous_bi:
            marts = incremental_marts(json.loads(juesuan_dbt_project.manifest_path.read_text()))
            runs = []
            for _ in range(repeat):
                shutil.copyfile(previous_bi, bi)
                runs.append(_timed(con, bi, warehouse, marts))
            report["after_an_incremental_build"] = _summary(runs, _differing_rows(con, bi))
        reports = con.execute(f"select count(*) from {SCHEMA}.dim_reports").fetchall()[0][0]
    finally:
        con.close()
    copies = []
    for _ in range(repeat):  # the floor of publishing a finished file: copy it, rename it
        start = time.perf_counter()
        shutil.copyfile(bi, work / "bi.copy")
        os.replace(work / "bi.copy", bi)
        copies.append(round(time.perf_counter() - start, 2))
    return {"machine": f"{os.cpu_count()} cores {platform.machine()}",
            "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
            "reports": reports, "bi_file_mb": round(size / 2**20, 1), **report,
            "file_copy_and_rename_s": copies}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", required=True, type=Path)
    parser.add_argument("--previous-bi", type=Path, help="the BI file published before the "
                        "warehouse's last build (incremental): also time that publish")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, help="where the BI file goes (default: a temp dir)")
    args = parser.parse_args()

    def run(work: Path) -> None:
        print(json.dumps(measure(args.warehouse.resolve(), work, args.repeat, args.previous_bi),
                         indent=1))

    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        run(args.work)
        return
    with tempfile.TemporaryDirectory() as work:
        run(Path(work))

if __name__ == "__main__":
    main()
