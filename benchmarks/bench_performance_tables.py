"""绩效 tables across the real budgets: per place, how many documents print a 绩效目标表 (by
their titles), how many tables are read, their indicators and their amounts.

    .venv/bin/python benchmarks/bench_performance_tables.py [FOLDER ...] --cache DIR [--json OUT]

Default folders: ../shared/reports/budgets/ and ../shared/reports/other-templates/. `--cache`
is `bench_budgets.py`'s (each file's neutral Document, pickled, keyed by its path): a file not
in it is read and added. Printed per place:

- files, and files printing a 绩效目标表: a title the document prints (项目支出绩效目标表,
  部门整体支出绩效目标表, 项目支出绩效表 …, `performance.is_title`), as a line or as the one
  printed cell of a row, contents lines excepted;
- tables read: one per project or 部门整体 (`ReportFacts.evaluations`; a table with a row per
  project counts each project), with at least one indicator, with an amount (a funds total,
  the year's 预算数 or a 财政拨款 figure), with the year's 预算数 (`budget_wan_yuan`), and
  with a total and a part printed (what `P.funds_split` checks);
- indicators read.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from bench_budgets import DEFAULT, _document, place_of

from dagster_project.document import Paragraph


def _titles(doc, phase: str) -> int:
    """Titles of 绩效 tables with a table under them: a contents line or a sentence naming the
    table ("详见单位的项目绩效目标表") is no table printed."""
    from dagster_project.interpret.performance import is_title

    blocks = doc.blocks
    n = 0
    for k, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            titled = is_title(block.text, phase)
        else:
            # a title printed inside the grid (北京): a row whose one printed cell it is
            for row in getattr(block, "rows", []):
                printed = [c.text for c in row if c.text.strip()]
                n += len(printed) == 1 and is_title(printed[0], phase)
            continue
        if titled and _table_follows(blocks[k + 1:k + 9]):
            n += 1
    return n


def _table_follows(blocks) -> bool:
    """A table comes before any prose: only short lines (a year, a unit, "单位：万元", or their
    pieces where a PDF's text layer splits them) between the title and the grid."""
    for block in blocks:
        if not isinstance(block, Paragraph):
            return True
        # prose, or the next heading (a contents page lists titles one under another)
        if len(block.text) > 60 or _HEADING.match(block.text.strip()):
            return False
    return False


_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


def measure(path: Path, cache: Path | None) -> dict:
    from dagster_project.interpret.report import interpret

    doc, _seconds = _document(path, cache)
    row = {"file": str(path), "place": place_of(path)}
    if isinstance(doc, Exception):
        return {**row, "failed": str(doc)[:200]}
    facts = interpret(doc)
    phase = "决算" if facts.report_kind and "决算" in facts.report_kind else "预算"
    evs = facts.evaluations
    return {
        **row, "phase": phase, "titles": _titles(doc, phase), "tables": len(evs),
        "with_indicators": sum(1 for e in evs if e.indicators),
        "indicators": sum(len(e.indicators) for e in evs),
        "with_amount": sum(1 for e in evs if any(
            v is not None for v in (e.budget_wan_yuan, getattr(e, "funds_total_wan_yuan", None),
                                    getattr(e, "fiscal_wan_yuan", None)))),
        "with_budget": sum(1 for e in evs if e.budget_wan_yuan is not None),
        "with_split": sum(1 for e in evs if getattr(e, "funds_total_wan_yuan", None) is not None
                          and any(getattr(e, f"{p}_wan_yuan", None) is not None
                                  for p in ("fiscal", "carryover", "other"))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--cache", type=Path, help="bench_budgets.py's cache of Documents")
    parser.add_argument("--json", type=Path, help="write every file's counts here")
    args = parser.parse_args()
    folders = args.folders or DEFAULT
    paths = sorted(p for f in folders for p in f.rglob("*.pdf"))
    rows = [measure(p, args.cache) for p in paths]
    keys = ["tables", "with_indicators", "indicators", "with_amount", "with_budget", "with_split"]
    per: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        c = per[r["place"]]
        c["files"] += 1
        c["printing"] += bool(r.get("titles"))
        c["read"] += bool(r.get("tables"))
        for k in keys:
            c[k] += r.get(k, 0)
    total = sum(per.values(), Counter())
    print("| place | files | print a 绩效目标表 | files read | tables read | with indicators "
          "| indicators | with an amount | with 预算数 | total and parts |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for place, c in sorted(per.items()) + [("all", total)]:
        print(f"| {place} | {c['files']} | {c['printing']} | {c['read']} | " +
              " | ".join(str(c[k]) for k in keys) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
