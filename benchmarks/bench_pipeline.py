"""Whole-pipeline benchmark: read, load, dbt build, identities, on N reports.

Usage: python benchmarks/bench_pipeline.py --generate UNITS --years 2020-2024 [--keep DIR]
       python benchmarks/bench_pipeline.py --reports DIR [--keep DIR]
       python benchmarks/bench_pipeline.py --seed-copies N   (N renamed copies of the seed)
       add --add-one [TIMES] to time, afterwards, `juesuan run` after one new report is added
       (TIMES times in a row, a new report each time)

Runs `juesuan run` in a subprocess into a fresh warehouse (an ephemeral Dagster instance: no
DAGSTER_HOME) and reports wall seconds and the peak resident memory of that process tree
(the largest of the run process and its reader processes, sampled every 0.2 s, summed), plus
rows and findings. On a shared machine wall seconds are an upper bound: it also reports the CPU
seconds and the MB written by the run and every process it started (dbt, readers), and the load
average before and after. `--keep DIR` keeps the reports and the warehouse for bench_queries.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "reports" / "caidian-trade-union-2024.txt"
SEED_UNIT = "武汉市蔡甸区总工会本级"
BIN = Path(sys.executable).parent


def seed_copies(n: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text("utf-8")
    for i in range(n):
        (folder / f"copy-{i:05d}.txt").write_text(text.replace(SEED_UNIT, f"测试单位{i:05d}"),
                                                  "utf-8")
    return folder


def generate(units: int, years: str, out: Path) -> Path:
    shutil.rmtree(out, ignore_errors=True)  # a kept folder may hold the last run's added report
    subprocess.run([str(BIN / "juesuan"), "generate", "--units", str(units), "--years", years,
                    "--out", str(out), "--seed", "1"], check=True, capture_output=True)
    return out / "reports"


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS")), 0)
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1024


def juesuan_run(reports: Path, warehouse: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "juesuan"), "run", "--reports", str(reports),
                             "--warehouse", str(warehouse)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode not in (0, 4):
        raise SystemExit(f"juesuan run failed ({proc.returncode}):\n{out[-3000:]}\n{err[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the run and what it waited for
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"exit_code": proc.returncode, "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak[0]), "cpu_seconds": round(cpu, 1),
            "written_mb": round((after.ru_oublock - before.ru_oublock) * 512 / 2**20),
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}


def warehouse_facts(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        one = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
        return {"reports": one("select count(*) from raw.reports"),
                "cells": one("select count(*) from raw.table_cells"),
                "evaluations": one("select count(*) from intermediate.int_audit__evaluations"),
                "findings": dict(con.execute("select severity, count(*) from "
                                             "marts.audit_findings group by 1").fetchall()),
                "warehouse_mb": round(warehouse.stat().st_size / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=Path)
    parser.add_argument("--seed-copies", type=int)
    parser.add_argument("--generate", type=int, metavar="UNITS", help="units per year")
    parser.add_argument("--years", default="2020-2024")
    parser.add_argument("--keep", type=Path, help="keep reports and warehouse in this folder")
    parser.add_argument("--add-one", type=int, nargs="?", const=1, default=0, metavar="TIMES",
                        help="then add one report and time the run that loads it (TIMES times, "
                             "one report each)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if args.seed_copies:
        reports, corpus = seed_copies(args.seed_copies, work / "reports"), "seed copies"
    elif args.generate:
        reports = generate(args.generate, args.years, work / "corpus")
        corpus = f"juesuan generate --units {args.generate} --years {args.years} --seed 1"
    else:
        reports, corpus = args.reports, str(args.reports)
    prepared = round(time.perf_counter() - started, 1)
    warehouse = work / "w.duckdb"
    for stale in (warehouse, Path(f"{warehouse}.wal")):
        stale.unlink(missing_ok=True)
    result = {"corpus": corpus, "files": sum(1 for p in reports.rglob("*") if p.is_file()),
              "prepare_seconds": prepared, **juesuan_run(reports, warehouse),
              **warehouse_facts(warehouse)}
    result["add_one"] = []
    for i in range(args.add_one):
        extra = reports / f"zz-added-{i:03d}.txt"
        extra.write_text(SEED.read_text("utf-8").replace(SEED_UNIT, f"新增单位{i:03d}"), "utf-8")
        result["add_one"].append({**juesuan_run(reports, warehouse),
                                  "reports": warehouse_facts(warehouse)["reports"]})
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
