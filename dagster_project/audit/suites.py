"""Great Expectations suites generated from the rule catalogue, and their validation.

GX 1.x cannot validate DuckDB tables through its SQL datasource (great_expectations#11579), so
the residuals are computed in SQL (dbt model `int_audit__evaluations`), read into pandas, and
validated there. Each rule is one expectation: its evaluations must all be `pass` or
`rounding` (a failed or indeterminate identity fails the expectation).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dagster_project.audit.catalogue import FAMILIES, Rule, load_rule_phases, load_rules
from dagster_project.config import EXPECTATIONS_DIR

# No progress bars in logs, and no analytics calls: there is no network at run time.
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

RESIDUAL_MODEL = "int_audit__evaluations"
STATUSES = ["pass", "rounding", "fail", "indeterminate"]
HOLDS = ["pass", "rounding"]


def suite_name(family: str) -> str:
    # One name end to end: the dbt model the suite validates, then the rule family.
    return f"{RESIDUAL_MODEL}__{family}"


def suite_path(family: str, folder: Path = EXPECTATIONS_DIR) -> Path:
    return folder / f"{suite_name(family)}.json"


def suite_dict(family: str, rules: list[Rule]) -> dict:
    expectations = [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "status"},
         "meta": {"rule_id": None}},
        {"type": "expect_column_values_to_be_in_set",
         "kwargs": {"column": "status", "value_set": STATUSES}, "meta": {"rule_id": None}},
    ]
    for rule in rules:
        if rule.family != family:
            continue
        expectations.append({
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "status", "value_set": HOLDS,
                       # GX's structured condition (string conditions are deprecated in 1.9+)
                       "row_condition": {"type": "comparison", "column": {"name": "rule_id"},
                                         "operator": "==", "parameter": rule.rule_id}},
            "meta": {"rule_id": rule.rule_id, "severity": rule.severity,
                     "description_zh": rule.description_zh,
                     "description_en": rule.description_en},
        })
    return {"name": suite_name(family), "expectations": expectations,
            "meta": {"generated_from": "expectations/catalogue/audit_rules.csv"}}


def write_suites(folder: Path = EXPECTATIONS_DIR) -> list[Path]:
    rules = load_rules()
    load_rule_phases(rules=rules)  # a rule shared with budgets must name real rules and tables
    paths = []
    for family in FAMILIES:
        path = suite_path(family, folder)
        path.write_text(json.dumps(suite_dict(family, rules), ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


class SuiteLoadError(RuntimeError):
    """A suite lost expectations while loading (GX drops unknown expectation types)."""


def load_suite(family: str, folder: Path = EXPECTATIONS_DIR):
    import great_expectations as gx

    raw = json.loads(suite_path(family, folder).read_text("utf-8"))
    # GX logs and drops an expectation whose type it does not know; silence the log and check.
    logging.getLogger("great_expectations").setLevel(logging.CRITICAL)
    suite = gx.ExpectationSuite(**raw)
    if len(suite.expectations) != len(raw["expectations"]):
        raise SuiteLoadError(
            f"{suite_path(family, folder)}: {len(raw['expectations'])} expectations in the file, "
            f"{len(suite.expectations)} loaded")
    return suite


@dataclass
class FamilyResult:
    family: str
    success: bool
    evaluations: int
    failed_rules: dict[str, int]  # rule id → unexpected evaluations
    error_rules: list[str]  # failed rules whose severity is error (and structural failures)
    expectations: int
    # failed expectations that belong to no rule (status null or outside STATUSES): the
    # residuals themselves are wrong, which no finding can say
    structural: list[str] = field(default_factory=list)


def import_gx_in_background() -> threading.Thread:
    """Start importing GX on a thread (3 s of a run's fixed cost, twice that without compiled
    bytecode) so it overlaps the dbt build, which runs in its own process."""
    def load() -> None:
        import great_expectations  # noqa: F401

    thread = threading.Thread(target=load, name="import-gx", daemon=True)
    thread.start()
    return thread


def ephemeral_context():
    """A GX context in memory, without progress bars; one serves every family of a run."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


def validate_family(family: str, residuals: pd.DataFrame,
                    folder: Path = EXPECTATIONS_DIR, context=None) -> FamilyResult:
    """Validate the residual frame of one family with its suite (an ephemeral GX context).

    `residuals` has a row per evaluation, or, with an `evaluations` column, a row per distinct
    (rule_id, rule_family, status) and its count: every expectation is a row condition, so the
    distinct rows pass exactly when all rows do, and GX reads a few hundred rows instead of
    millions on a large warehouse. The counts give the unexpected evaluations per failed rule.
    """
    import great_expectations as gx

    suite = load_suite(family, folder)
    context = context or ephemeral_context()
    source = context.data_sources.add_pandas(f"residuals_{family}")
    asset = source.add_dataframe_asset(RESIDUAL_MODEL)
    batch = asset.add_batch_definition_whole_dataframe("all")
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite_name(family), data=batch, suite=suite))
    rows = residuals[residuals["rule_family"] == family]
    weights = (rows["evaluations"].astype(int) if "evaluations" in rows
               else pd.Series(1, index=rows.index))
    frame = rows[["rule_id", "status"]].astype(str)
    result = definition.run(batch_parameters={"dataframe": frame.reset_index(drop=True)},
                            result_format="BOOLEAN_ONLY")
    failed: dict[str, int] = {}
    errors: list[str] = []
    structural: list[str] = []
    for r in result.results:
        meta = r.expectation_config.meta or {}
        rule_id = meta.get("rule_id")
        if not r.success:
            failed[rule_id or r.expectation_config.type] = _unexpected(
                r.expectation_config.kwargs, frame, weights)
            if meta.get("severity") == "error" or rule_id is None:
                errors.append(rule_id or r.expectation_config.type)
            if rule_id is None:
                structural.append(r.expectation_config.type)
    return FamilyResult(family, bool(result.success), int(weights.sum()), failed, errors,
                        len(result.results), structural)


def _unexpected(kwargs: dict, frame: pd.DataFrame, weights: pd.Series) -> int:
    """Evaluations a failed in-set or not-null expectation rejects, counted with the weights."""
    column = frame[kwargs["column"]]
    if "value_set" in kwargs:
        bad = ~column.isin(kwargs["value_set"])
    else:
        bad = column.isin(["None", "nan", "<NA>"])  # the frame is text: null became a string
    condition = kwargs.get("row_condition")
    if condition:
        bad &= frame[condition["column"]["name"]] == condition["parameter"]
    return int(weights[bad.to_numpy()].sum())
