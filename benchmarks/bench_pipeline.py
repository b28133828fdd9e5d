"""Whole-pipeline benchmark: read, load, dbt build, identities, on N reports.

Usage: python benchmarks/bench_pipeline.py --reports DIR [--label L]
       python benchmarks/bench_pipeline.py --seed-copies N   (N renamed copies of the seed)

Runs `juesuan run` in a subprocess into a fresh warehouse and reports wall seconds and the peak
resident memory of that process tree (ru_maxrss of children), plus rows and findings.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "reports" / "caidian-trade-union-2024.txt"
SEED_UNIT = "武汉市蔡甸区总工会本级"


def seed_copies(n: int, folder: Path) -> Path:
    text = SEED.read_text("utf-8")
    for i in range(n):
        (folder / f"copy-{i:05d}.txt").write_text(text.replace(SEED_UNIT, f"测试单位{i:05d}"),
                                                  "utf-8")
    return folder


def run(reports: Path, work: Path) -> dict:
    warehouse = work / "w.duckdb"
    juesuan = Path(sys.executable).with_name("juesuan")
    started = time.perf_counter()
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse",
                           str(warehouse)], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reports_loaded = con.execute("select count(*) from raw.reports").fetchall()[0][0]
        cells = con.execute("select count(*) from raw.table_cells").fetchall()[0][0]
        findings = dict(con.execute("select severity, count(*) from marts.audit_findings "
                                    "group by 1").fetchall())
    return {"exit_code": proc.returncode, "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak_mb), "reports": reports_loaded, "cells": cells,
            "findings": findings, "warehouse_mb": round(warehouse.stat().st_size / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=Path)
    parser.add_argument("--seed-copies", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.seed_copies:
            reports = seed_copies(args.seed_copies, work / "reports"
                                  if (work / "reports").mkdir() is None else work)
        else:
            reports = args.reports
        result = run(reports, work)
        shutil.rmtree(work / "reports", ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
