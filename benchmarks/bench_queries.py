"""The comparison queries of dbt/analyses/ on a warehouse: milliseconds per query.

Usage: python benchmarks/bench_queries.py --warehouse FILE [--repeat 5]

Compiles the analyses with dbt (into a temporary target folder), then runs each one read-only
on the warehouse: one warm-up, then --repeat timed runs, two ways: `duckdb_ms` materialises the
result inside DuckDB (a temporary table: the query's own cost, what a BI tool reading Arrow
pays) and `fetch_ms` also converts every row to Python objects (Decimals are slow to build).
Prints the medians, the slowest `duckdb_ms` and the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = ROOT / "dbt"


def compile_analyses(warehouse: Path, target: Path) -> dict[str, str]:
    env = {**os.environ, "JUESUAN_WAREHOUSE": str(warehouse),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
    subprocess.run([str(Path(sys.executable).with_name("dbt")), "compile", "--quiet",
                    "--select", "path:analyses", "--project-dir", str(DBT_DIR),
                    "--profiles-dir", str(DBT_DIR), "--target-path", str(target)],
                   env=env, check=True, capture_output=True)
    folder = target / "compiled" / "juesuan" / "analyses"
    return {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.sql"))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        queries = compile_analyses(args.warehouse.resolve(), Path(tmp))
    results = {}
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        reports = con.execute("select count(*) from raw.reports").fetchall()[0][0]
        for name, sql in queries.items():
            rows = len(con.execute(sql).fetchall())  # warm-up: the first read pages data in
            in_duckdb, fetched = [], []
            for _ in range(args.repeat):
                started = time.perf_counter()
                con.execute(f"create or replace temp table _result as {sql}")
                in_duckdb.append(1000 * (time.perf_counter() - started))
                started = time.perf_counter()
                con.execute(sql).fetchall()
                fetched.append(1000 * (time.perf_counter() - started))
            results[name] = {"duckdb_ms": round(statistics.median(in_duckdb), 1),
                             "duckdb_max_ms": round(max(in_duckdb), 1),
                             "fetch_ms": round(statistics.median(fetched), 1), "rows": rows}
    print(json.dumps({"reports": reports, "queries": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
