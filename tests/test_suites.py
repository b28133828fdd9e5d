"""The GX suites: generated from the catalogue, loaded whole, and able to fail on every rule."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dagster_project.audit.catalogue import FAMILIES, load_rules
from dagster_project.audit.suites import (
    SuiteLoadError,
    load_suite,
    suite_dict,
    suite_path,
    validate_family,
)

RULES = load_rules()


@pytest.mark.parametrize("family", FAMILIES)
def test_suite_file_matches_the_catalogue_and_loads_whole(family):
    on_disk = json.loads(suite_path(family).read_text("utf-8"))
    assert on_disk == suite_dict(family, RULES), "run `juesuan suites` to regenerate"
    suite = load_suite(family)
    assert len(suite.expectations) == len(on_disk["expectations"])
    rule_ids = {e.meta.get("rule_id") for e in suite.expectations} - {None}
    assert rule_ids == {r.rule_id for r in RULES if r.family == family}


def test_a_misspelled_expectation_is_caught(tmp_path):
    family = FAMILIES[0]
    raw = json.loads(suite_path(family).read_text("utf-8"))
    raw["expectations"][2]["type"] = "expect_column_values_to_be_in_sett"
    suite_path(family, tmp_path).write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    with pytest.raises(SuiteLoadError, match="loaded"):
        load_suite(family, tmp_path)


def _frame(rows):
    return pd.DataFrame(rows, columns=["rule_id", "rule_family", "status"])


def test_every_rule_can_fail():
    base = [(r.rule_id, r.family, "pass") for r in RULES]
    for family in FAMILIES:
        assert validate_family(family, _frame(base)).success
        # Fail every rule of the family at once: each must be reported failed on its own.
        rows = [(rid, fam, "fail" if fam == family else "pass") for rid, fam, _ in base]
        rows.append((next(r.rule_id for r in RULES if r.family == family), family, "rounding"))
        result = validate_family(family, _frame(rows))
        expected = {r.rule_id for r in RULES if r.family == family}
        assert not result.success and set(result.failed_rules) == expected, family
        assert set(result.error_rules) == {r.rule_id for r in RULES
                                           if r.family == family and r.severity == "error"}
        assert all(n == 1 for n in result.failed_rules.values())


def test_indeterminate_is_never_silently_passed():
    rule = RULES[0]
    result = validate_family(rule.family, _frame([(rule.rule_id, rule.family, "indeterminate")]))
    assert not result.success and rule.rule_id in result.failed_rules


def test_catalogue_rejects_unknown_values(tmp_path):
    from dagster_project.audit.catalogue import CATALOGUE

    text = CATALOGUE.read_text("utf-8").replace(",within_table,", ",within_tabel,", 1)
    bad = tmp_path / "rules.csv"
    bad.write_text(text, "utf-8")
    with pytest.raises(ValueError, match="within_tabel"):
        load_rules(bad)


def test_counted_distinct_rows_give_the_same_verdicts_and_counts():
    rule = next(r for r in RULES if r.severity == "error")
    rows = [(rule.rule_id, rule.family, "pass")] * 5 + [(rule.rule_id, rule.family, "fail")] * 3
    one_per_row = validate_family(rule.family, _frame(rows))
    counted = _frame(rows).value_counts().rename("evaluations").reset_index()
    grouped = validate_family(rule.family, counted)
    assert len(counted) == 2 and not grouped.success
    assert grouped.failed_rules == one_per_row.failed_rules == {rule.rule_id: 3}
    assert grouped.error_rules == one_per_row.error_rules and grouped.evaluations == 8


def test_the_rules_a_budget_shares_name_real_rules_and_tables(tmp_path):
    from dagster_project.audit.catalogue import RULE_PHASES, load_rule_phases

    rows = load_rule_phases(rules=RULES)
    assert ("T05.row_split", "预算", "05=Y05") in {
        (r["rule_id"], r["document_phase"], r["tables"]) for r in rows}
    # A budget table that does not exist, or a table the rule does not name, is refused.
    bad = tmp_path / "phases.csv"
    bad.write_text(RULE_PHASES.read_text("utf-8").replace("05=Y05", "05=Y55", 1), "utf-8")
    with pytest.raises(ValueError, match="Y55"):
        load_rule_phases(bad, rules=RULES)
    bad.write_text(RULE_PHASES.read_text("utf-8").replace("05=Y05", "03=Y03", 1), "utf-8")
    with pytest.raises(ValueError, match="names no table '03'"):
        load_rule_phases(bad, rules=RULES)
