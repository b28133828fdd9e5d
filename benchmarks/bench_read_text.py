"""Reading speed on the text format: reports per second on one core, and peak memory.

Usage: python benchmarks/bench_read_text.py [--reports DIR] [--repeat N]
Without --reports it reads the seed N times (default 200). Run under `taskset -c 0` for one core.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import time
from pathlib import Path

from dagster_project.ingest import SourceFile, read_one

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "reports" / "caidian-trade-union-2024.txt"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=Path)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    paths = sorted(args.reports.glob("*.txt")) if args.reports else [SEED] * args.repeat
    sources = [SourceFile(p, hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size)
               for p in paths]
    started = time.perf_counter()
    cells = 0
    for s in sources:
        result = read_one(s)
        cells += len(result.facts.cells()) if result.facts else 0
    seconds = time.perf_counter() - started
    print(json.dumps({
        "reports": len(sources), "seconds": round(seconds, 2),
        "reports_per_second": round(len(sources) / seconds, 1),
        "ms_per_report": round(1000 * seconds / len(sources), 2), "cells": cells,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


if __name__ == "__main__":
    main()
