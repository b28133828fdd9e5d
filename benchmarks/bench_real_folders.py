"""Reading whole folders of real documents: load rates, tables found, reasons, speed.

    .venv/bin/python benchmarks/bench_real_folders.py [FOLDER ...] [--workers N] [--json OUT]

Default folders: every sub-folder of ../shared/reports (the real 决算 PDFs, the university
pair, the 142 budgets by place). Each PDF is read and interpreted as `juesuan run` would
(`ingest.read_one`); per folder the benchmark prints how many files load, why the others fail
(by ingest-error kind), the status of the 9 tables over the loaded ones, the unreadable
tables with their reasons, and seconds per page. A budget is expected to fail as
`not_final_accounts` (juesuan reads 决算 only); a 决算 that fails, or any unreadable table, is
a reading gap to look at.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from dagster_project.config import PROJECT_ROOT
from dagster_project.ingest import read_one, source_file

SHARED = PROJECT_ROOT.parent / "shared" / "reports"


def read(path: Path) -> dict:
    started = time.perf_counter()
    result = read_one(source_file(path))
    seconds = time.perf_counter() - started
    facts = result.facts
    fatal = [p for p in result.problems if p.fatal]
    row = {"file": str(path), "seconds": seconds, "pages": facts.pages if facts else None}
    if facts is None or fatal:
        row.update(status="failed", kinds=sorted({p.kind for p in fatal}),
                   message=fatal[0].message[:200] if fatal else "")
        return row
    row.update(status="loaded", kind=facts.report_kind, unit=facts.unit_name,
               year=facts.fiscal_year, tables={c: t.status for c, t in facts.tables.items()},
               unreadable={c: t.reason for c, t in facts.tables.items()
                           if t.status == "unreadable"},
               cells=sum(1 for c in facts.cells() if c.value_wan_yuan))
    return row


def folder_of(path: Path, roots: list[Path]) -> str:
    for root in roots:
        if path.is_relative_to(root):
            rel = path.relative_to(root)
            return f"{root.name}/{rel.parts[0]}" if len(rel.parts) > 1 else root.name
    return path.parent.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write every file's result here")
    args = parser.parse_args()
    roots = args.folders or sorted(p for p in SHARED.iterdir() if p.is_dir())
    paths = sorted(p for r in roots for p in r.rglob("*.pdf"))
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        rows = list(pool.map(read, paths, chunksize=1))
    wall = time.perf_counter() - started
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    groups: dict[str, list[dict]] = defaultdict(list)
    for path, row in zip(paths, rows, strict=True):
        groups[folder_of(path, roots)].append(row)
    print("| folder | files | loaded | failed (by kind) | tables present / empty / missing / "
          "unreadable | cells with a value | s/page |")
    print("|---|---:|---:|---|---|---:|---:|")
    for name, group in sorted(groups.items()):
        loaded = [r for r in group if r["status"] == "loaded"]
        kinds = Counter(k for r in group if r["status"] == "failed" for k in r["kinds"])
        tables = Counter(s for r in loaded for s in r["tables"].values())
        pages = sum(r["pages"] or 0 for r in group)
        secs = sum(r["seconds"] for r in group)
        print(f"| {name} | {len(group)} | {len(loaded)} | "
              f"{', '.join(f'{k} {n}' for k, n in kinds.most_common()) or '-'} | "
              f"{tables['present']} / {tables['declared_empty']} / {tables['missing']} / "
              f"{tables['unreadable']} | {sum(r['cells'] for r in loaded):,} | "
              f"{secs / pages if pages else 0:.3f} |")
    print(f"\n{len(paths)} files, {sum(r['pages'] or 0 for r in rows)} pages in {wall:.0f} s "
          f"on {args.workers} workers")
    for row in rows:
        for code, reason in (row.get("unreadable") or {}).items():
            print(f"UNREADABLE {Path(row['file']).name} 公开{code}表: {reason[:200]}")
        if row["status"] == "loaded" and row.get("kind") is None:
            print(f"NO KIND {row['file']}")


if __name__ == "__main__":
    main()
