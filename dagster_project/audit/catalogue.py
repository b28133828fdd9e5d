"""The audit rule catalogue (expectations/catalogue/audit_rules.csv): one row per identity.

dbt loads the same file as a seed and evaluates every rule in SQL; this module reads it to
build the Great Expectations suites, one per rule family.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from dagster_project.config import EXPECTATIONS_DIR

CATALOGUE = EXPECTATIONS_DIR / "catalogue" / "audit_rules.csv"
# the 决算 rules a budget's table of the same kind is checked by too (dbt: int_audit__rules)
RULE_PHASES = EXPECTATIONS_DIR / "catalogue" / "audit_rule_phases.csv"
TABLE_REGISTRY = EXPECTATIONS_DIR.parent / "seeds" / "reference" / "public_tables.csv"
FAMILIES = ["within_table", "across_tables", "text_vs_table", "performance", "across_years",
            "across_units", "across_documents"]
SEVERITIES = {"error", "warning", "info"}
TEMPLATES = {"cell_sum", "ratio", "row_sum", "hierarchy", "match_by_code", "narrative_class_share",
             "narrative_item", "yoy", "evaluation_rate", "project_text", "indicator_target",
             "indicator_duplicate", "adjustment_claim", "funds_split", "targets_total",
             "prior_year",
             "consolidation",
             # what the words say (issue 14): int_audit__eval_statements
             "named_unit", "named_year", "table_status", "zero_budget_rate", "code_name",
             "unit_of_measure",
             # a budget against its 决算 (same year, or last year's): int_audit__eval_documents
             "document_cell", "document_prior_cell", "document_item", "document_rows"}


@dataclass(frozen=True)
class Rule:
    rule_id: str
    family: str
    template: str
    severity: str
    lhs: str
    rhs: str
    condition: str
    description_zh: str
    description_en: str


def load_rules(path: Path = CATALOGUE) -> list[Rule]:
    with path.open(encoding="utf-8", newline="") as f:
        rules = [Rule(**row) for row in csv.DictReader(f)]
    problems = [
        f"{r.rule_id}: unknown {what} {value!r}"
        for r in rules
        for what, value, allowed in (("family", r.family, FAMILIES),
                                     ("severity", r.severity, SEVERITIES),
                                     ("template", r.template, TEMPLATES))
        if value not in allowed
    ]
    ids = [r.rule_id for r in rules]
    problems += [f"duplicate rule id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return rules


def _tables_named(rule: Rule) -> set[str]:
    """The table codes a rule's sides name: the first piece of each `TT/…` term."""
    return {token.split("/")[0] for token in f"{rule.lhs} {rule.rhs}".split()
            if "/" in token and token != "/"}


def load_rule_phases(path: Path = RULE_PHASES, rules: list[Rule] | None = None,
                     registry: Path = TABLE_REGISTRY) -> list[dict[str, str]]:
    """audit_rule_phases.csv, checked: every rule exists, and each `from=to` pair maps a table
    the rule names to a table of that phase in the registry (a typo would silently check
    nothing)."""
    by_id = {r.rule_id: r for r in (rules if rules is not None else load_rules())}
    with registry.open(encoding="utf-8", newline="") as f:
        phase_of = {row["table_code"]: row["document_phase"] for row in csv.DictReader(f)}
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    problems = []
    for row in rows:
        rule = by_id.get(row["rule_id"])
        if rule is None:
            problems.append(f"unknown rule {row['rule_id']!r}")
            continue
        for pair in row["tables"].split():
            source, _, target = pair.partition("=")
            if source not in _tables_named(rule):
                problems.append(f"{rule.rule_id}: names no table {source!r}")
            if phase_of.get(target) != row["document_phase"]:
                problems.append(f"{rule.rule_id}: {target!r} is no {row['document_phase']} table")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return rows
