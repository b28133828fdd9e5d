"""Reading fidelity on layout-varied PDFs with exact answers, per layout variant.

Usage:
    python benchmarks/bench_reading_fidelity.py [--corpus DIR] [--per-layout N] [--seed S]
        [--layouts all|a,b] [--workers W] [--pipeline] [--out DIR]

Without --corpus a PDF corpus is generated (`juesuan generate --format pdf --layouts …`, one
year, N reports per layout, no injection) into --out (default a temporary folder). Every PDF is
read by the project's reader (`ingest.read_one`, the per-file work of `juesuan run`) and
compared with the truth the generator wrote (`cells.csv`, `tables.csv`):

- loaded: the report has no fatal problem;
- tables: a table counts as found when its status is the one the truth gives (present, or
  declared_empty for a table without funds);
- cells: a read cell is right when the truth has a cell of the same table, row identity (its
  row code, else its row key; and the side, column group, of 01/04), column key and value (a
  zero printed as blank, 0, -, — is 0 on both sides); precision = right / read, recall =
  truth cells read right / truth cells;
- s/page: reading time per page (both processes of the pool busy: about one core each);
- --pipeline: `juesuan run` into a temporary warehouse, then the error and warning findings
  of marts.audit_findings per layout (reports without injection: each one is false).

Prints the table worst variant first, writes DIR/fidelity.md (a block for
benchmarks/RESULTS.md) and DIR/failures.csv (every wrong table and a sample of wrong cells,
with the file, for whoever fixes the reader).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIDED = {"01", "04"}  # tables with an income side (group 0) and an expenditure side (group 1)


def identity(table: str, group: int, row_code: str | None, row_key: str | None,
             column_key: str | None) -> tuple:
    return (table, group if table in SIDED else 0, row_code or row_key or "", column_key or "")


def read(path: str) -> dict:
    """Read one PDF in a worker: statuses, cells as (identity, value), timing, problems."""
    from dagster_project.ingest import read_one, source_file

    start = time.perf_counter()
    result = read_one(source_file(Path(path)))
    seconds = time.perf_counter() - start
    facts = result.facts
    problems = [(p.kind, p.message, str(p.location), p.fatal)
                for p in (result.problems or []) + (facts.problems if facts else [])]
    if facts is None:
        return {"file": Path(path).name, "loaded": False, "seconds": seconds, "pages": 0,
                "tables": {}, "cells": [], "problems": problems}
    cells = [(identity(c.table_code, c.column_group, c.row_code, c.row_key, c.column_key),
              str(c.value_wan_yuan if c.value_wan_yuan is not None else 0), c.printed_text,
              str(c.location)) for c in facts.cells()]
    return {"file": Path(path).name, "loaded": not facts.fatal, "seconds": seconds,
            "pages": facts.pages or 0, "cells": cells, "problems": problems,
            "tables": {code: (t.status, t.reason) for code, t in facts.tables.items()}}


def load_truth(corpus: Path) -> tuple[dict, dict, dict]:
    """(file -> layout, (file, table) -> status, file -> {identity: (value, printed)})."""
    layouts, statuses = {}, {}
    with (corpus / "tables.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            layouts[r["file"]] = r["layout"]
            statuses[(r["file"], r["table_code"])] = r["status"]
    cells: dict[str, dict] = defaultdict(dict)
    with (corpus / "cells.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = identity(r["table_code"], int(r["column_group"]), r["row_code"], r["row_key"],
                           r["column_key"])
            cells[r["file"]][key] = (Decimal(r["value_wan_yuan"]), r["printed_text"])
    return layouts, statuses, cells


def score(results: list[dict], layouts: dict, statuses: dict, truth: dict
          ) -> tuple[dict, list[list]]:
    per: dict[str, Counter] = defaultdict(Counter)
    failures: list[list] = []
    wrong_samples: Counter = Counter()
    for r in results:
        file = r["file"]
        lay = layouts[file]
        c = per[lay]
        c["reports"] += 1
        c["loaded"] += r["loaded"]
        c["seconds_x1000"] += int(r["seconds"] * 1000)
        c["pages"] += r["pages"]
        for (f, table), status in statuses.items():
            if f != file:
                continue
            c["tables"] += 1
            got, reason = r["tables"].get(table, ("absent", None))
            if got == status:
                c["tables_found"] += 1
            else:
                failures.append([lay, table, "table_status", f"expected {status}, read {got}",
                                 reason or "", file])
        want = truth.get(file, {})
        seen: set = set()
        wrong: Counter = Counter()
        for key, value, printed, location in r["cells"]:
            c["read"] += 1
            if key in want and Decimal(value) == want[key][0]:
                if key not in seen:
                    c["right"] += 1
                    seen.add(key)
                continue
            kind = "wrong_value" if key in want else "unexpected_cell"
            wrong[(key[0], kind)] += 1
            sample = (lay, key[0], kind)
            if wrong_samples[sample] < 3:
                wrong_samples[sample] += 1
                expect = f"truth {want[key][0]} ({want[key][1]!r})" if key in want else "no such cell"
                failures.append([lay, key[0], kind, f"{key[2]}/{key[3]} read {value} "
                                 f"({printed!r}); {expect}", location, file])
        c["truth"] += len(want)
        # The blank grid of a table read as declared empty need not yield its zero cells.
        empty = {t for (f, t), s in statuses.items()
                 if f == file and s == "declared_empty" and r["tables"].get(t, ("",))[0] == s}
        missed = [k for k in want if k not in seen and k[0] not in empty]
        c["truth"] -= sum(1 for k in want if k not in seen and k[0] in empty)
        for k in missed:
            wrong[(k[0], "missed")] += 1
            sample = (lay, k[0], "missed")
            status_ok = r["tables"].get(k[0], ("absent",))[0] == statuses.get((file, k[0]))
            if wrong_samples[sample] < 3 and status_ok:
                wrong_samples[sample] += 1
                failures.append([lay, k[0], "missed", f"{k[2]}/{k[3]} truth {want[k][0]} "
                                 f"({want[k][1]!r}) not read", "", file])
        for (table, kind), n in sorted(wrong.items()):
            c[f"bad:{table}:{kind}"] += n
    return per, failures


def pipeline(corpus: Path, work: Path) -> dict[str, Counter]:
    """Error/warning/indeterminate findings per file, from a whole `juesuan run`."""
    import duckdb

    warehouse = work / "fidelity.duckdb"
    subprocess.run([str(Path(sys.executable).parent / "juesuan"), "run", "--reports",
                    str(corpus / "reports"), "--warehouse", str(warehouse), "--hierarchy",
                    str(corpus / "unit_hierarchy.csv")], cwd=ROOT, check=False,
                   stdout=subprocess.DEVNULL)
    files = {}
    with (corpus / "units.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            files[(r["unit"], int(r["year"]))] = r["file"]
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("select unit_name, fiscal_year, severity, count(*) from marts.audit_findings "
                       "where severity in ('error', 'warning', 'indeterminate') group by all"
                       ).fetchall()
    con.close()
    out: dict[str, Counter] = defaultdict(Counter)
    for unit, year, severity, n in rows:
        file = files.get((unit, int(year)))
        if file:
            out[file][severity] += n
    return out


def pct(a: int, b: int) -> str:
    return "—" if not b else f"{100 * a / b:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="an existing PDF corpus (with cells.csv and tables.csv)")
    ap.add_argument("--per-layout", type=int, default=2, help="reports per layout (generated)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--layouts", default="all")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--pipeline", action="store_true", help="also run the whole pipeline")
    ap.add_argument("--out", help="folder for the corpus and results (default: a temp folder)")
    args = ap.parse_args()
    out = Path(args.out or tempfile.mkdtemp(prefix="fidelity-"))
    out.mkdir(parents=True, exist_ok=True)
    if args.corpus:
        corpus = Path(args.corpus)
    else:
        from dagster_project.generate.corpus import generate
        from dagster_project.generate.layouts import parse_layouts

        chosen = parse_layouts(args.layouts)
        corpus = out / "corpus"
        t = time.perf_counter()
        stats = generate(corpus, args.per_layout * len(chosen), range(2024, 2025), 0.0,
                         args.seed, layouts=chosen)
        print(f"generated {stats['reports']} PDFs in {time.perf_counter() - t:.1f} s: {corpus}")
    layouts, statuses, truth = load_truth(corpus)
    paths = sorted(str(p) for p in (corpus / "reports").glob("*.pdf"))
    t = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(read, paths, chunksize=1))
    wall = time.perf_counter() - t
    per, failures = score(results, layouts, statuses, truth)
    findings = pipeline(corpus, out) if args.pipeline else None
    if findings is not None:
        for file, lay in layouts.items():
            for sev, n in findings.get(file, {}).items():
                per[lay][sev] += n

    def badness(item: tuple[str, Counter]) -> tuple:
        c = item[1]
        return (c["loaded"] / c["reports"], c["tables_found"] / max(c["tables"], 1),
                min(c["right"] / max(c["read"], 1), c["right"] / max(c["truth"], 1)),
                -(c["error"] + c["warning"]), item[0])

    head = ["layout", "reports", "loaded %", "tables found", "cells (truth)", "precision %",
            "recall %", "s/page"]
    if findings is not None:
        head += ["errors", "warnings", "indeterminate"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    total: Counter = Counter()
    for lay, c in sorted(per.items(), key=badness):
        total.update(c)
        row = [lay, str(c["reports"]), pct(c["loaded"], c["reports"]),
               f"{c['tables_found']}/{c['tables']}", str(c["truth"]),
               pct(c["right"], c["read"]), pct(c["right"], c["truth"]),
               f"{c['seconds_x1000'] / 1000 / max(c['pages'], 1):.3f}"]
        if findings is not None:
            row += [str(c["error"]), str(c["warning"]), str(c["indeterminate"])]
        lines.append("| " + " | ".join(row) + " |")
    row = ["**all**", str(total["reports"]), pct(total["loaded"], total["reports"]),
           f"{total['tables_found']}/{total['tables']}", str(total["truth"]),
           pct(total["right"], total["read"]), pct(total["right"], total["truth"]),
           f"{total['seconds_x1000'] / 1000 / max(total['pages'], 1):.3f}"]
    if findings is not None:
        row += [str(total["error"]), str(total["warning"]), str(total["indeterminate"])]
    lines.append("| " + " | ".join(row) + " |")
    table = "\n".join(lines)
    # Which tables go wrong on which variant: the cells read wrong or missed, by table.
    worst = []
    for lay, c in sorted(per.items(), key=badness):
        bad = {k[4:]: n for k, n in c.items() if k.startswith("bad:")}
        if bad:
            worst.append(f"- {lay}: " + ", ".join(f"{k} {n}" for k, n in sorted(bad.items())))
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    md = (f"## Reading fidelity on layout-varied PDFs (issue 10)\n\n"
          f"`python benchmarks/bench_reading_fidelity.py"
          f"{' --pipeline' if args.pipeline else ''}` ({now}; {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, {args.workers} reading "
          f"processes, load average {load:.1f}): {total['reports']} generated PDFs, "
          f"{len(per)} layout variants, no injection; {wall:.0f} s reading. Worst variant "
          f"first.\n\n{table}\n\nCells read wrong (`table:kind count`; missed = in the truth, "
          f"not read right):\n\n" + ("\n".join(worst) or "- none") + "\n")
    print(md)
    (out / "fidelity.md").write_text(md, encoding="utf-8")
    with (out / "failures.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["layout", "table_code", "kind", "what", "where", "file"])
        w.writerows(sorted(failures))
    print(f"results: {out / 'fidelity.md'}, failures: {out / 'failures.csv'} "
          f"({len(failures)} rows); corpus {corpus}")


if __name__ == "__main__":
    main()
