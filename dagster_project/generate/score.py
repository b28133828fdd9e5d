"""Score the audit's findings against a generated corpus's manifest of injected errors.

A finding *matches* an injection when it is at the injected report (or at a report the
injection feeds: a member unit's department, same year; for 机关运行经费, next year's report,
whose text compares with it) and at the injected place: the same
table and the same row or one of its parents (a hierarchy identity fails at the parent) for a
table cell; the same subject (the row label the finding carries) for a 情况说明 or 绩效自评表
figure. The generator's exact model satisfies every identity, so an error or warning that
matches no injection is a false alarm: a rounding difference reported above `info`, or an
audit bug.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

FAMILIES = ["within_table", "across_tables", "text_vs_table", "performance", "across_years",
            "across_units"]
# What a reviewer reads (issue 14, inject_words.py): each kind of word injection and the rules
# that must find it. A year-on-year word is found by the stated rate (R.yoy_change) or by last
# year's report (Y.prior_total) as well as by N.item_direction.
WORD_RULES = {
    "unit_name": {"D.unit_name"},
    "year": {"D.year"},
    "unit_of_measure": {"D.unit_of_measure"},
    "comparison_word": {"N.item_direction", "R.yoy_change", "Y.prior_total"},
    "empty_table": {"D.empty_undeclared", "D.empty_but_filled", "D.table_missing",
                    "D.table_missing_stated"},
    "zero_budget": {"N.completion_zero_budget"},
    "code_name": {"D.code_name"},
    # a change on last year restated consistently from a wrong last year: only last year's
    # report can tell (scored as across_years, the rule's own family)
    "prior_year": {"Y.prior_total"},
}
# The rules that only words trigger are scored as their word family.
WORD_FAMILY_OF = {r: fam for fam, rules in WORD_RULES.items() for r in rules
                  if r not in ("R.yoy_change", "Y.prior_total")}
_LINES = re.compile(r"\.txt:L(\d+)(?:-(\d+))?")


@dataclass
class Finding:
    unit: str
    year: int
    rule_id: str
    family: str
    severity: str
    table_code: str | None
    row_code: str | None
    row_label: str | None
    instance_key: str | None
    likely_wrong_location: str | None = None
    source_location: str | None = None

    @property
    def scored_family(self) -> str:
        return WORD_FAMILY_OF.get(self.rule_id, self.family)


@dataclass
class Score:
    injections: int
    found: dict[str, list[int]] = field(default_factory=dict)  # family -> [found, in family, total]
    precision: dict[str, list[int]] = field(default_factory=dict)  # family -> [matched, findings]
    unexplained: list[Finding] = field(default_factory=list)
    # error/warning findings in a report with an injection, not at its place: its consequences
    consequences: list[Finding] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)

    @property
    def rounding_only_above_info(self) -> int:
        return len(self.unexplained)


def read_manifest(folder: Path) -> list[dict]:
    with (folder / "manifest.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_hierarchy(folder: Path) -> dict[str, str]:
    with (folder / "unit_hierarchy.csv").open(encoding="utf-8") as f:
        return {r["member_unit_name"]: r["department_unit_name"] for r in csv.DictReader(f)}


def query_findings(con) -> list[Finding]:
    rows = con.execute(
        "select unit_name, fiscal_year, rule_id, rule_family, severity, table_code, row_code, "
        "row_label, instance_key, likely_wrong_location, source_location from marts.audit_findings "
        "where severity in ('error', 'warning')").fetchall()
    return [Finding(*r) for r in rows]


def _counterpart(injection: dict) -> str | None:
    # A moved amount changes two lines of one table; the note names the second.
    m = re.search(r"公开\d\d表 (\d+)", injection.get("note") or "")
    return m.group(1) if m else None


def _near(f: Finding, i: dict) -> bool:
    """A text report's finding names lines (L12 or L12-30): the injected line, or a table row
    a line or two away (a code and its name are two lines). A PDF's finding names pages and
    boxes, not the text's lines: the report and the rule decide there."""
    if not i["file"].endswith(".txt") or i["expected_family"] == "empty_table":
        return True  # an empty or missing table is located at its table: its code decides
    m = _LINES.search(f.source_location or "")
    if m is None:
        return True  # a finding about the whole document (a missing table)
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    return first - 2 <= int(i["line"]) <= last + 2


def matches(f: Finding, i: dict) -> bool:
    rules = WORD_RULES.get(i["expected_family"])
    if rules is not None and f.rule_id in rules:
        return _near(f, i) and (f.rule_id not in WORD_FAMILY_OF or i["table_code"] in ("N", "header")
                                or f.table_code in (None, i["table_code"]))
    if f.likely_wrong_location == f"{i['file']}:L{i['line']}":
        return True  # the audit named the injected figure itself
    table = i["table_code"]
    if table in ("N", "P"):
        label = i["row_label"]
        if i["kind"] == "prior_year_total" and f.rule_id == "Y.prior_total":
            return True
        return bool(label) and (f.row_label == label or label in (f.instance_key or "")
                                or (bool(i["row_code"]) and f.row_code == i["row_code"]))
    if f.table_code != table:
        return False
    code = i["row_code"]
    if not code:  # 01 income lines and the 09 row are keyed by label
        return f.row_label == i["row_label"] or f.row_code is None
    codes = [code, _counterpart(i)]
    return any(c and f.row_code and c.startswith(f.row_code) for c in codes) or \
        any(c and (f.instance_key or "").startswith(c) for c in codes)


# Figures of a report's text that next year's report compares with (Y.prior_total): an
# injection there feeds next year's report too.
READ_NEXT_YEAR = {"机关运行经费"}


def score(findings: list[Finding], manifest: list[dict], departments: dict[str, str]) -> Score:
    by_report: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for i in manifest:
        year = int(i["year"])
        by_report[(i["unit"], year)].append(i)
        if i["row_label"] in READ_NEXT_YEAR:
            by_report[(i["unit"], year + 1)].append(i)
        if i["unit"] in departments:
            by_report[(departments[i["unit"]], year)].append(i)
    s = Score(len(manifest))
    hit: dict[int, set[str]] = defaultdict(set)
    ids = {id(i): n for n, i in enumerate(manifest)}
    for f in findings:
        candidates = by_report.get((f.unit, f.year), [])
        matched = [i for i in candidates if matches(f, i)]
        p = s.precision.setdefault(f.scored_family, [0, 0])
        p[1] += 1
        if matched:
            p[0] += 1
            for i in matched:
                hit[ids[id(i)]].add(f.scored_family)
                if f.rule_id in WORD_RULES.get(i["expected_family"], ()):
                    hit[ids[id(i)]].add(i["expected_family"])
        elif not candidates:
            s.unexplained.append(f)
        else:
            s.consequences.append(f)
    for n, i in enumerate(manifest):
        fam = i["expected_family"]
        r = s.found.setdefault(fam, [0, 0, 0])
        r[2] += 1
        if hit[n]:
            r[0] += 1
            if fam in hit[n]:
                r[1] += 1
        else:
            s.missed.append(i)
    return s


def render_table(s: Score) -> str:
    lines = ["| family | injections | recall (any rule) | recall (expected family) | "
             "error/warning findings | precision |",
             "|---|---:|---:|---:|---:|---:|"]
    for fam in FAMILIES + [w for w in WORD_RULES if w in s.found or w in s.precision]:
        found, in_family, total = s.found.get(fam, [0, 0, 0])
        matched, count = s.precision.get(fam, [0, 0])
        lines.append(f"| {fam} | {total} | {_ratio(found, total)} | {_ratio(in_family, total)} | "
                     f"{count} | {_ratio(matched, count)} |")
    found = sum(v[0] for v in s.found.values())
    in_family = sum(v[1] for v in s.found.values())
    matched = sum(v[0] for v in s.precision.values())
    count = sum(v[1] for v in s.precision.values())
    lines.append(f"| **all** | {s.injections} | {_ratio(found, s.injections)} | "
                 f"{_ratio(in_family, s.injections)} | {count} | {_ratio(matched, count)} |")
    return "\n".join(lines)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "—"
