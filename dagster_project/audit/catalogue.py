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
FAMILIES = ["within_table", "across_tables", "text_vs_table", "performance", "across_years",
            "across_units", "across_documents"]
SEVERITIES = {"error", "warning", "info"}
TEMPLATES = {"cell_sum", "ratio", "row_sum", "hierarchy", "match_by_code", "narrative_class_share",
             "narrative_item", "yoy", "evaluation_rate", "project_text", "indicator_target",
             "indicator_duplicate", "adjustment_claim", "prior_year", "consolidation",
             # what the words say (issue 14): int_audit__eval_statements
             "named_unit", "named_year", "table_status", "zero_budget_rate", "code_name",
             "unit_of_measure",
             # a budget against the 决算 of its unit and year: int_audit__eval_documents
             "document_cell", "document_item"}


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
