"""Reading the real budgets (部门预算): load rate, tables found per place and kind, failures.

    .venv/bin/python benchmarks/bench_budgets.py [FOLDER ...] [--workers N] [--cache DIR]
                                                 [--json OUT]

Default folders: ../shared/reports/budgets/ (142 budgets from 16 places) and
../shared/reports/other-templates/ (a university's 预算 and 决算). Each PDF is read and
interpreted as `juesuan run` would (`readers.read_document` + `interpret.report.interpret`).
Printed: how many load with no whole-report failure, the failures by cause (ingest-error
kind), and per place and document kind: files, loaded, loaded with every required table of
their template found (the template the document's tables identify, registry
`seeds/reference/document_templates.csv`), and per
table how often it is found, read (present or declared empty) and unreadable (a table the
registry knows and declares not read, `declared_other`, counted apart; a table its template
does not have is not listed), with the unreadable reasons by kind. A file that is one part of a report published as several (a
情况说明 whose tables are in another file) counts as loaded when a loaded report of the same
unit (as `unit_names` compares names), year and kind holds its tables, as `juesuan run`
attaches it; else it loads alone, its tables indeterminate, with a `partner_file_missing`
warning. `--cache DIR` keeps each file's neutral Document (pickled, keyed
by the file's path) so that the interpretation can be re-measured without reading the PDFs
again: reading is most of the time. `--warehouse W` also loads every file's facts into the
DuckDB warehouse W as `juesuan run` does (`ingest.load_results`), from the cached Documents;
`juesuan run --reports FOLDER --warehouse W --full-refresh` then builds and audits it without
reading the PDFs again (their bytes are loaded), so the audit's findings can be re-measured
after an interpretation change in minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from dagster_project.config import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared" / "reports"
DEFAULT = [SHARED / "budgets", SHARED / "other-templates"]


def _document(path: Path, cache: Path | None):
    from dagster_project.readers import read_document

    key = hashlib.sha1(str(path).encode()).hexdigest()[:16]
    cached = cache / f"{key}.pkl" if cache else None
    if cached and cached.exists():
        _path, doc, seconds = pickle.loads(cached.read_bytes())
        return doc, seconds
    started = time.perf_counter()
    try:
        doc = read_document(path)
    except Exception as exc:  # noqa: BLE001 - recorded as the file's failure
        doc = exc
    seconds = time.perf_counter() - started
    if cached:
        cached.write_bytes(pickle.dumps((str(path), doc, seconds)))
    return doc, seconds


def read(args: tuple[Path, Path | None]) -> dict:
    from dagster_project.interpret.report import interpret

    path, cache = args
    doc, seconds = _document(path, cache)
    row = {"file": str(path), "read_seconds": seconds}
    if isinstance(doc, Exception):
        kind = getattr(doc, "kind", type(doc).__name__)
        return {**row, "status": "failed", "causes": [kind], "message": str(doc)[:200]}
    row["pages"] = doc.pages
    try:
        facts = interpret(doc)
    except Exception as exc:  # noqa: BLE001 - a crash is a failure cause of its own
        return {**row, "status": "failed", "causes": ["reader_crash"], "message": repr(exc)[:200]}
    fatal = facts.fatal
    if fatal:
        return {**row, "status": "failed", "kind": facts.report_kind,
                "causes": sorted({p.kind for p in fatal}), "message": fatal[0].message[:200]}
    if facts.tables_elsewhere:
        # One part of a multi-file report: grouped with its partner in `group_parts`.
        return {**row, "status": "part", "kind": facts.report_kind, "unit": facts.unit_name,
                "year": facts.fiscal_year, "tables_elsewhere": facts.tables_elsewhere}
    required = [c for c, t in facts.tables.items() if t.required]
    return {**row, "status": "loaded", "kind": facts.report_kind, "unit": facts.unit_name,
            "year": facts.fiscal_year, "template": facts.template,
            "tables": {c: t.status for c, t in facts.tables.items()},
            "all_required_found": all(facts.tables[c].status != "missing" for c in required),
            "all_required_read": all(facts.tables[c].status in ("present", "declared_empty")
                                     for c in required),
            # read, or a table the registry knows and declares not read, with why
            "all_required_accounted": all(facts.tables[c].status in (
                "present", "declared_empty", "declared_other") for c in required),
            "unreadable": {c: t.reason for c, t in facts.tables.items()
                           if t.status == "unreadable"},
            "cells": sum(1 for c in facts.cells() if c.value_wan_yuan is not None)}


def group_parts(rows: list[dict]) -> None:
    """A part of a multi-file report (its tables in another file) loads with the loaded report
    of the same unit (as `unit_names` compares them), year and kind, as `ingest.load_results`
    attaches it; without one it loads alone, its tables indeterminate, with a warning
    (`partner_file_missing`: the other file is not in the corpus)."""
    from dagster_project.unit_names import same_unit

    reports = [r for r in rows if r["status"] == "loaded"]
    for r in rows:
        if r["status"] != "part":
            continue
        partner = next((p["file"] for p in reports if (p["year"], p["kind"]) == (
            r["year"], r["kind"]) and same_unit(p["unit"], r["unit"])), None)
        if partner:
            r.update(status="part_loaded", partner=partner)
        else:
            r.update(status="loaded_alone", causes=["partner_file_missing"],
                     message=f"{r['unit']} {r['year']} {r['kind']}: {r['tables_elsewhere']}")


def load_warehouse(paths: list[Path], cache: Path | None, warehouse: Path) -> None:
    """Load the files' facts as `juesuan run` would (`ingest.load_results`: reports, then the
    parts of multi-file reports, failures recorded in raw.ingest_errors), one file at a time
    so that memory stays flat."""
    from dagster_project.ingest import ReadResult, SourceFile, load_results
    from dagster_project.interpret.facts import Problem
    from dagster_project.interpret.report import interpret
    from dagster_project.warehouse.load import connect, ensure_schema

    def results():
        for path in paths:
            doc, _seconds = _document(path, cache)
            if isinstance(doc, Exception):
                source = SourceFile(path, hashlib.sha256(path.read_bytes()).hexdigest(),
                                    path.stat().st_size)
                kind = getattr(doc, "kind", "reader_crash")
                yield ReadResult(source, None, [Problem(kind, str(doc), None, True)])
                continue
            facts = interpret(doc)
            yield ReadResult(SourceFile(path, doc.sha256, path.stat().st_size), facts,
                             list(facts.problems))

    with connect(warehouse) as con:
        ensure_schema(con)
        summary = load_results(con, results())
    print(f"warehouse {warehouse}: loaded {summary.count('loaded')}, "
          f"failed {len(summary.failed)}, unchanged {summary.count('unchanged')}")


def place_of(path: Path) -> str:
    parts = path.parts
    for root in ("budgets", "other-templates"):
        if root in parts:
            i = parts.index(root)
            return parts[i + 1] if root == "budgets" and len(parts) > i + 2 else root
    return path.parent.name


def _reason_kind(reason: str) -> str:
    """The cause of an unreadable table without its figures and places."""
    if "printed" in reason and "times" in reason:
        return "printed twice with different figures"
    m = re.search(r"(a row per unit \(单位编码\) with a column per funding source|"
                  r"names a column twice|names none of the table's columns|does not name the "
                  r"收入 and 支出 columns|not an amount|a row has \d+ cells|not an economic code|"
                  r"more than one row of figures)", reason)
    return m.group(1) if m else reason[:60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, help="keep each file's Document here")
    parser.add_argument("--only-cached", action="store_true",
                        help="measure only the files already in --cache")
    parser.add_argument("--json", type=Path, help="write every file's result here")
    parser.add_argument("--warehouse", type=Path,
                        help="also load every file's facts into this DuckDB file")
    args = parser.parse_args()
    roots = args.folders or DEFAULT
    absent = [r for r in roots if not r.is_dir()]
    if absent:
        # ../shared is beside the main checkout; from a worktree elsewhere, name the folders.
        parser.error(f"no such folder: {', '.join(map(str, absent))} (pass the folders)")
    paths = sorted(p for r in roots for p in r.rglob("*.pdf"))
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
        if args.only_cached:
            paths = [p for p in paths if (args.cache / (
                hashlib.sha1(str(p).encode()).hexdigest()[:16] + ".pkl")).exists()]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        rows = list(pool.map(read, [(p, args.cache) for p in paths], chunksize=1))
    wall = time.perf_counter() - started
    group_parts(rows)
    if args.warehouse:
        load_warehouse(paths, args.cache, args.warehouse)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    loaded = [r for r in rows if r["status"] == "loaded"]
    parts = [r for r in rows if r["status"] == "part_loaded"]
    alone = [r for r in rows if r["status"] == "loaded_alone"]
    ok = len(loaded) + len(parts) + len(alone)
    print(f"files: {len(rows)}; loaded with no whole-report failure: {ok} "
          f"({100 * ok / max(len(rows), 1):.1f} %: {len(loaded)} reports, {len(parts)} files "
          f"loaded as a part of one of them, {len(alone)} parts loaded alone, their tables in "
          f"a file not collected); reports with every required table found: "
          f"{sum(r['all_required_found'] for r in loaded)} "
          f"({100 * sum(r['all_required_found'] for r in loaded) / max(len(loaded), 1):.1f} %); "
          f"every required table read: {sum(r['all_required_read'] for r in loaded)}, read or "
          f"declared not read (declared_other): "
          f"{sum(r.get('all_required_accounted', False) for r in loaded)}; "
          f"wall {wall:.0f} s")
    for r in parts:
        print(f"  part: {Path(r['file']).name} -> {Path(r['partner']).name}")
    for r in alone:
        print(f"  loaded alone: {Path(r['file']).name} ({r['message']})")
    print("\nfailures by cause:")
    for cause, n in Counter(c for r in rows if r["status"] == "failed"
                            for c in r["causes"]).most_common():
        print(f"  {cause}: {n}")
    print("\n| place | kind | template | files | loaded | all required found | "
          "all required read | tables found / read / unreadable (per table) |")
    print("|---|---|---|---:|---:|---:|---:|---|")
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for path, row in zip(paths, rows, strict=True):
        groups[(place_of(path), row.get("kind") or "?", row.get("template") or "-")].append(row)
    for (place, kind, template), group in sorted(groups.items()):
        ok = [r for r in group if r["status"] == "loaded"]
        n_parts = sum(r["status"] in ("part_loaded", "loaded_alone") for r in group)
        per_table = []
        for code in sorted({c for r in ok for c in r["tables"]}):
            statuses = [r["tables"].get(code, "missing") for r in ok]
            found = sum(s != "missing" for s in statuses)
            read_ = sum(s in ("present", "declared_empty") for s in statuses)
            bad = sum(s == "unreadable" for s in statuses)
            other = sum(s == "declared_other" for s in statuses)
            if found or bad:
                per_table.append(f"{code} {found}/{read_}/{bad}"
                                 + (f" ({other} declared_other)" if other else ""))
        print(f"| {place} | {kind} | {template} | {len(group)} | {len(ok)}"
              f"{f' + {n_parts} parts' if n_parts else ''} | "
              f"{sum(r['all_required_found'] for r in ok)} | "
              f"{sum(r['all_required_read'] for r in ok)} | {', '.join(per_table)} |")
    print("\nunreadable tables by cause:")
    for (code, cause), n in Counter((c, _reason_kind(reason)) for r in loaded
                                    for c, reason in r["unreadable"].items()).most_common():
        print(f"  {code} {cause}: {n}")
    pages = sum(r.get("pages") or 0 for r in rows)
    print(f"\nreading: {sum(r['read_seconds'] for r in rows) / max(pages, 1):.3f} s/page over "
          f"{pages} pages (as recorded when each Document was read)")


if __name__ == "__main__":
    main()
