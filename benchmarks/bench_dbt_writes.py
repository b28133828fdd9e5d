"""Where a full dbt build writes: bytes written per model, on a copy of a built warehouse.

Runs `dbt build --full-refresh --threads 1` (what `juesuan run` runs above 2,000 reports) on
the warehouse given (use a copy: the build rewrites its models), samples the dbt process's
`/proc/PID/io` (bytes written and read), its CPU time and resident memory, and the size of
DuckDB's temporary folder (`<warehouse>.tmp`, where it spills past the memory limit) every
0.25 s, then maps the samples onto each node's execution interval in `run_results.json`.

Prints one JSON object: the build's totals and the nodes that wrote most. `JUESUAN_DUCKDB_MEMORY`
and the other settings of dbt/profiles.yml apply as they do in a run.

Usage: python benchmarks/bench_dbt_writes.py --warehouse COPY [--target DIR] [--top N]
       [-- extra dbt arguments, e.g. -s int_audit__eval_rows]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DBT = ROOT / ".venv" / "bin" / "dbt"
TICKS = os.sysconf("SC_CLK_TCK")


def _sample(pid: int, spill: Path) -> dict | None:
    """One reading of the process: bytes written and read, CPU s, RSS MB, spill folder MB."""
    try:
        with open(f"/proc/{pid}/io") as f:
            io = dict(line.split(": ") for line in f.read().splitlines())
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read().split()
        with open(f"/proc/{pid}/status") as f:
            rss_kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
    except (FileNotFoundError, ProcessLookupError, StopIteration):
        return None
    spilled = sum(p.stat().st_size for p in spill.glob("*")) if spill.is_dir() else 0
    return {"at": time.time(), "written": int(io["write_bytes"]), "read": int(io["read_bytes"]),
            "cpu": (int(stat[13]) + int(stat[14])) / TICKS, "rss_mb": rss_kb / 1024,
            "spill_mb": spilled / 2**20}


def _at(samples: list[dict], moment: float) -> dict:
    before = [s for s in samples if s["at"] <= moment]
    return before[-1] if before else samples[0]


def _stamp(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def measure(warehouse: Path, target: Path, extra: list[str], top: int) -> dict:
    env = dict(os.environ, JUESUAN_WAREHOUSE=str(warehouse), DBT_PROFILES_DIR=str(ROOT / "dbt"),
               DBT_SEND_ANONYMOUS_USAGE_STATS="False", DO_NOT_TRACK="1")
    args = [str(DBT), "build", "--full-refresh", "--threads", "1", "--project-dir",
            str(ROOT / "dbt"), "--target-path", str(target), *extra]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    samples: list[dict] = []

    def poll() -> None:
        spill = Path(f"{warehouse}.tmp")
        while proc.poll() is None:
            if (s := _sample(proc.pid, spill)) is not None:
                samples.append(s)
            time.sleep(0.25)

    poller = threading.Thread(target=poll)
    poller.start()
    out = proc.communicate()[0]
    poller.join()
    if proc.returncode != 0 or not samples:
        raise SystemExit(f"dbt build failed ({proc.returncode}):\n{out[-3000:]}")
    nodes = []
    for result in json.loads((target / "run_results.json").read_text("utf-8"))["results"]:
        timing = {t["name"]: t for t in result["timing"]}
        if not timing.get("execute", {}).get("started_at"):
            continue
        start, end = (_stamp(timing["execute"][k]) for k in ("started_at", "completed_at"))
        a, b = _at(samples, start), _at(samples, end)
        nodes.append({"node": result["unique_id"], "seconds": round(end - start, 1),
                      "written_mb": round((b["written"] - a["written"]) / 2**20),
                      "cpu_seconds": round(b["cpu"] - a["cpu"], 1),
                      "spill_peak_mb": round(max([s["spill_mb"] for s in samples
                                                  if start <= s["at"] <= end] or [0]))})
    nodes.sort(key=lambda n: -n["written_mb"])
    last = samples[-1]
    return {"date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
            "machine": f"{os.cpu_count()} cores", "dbt_args": args[1:],
            "seconds": round(time.perf_counter() - started, 1),
            "load_average": [round(load, 1), round(os.getloadavg()[0], 1)],
            "written_mb": round(last["written"] / 2**20), "read_mb": round(last["read"] / 2**20),
            "cpu_seconds": round(last["cpu"], 1),
            "peak_rss_mb": round(max(s["rss_mb"] for s in samples)),
            "spill_peak_mb": round(max(s["spill_mb"] for s in samples)),
            "warehouse_mb": round(warehouse.stat().st_size / 2**20),
            "nodes_written_mb": sum(n["written_mb"] for n in nodes), "top_nodes": nodes[:top]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", required=True, type=Path, help="a copy: it is rebuilt")
    parser.add_argument("--target", type=Path, help="dbt's target folder (default: a temp dir)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("extra", nargs="*", help="after --: more dbt arguments")
    args = parser.parse_args()
    warehouse = args.warehouse.resolve()
    if args.target:
        print(json.dumps(measure(warehouse, args.target.resolve(), args.extra, args.top), indent=1))
        return
    with tempfile.TemporaryDirectory() as target:
        print(json.dumps(measure(warehouse, Path(target), args.extra, args.top), indent=1))


if __name__ == "__main__":
    main()
