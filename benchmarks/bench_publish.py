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

Usage: python benchmarks/bench_publish.py --warehouse FILE [--repeat N] [--work DIR]
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

from dagster_project.publish import SCHEMA, WAREHOUSE_ONLY, mart_tables, publish


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


def measure(warehouse: Path, work: Path, repeat: int) -> dict:
    bi = work / "bi.duckdb"
    runs = []
    con = duckdb.connect(str(warehouse), read_only=False)
    try:
        for _ in range(repeat):
            load, cpu, written = os.getloadavg()[0], _cpu_seconds(), _written_bytes()
            result = publish(con, bi, source=str(warehouse))
            runs.append({"seconds": round(result.seconds, 2),
                         "cpu_seconds": round(_cpu_seconds() - cpu, 2),
                         "written_mb": round((_written_bytes() - written) / 2**20),
                         "load_average": round(load, 1)})
        differ = _differing_rows(con, bi)
        reports = con.execute(f"select count(*) from {SCHEMA}.dim_reports").fetchall()[0][0]
    finally:
        con.close()
    copies = []
    for _ in range(repeat):  # the floor of publishing a finished file: copy it, rename it
        start = time.perf_counter()
        shutil.copyfile(bi, work / "bi.copy")
        os.replace(work / "bi.copy", bi)
        copies.append(round(time.perf_counter() - start, 2))
    seconds = [r["seconds"] for r in runs]
    return {"machine": f"{os.cpu_count()} cores {platform.machine()}",
            "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
            "reports": reports, "tables": len(result.tables),
            "bi_file_mb": round(bi.stat().st_size / 2**20, 1),
            "publish_median_s": statistics.median(seconds), "publish_max_s": max(seconds),
            "runs": runs, "rows_differing": sum(differ.values()),
            "tables_differing": sorted(t for t, n in differ.items() if n),
            "file_copy_and_rename_s": copies}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", required=True, type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, help="where the BI file goes (default: a temp dir)")
    args = parser.parse_args()
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        print(json.dumps(measure(args.warehouse.resolve(), args.work, args.repeat), indent=1))
        return
    with tempfile.TemporaryDirectory() as work:
        print(json.dumps(measure(args.warehouse.resolve(), Path(work), args.repeat), indent=1))


if __name__ == "__main__":
    main()
