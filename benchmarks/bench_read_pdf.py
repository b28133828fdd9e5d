"""PDF reading benchmark: seconds and peak memory per PDF and per page, on one core.

Usage: python benchmarks/bench_read_pdf.py [PDF ...]   (default: every PDF in seeds/reports)

Each PDF is read (reader + interpreter, the work `juesuan run` does per file) in a fresh
subprocess pinned to one core, three times; the best wall time and that process's peak RSS
(ru_maxrss) are reported.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from pathlib import Path
from dagster_project.readers.pdf import read_pdf
from dagster_project.interpret.report import interpret
path = Path(sys.argv[1])
import pdfplumber  # import cost is paid once per worker, not per file
best = None
for _ in range(3):
    t = time.perf_counter()
    doc = read_pdf(path)
    facts = interpret(doc)
    best = min(best or 1e9, time.perf_counter() - t)
cells = sum(len(t.cells) for t in facts.tables.values())
print(json.dumps({"pages": doc.pages, "seconds": best, "cells": cells,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    pdfs = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "seeds" / "reports").glob("*.pdf"))
    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}")
    print("| PDF | pages | cells | seconds | s/page | peak MB |")
    print("|---|---|---|---|---|---|")
    for pdf in pdfs:
        out = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", CHILD, str(pdf)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {pdf.name} | {r['pages']} | {r['cells']} | {r['seconds']:.2f} | "
              f"{r['seconds'] / r['pages']:.3f} | {r['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
