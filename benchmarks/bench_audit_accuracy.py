"""Audit accuracy on a generated corpus with known injected errors.

Generates a corpus (default 50 reports a year × 2 years, an error injected in 30% of the
reports), runs the whole pipeline on it (`juesuan run`: read, load, dbt build, identities) and
scores the findings against the manifest, per rule family:

- recall: injections found as an error or warning at the right report, table and row (any
  rule, and a rule of the family the injection targets);
- precision: error/warning findings at the place of an injection (a failed identity can also
  surface at a parent row or in another table: those count against precision here);
- rounding-only differences reported above info: error/warning findings in reports with no
  injection. The generator's exact model satisfies every identity, so each of them would be
  a rounding difference the audit failed to classify as info. Must be 0.

Also times generation of 10,000 reports. Appends (or replaces) the "## Audit accuracy"
section of benchmarks/RESULTS.md unless --no-write.

Usage: python benchmarks/bench_audit_accuracy.py [--units 50] [--years 2023-2024]
       [--rate 0.3] [--seed 0] [--speed-reports 10000] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from pathlib import Path

import duckdb

from dagster_project.generate.corpus import generate
from dagster_project.generate.layouts import parse_layouts
from dagster_project.generate.score import (
    query_findings,
    read_hierarchy,
    read_manifest,
    render_table,
    score,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HEADING = "## Audit accuracy"


def _years(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def _machine() -> str:
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    return f"`nproc` {nproc}, `{uname}`, Python {platform.python_version()}"


def write_section(body: str, heading: str = HEADING) -> None:
    """Replace our section of RESULTS.md (from our heading to the next '## '), or append it."""
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Benchmark results\n"
    section = f"{heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text, "utf-8")


def _wrap(body: str) -> str:
    """Wrap prose at 100 columns like the rest of RESULTS.md; tables stay as they are."""
    out = []
    for line in body.split("\n"):
        if line.startswith("|") or len(line) <= 100:
            out.append(line)
        else:
            indent = "    " if line.startswith("  - ") else "  " if line.startswith("- ") else ""
            out.append(textwrap.fill(line, 100, subsequent_indent=indent,
                                     break_on_hyphens=False))
    return "\n".join(out)


def _members(corpus: Path, f) -> set[tuple[str, int]]:
    """The (unit, year) whose injection a department's consolidated report inherits."""
    return {(m, f.year) for m, d in read_hierarchy(corpus).items() if d == f.unit}


def _injected_kind(manifest: list[dict], corpus: Path, f) -> str:
    """The family of the injection in the finding's report (or in a member of its department)."""
    reports = {(f.unit, f.year)} | _members(corpus, f)
    return next((i["expected_family"] for i in manifest
                 if (i["unit"], int(i["year"])) in reports), "?")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=50, help="reports per year")
    parser.add_argument("--years", default="2023-2024")
    parser.add_argument("--rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--speed-reports", type=int, default=10000,
                        help="also time generating this many reports (0: skip)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--inject-kinds", default="numbers", choices=["numbers", "words", "all"],
                        help="what the injections change (words: the issue-14 families, scored "
                             "per family in their own section)")
    parser.add_argument("--layouts", help="PDF layouts (a,b or all): the corpus as PDFs, "
                        "cycled over these layouts, instead of text")
    args = parser.parse_args()
    layouts = parse_layouts(args.layouts) if args.layouts else None
    heading = HEADING + (" (PDF layouts)" if layouts else "")
    if args.inject_kinds != "numbers":
        heading += f" (--inject-kinds {args.inject_kinds}, issue 14)"
    years = _years(args.years)
    work = Path(tempfile.mkdtemp(prefix="juesuan-accuracy-"))
    try:
        speed = ""
        if args.speed_reports:
            per_year = max(1, args.speed_reports // 2)
            t0 = time.perf_counter()
            stats = generate(work / "speed", per_year, range(2023, 2025), 0.3, seed=args.seed)
            seconds = time.perf_counter() - t0
            speed = (f"Generation: {stats['reports']} reports ({per_year} a year × 2 years, "
                     f"{stats['injections']} injections) in {seconds:.1f} s, "
                     f"{stats['reports'] / seconds:.0f} reports/s ({os.cpu_count()} processes).")
            print(speed)
            shutil.rmtree(work / "speed")
        corpus = work / "corpus"
        stats = generate(corpus, args.units, years, args.rate, seed=args.seed, layouts=layouts,
                         inject_kinds=args.inject_kinds)
        print(f"corpus: {stats}")
        db = work / "w.duckdb"
        juesuan = Path(sys.executable).with_name("juesuan")
        t0 = time.perf_counter()
        proc = subprocess.run([str(juesuan), "run", "--reports", str(corpus / "reports"),
                               "--warehouse", str(db), "--hierarchy",
                               str(corpus / "unit_hierarchy.csv")],
                              capture_output=True, text=True, check=False)
        pipeline = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
            return 1
        with duckdb.connect(str(db), read_only=True) as con:
            findings = query_findings(con)
            rounding = con.execute(
                "select count(*) from intermediate.int_audit__evaluations where status = 'rounding'"
            ).fetchall()[0][0]
            info = con.execute(
                "select count(*) from marts.audit_findings where severity = 'info'").fetchall()[0][0]
            indeterminate = con.execute(
                "select count(*) from marts.audit_findings where severity = 'indeterminate'"
            ).fetchall()[0][0]
        result = score(findings, read_manifest(corpus), read_hierarchy(corpus))
        table = render_table(result)
        print(table)
        print(f"rounding-only differences reported above info: {result.rounding_only_above_info}")
        for f in result.unexplained[:20]:
            print("  unexplained:", f)
        for i in result.missed[:20]:
            print("  missed:", i)
        print(f"load average: {os.getloadavg()}")
        manifest = read_manifest(corpus)
        consequences = Counter(f"{f.rule_id} (for {_injected_kind(manifest, corpus, f)})"
                               for f in result.consequences)
        print("consequences:", consequences)
        misses = []
        for i in result.missed:
            same = [f for f in findings if (f.unit, f.year) == (i["unit"], int(i["year"]))]
            elsewhere = sorted({f"{f.rule_id} at {f.row_label or f.row_code or '—'}" for f in same})
            verdict = ("found in its report by a rule of its family but located elsewhere"
                       if any(f.scored_family == i["expected_family"] for f in same) else "not found")
            misses.append(f"  - {i['file']}:L{i['line']} {i['kind']} {i['row_label']} / "
                          f"{i['column']} {i['original']} → {i['injected']}: {verdict} (the "
                          f"report's findings: {'; '.join(elsewhere) or 'none'})")
        body = "\n".join([
            f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {_machine()}; load average "
            f"{os.getloadavg()[0]:.1f} at the end.",
            "",
            f"`python benchmarks/bench_audit_accuracy.py --units {args.units} --years {args.years} "
            f"--rate {args.rate} --seed {args.seed}"
            f"{' --layouts ' + args.layouts if layouts else ''}"
            f"{' --inject-kinds ' + args.inject_kinds if args.inject_kinds != 'numbers' else ''}`: {stats['reports']} generated "
            f"{'PDF ' if layouts else ''}reports "
            f"({stats['departments']} departments with their 本级 and units), "
            f"{stats['injections']} injected errors; whole pipeline (`juesuan run`) "
            f"{pipeline:.0f} s.",
            "",
            table,
            "",
            f"- Rounding-only differences reported above info: **{result.rounding_only_above_info}** "
            f"(error/warning findings in reports without an injection). {rounding} identities "
            f"held only within rounding and were reported as {info} `info` lines; "
            f"{indeterminate} indeterminate.",
            "- Findings not at an injection's place, all in reports with one (its consequences, "
            "counted against precision above): "
            + (", ".join(f"{k} {v}" for k, v in consequences.most_common()) or "none") + ".",
            f"- Missed injections: {len(result.missed)}" + (":" if misses else "."),
            *misses,
            "- Recall counts an injection found when an error or warning sits at its report "
            "(or, for a member unit, its department's consolidated report) and at its place: "
            "for a word (issue 14), a rule of its family (`score.WORD_RULES`) at its line (text) "
            "or in its report (PDF), an empty or missing table by its code; otherwise "
            "the same table and row or a parent row; for a 情况说明 or 绩效自评表 figure, the "
            "same subject; or the audit names the injected figure as the likely wrong cell. "
            "Precision counts the findings at such a place; the rest are the injection's other "
            "consequences (parent rows, totals, other tables), none in a report without one.",
            f"- {speed}" if speed else "",
        ])
        if not args.no_write:
            write_section(_wrap(body), heading)
            print(f"wrote {heading!r} in {RESULTS}")
        return 0 if result.rounding_only_above_info == 0 else 3
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
