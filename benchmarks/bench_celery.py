"""The staged load on Dagster's Celery executor: 1 worker against 2, on a generated corpus.

Usage: python benchmarks/bench_celery.py --units 100 --years 2023-2024 [--format pdf]
       [--chunks 16] [--workers 1,2]

For each worker count: a fresh warehouse and Dagster instance, a redis-server on a free port and
that many Celery workers (one pool process each, `dagster_project.local_celery`, started before
the clock), then `juesuan_staged_job` on the corpus. Reports the run's wall seconds, the parse
steps' (sum, and the span from the first parse step's start to the last one's end), the
warehouse step's seconds and reports per minute, and the peak resident memory (VmHWM) of each
worker's main and pool process. Run it on an otherwise idle machine: both workers share its cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.assets.staged import staged_run_config
from dagster_project.generate.corpus import generate
from dagster_project.local_celery import (
    Redis,
    celery_staged_job,
    celery_workers,
    peak_rss_mb,
    pool_pids,
)


def _steps(instance, run_id: str) -> dict[str, tuple[float, float]]:
    """Each step's (start, end) timestamps."""
    spans: dict[str, list[float]] = {}
    for e in instance.all_logs(run_id):
        if not e.dagster_event or not e.step_key:
            continue
        kind = e.dagster_event.event_type_value
        if kind == "STEP_START":
            spans.setdefault(e.step_key, [e.timestamp, e.timestamp])[0] = e.timestamp
        elif kind == "STEP_SUCCESS":
            spans.setdefault(e.step_key, [e.timestamp, e.timestamp])[1] = e.timestamp
    return {k: (a, b) for k, (a, b) in spans.items()}


def run_once(reports: Path, n_workers: int, chunks: int, work: Path) -> dict:
    work.mkdir(parents=True)
    redis = Redis(work)
    redis.start()
    try:
        with celery_workers(redis, work / "celery", [f"w{i + 1}" for i in range(n_workers)]
                            ) as procs, dg.instance_for_test(temp_dir=str(work)) as instance:
            warehouse = work / "w.duckdb"
            config = staged_run_config(reports_dir=str(reports), warehouse=str(warehouse),
                                       staging=str(work / "staging"), chunks=chunks)
            config["execution"] = redis.executor_config()
            config["loggers"] = {"console": {"config": {"log_level": "WARNING"}}}
            t0 = time.perf_counter()
            with dg.execute_job(celery_staged_job(), instance=instance,
                                run_config=config) as result:
                assert result.success
                run_id = result.run_id
            wall = time.perf_counter() - t0
            memory = {name: {"main": peak_rss_mb(p.pid),
                             "pool": [peak_rss_mb(c) for c in pool_pids(p)]}
                      for name, p in procs.items()}
            steps = _steps(instance, run_id)
    finally:
        redis.stop()
    parse = [v for k, v in steps.items() if k.startswith("stage_report_chunk")]
    load = steps["load_staged_chunks"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = con.execute("select count(*) from raw.reports").fetchall()[0][0]
    load_s = load[1] - load[0]
    return {
        "workers": n_workers, "chunks": len(parse), "reports": loaded,
        "run_s": round(wall, 1),
        "parse_steps_sum_s": round(sum(b - a for a, b in parse), 1),
        "parse_span_s": round(max(b for _, b in parse) - min(a for a, _ in parse), 1),
        "load_step_s": round(load_s, 2),
        "load_reports_per_min": round(loaded / load_s * 60),
        "peak_rss_mb": memory,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--years", default="2023-2024")
    ap.add_argument("--format", choices=["text", "pdf"], default="text")
    ap.add_argument("--chunks", type=int, default=16)
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()
    y1, y2 = (int(y) for y in args.years.split("-"))
    with tempfile.TemporaryDirectory(prefix="bench_celery_") as tmp:
        corpus = Path(tmp) / "corpus"
        layouts = None
        if args.format == "pdf":
            from dagster_project.generate.layouts import parse_layouts

            layouts = parse_layouts("all")
        generate(corpus, args.units, range(y1, y2 + 1), 0.0, seed=1, layouts=layouts)
        reports = corpus / "reports"
        print(f"# {platform.node()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
              f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {len(list(reports.rglob('*.*')))} "
              f"{args.format} reports")
        results = []
        for n in (int(w) for w in args.workers.split(",")):
            results.append(run_once(reports, n, args.chunks, Path(tmp) / f"run-{n}"))
            print(json.dumps(results[-1], ensure_ascii=False))
        if len(results) >= 2:
            print(f"# run time {results[-1]['workers']} workers / {results[0]['workers']}: "
                  f"{results[-1]['run_s'] / results[0]['run_s']:.2f}; parse span: "
                  f"{results[-1]['parse_span_s'] / results[0]['parse_span_s']:.2f}; "
                  f"load now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
