"""An incremental build ends where a full rebuild ends.

Real `juesuan run`s (Dagster, dbt, GX) on a generated corpus: a first load, then new reports
that touch every cross-report path (a department's missing member, the year before a loaded
year, new years, a revision superseding a loaded report) built incrementally; then the same
warehouse rebuilt with `--full-refresh`. Every table of the intermediate and marts layers must
hold the same rows both ways.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

JUESUAN = Path(sys.executable).with_name("juesuan")

# Loaded only in the second run (see the module docstring for why each).
LATER = [
    "00004-sub-2023.txt",   # a member of 00001-dept: its 2023 consolidation becomes complete
    "00002-own-2023.txt",   # the year before a loaded 2024: 2024's 上年 identities resolve
    "00005-dept-2024.txt", "00006-own-2024.txt", "00007-sub-2024.txt", "00008-sub-2024.txt",
]
REVISED = "00006-own-2022.txt"


def run(reports: Path, warehouse: Path, hierarchy: Path, *extra: str) -> None:
    result = subprocess.run(
        [str(JUESUAN), "run", "--reports", str(reports), "--warehouse", str(warehouse),
         "--hierarchy", str(hierarchy), *extra],
        capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('intermediate', 'marts') and table_type = 'BASE TABLE' "
        "and table_name <> 'int_reports_to_rebuild' order by 1, 2").fetchall()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("incremental")
    subprocess.run([str(JUESUAN), "generate", "--units", "8", "--years", "2022-2024",
                    "--out", str(out / "corpus"), "--seed", "3", "--inject-errors", "0.3"],
                   check=True, capture_output=True)
    return out


BUDGET_ONLY = {"intermediate.int_audit__eval_documents",
               "marts.fct_performance_targets_vs_results",
               # a budget's 支出总表 printed per 功能分类 项 × 经济分类 pair (北京's grain)
               "intermediate.int_budget_function_economic_pairs",
               "marts.fct_budget_by_function_and_economic",
               "marts.fct_budget_function_economic_checks"}


def test_incremental_build_equals_a_full_rebuild(corpus):
    generated = corpus / "corpus" / "reports"
    hierarchy = corpus / "corpus" / "unit_hierarchy.csv"
    reports = corpus / "reports"
    reports.mkdir()
    for path in sorted(generated.iterdir()):
        if path.name not in LATER:
            shutil.copy(path, reports / path.name)
    warehouse = corpus / "w.duckdb"
    run(reports, warehouse, hierarchy)

    for name in LATER:
        shutil.copy(generated / name, reports / name)
    # A corrected file for a loaded unit and year: a new revision that supersedes the old.
    text = (generated / REVISED).read_text("utf-8")
    first_amount = next(line for line in text.splitlines() if "合计" in line and "." in line)
    revised = text.replace(first_amount, first_amount.replace(".", "9.", 1), 1)
    assert revised != text
    (reports / "00006-own-2022-revised.txt").write_text(revised, "utf-8")
    run(reports, warehouse, hierarchy)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        builds = con.execute("select mode, queued_reports, succeeded, complete "
                             "from raw.dbt_builds order by started_at").fetchall()
        assert builds == [("full", 18, True, True), ("incremental", 8, True, True)]
        assert con.execute("select count(*) from raw.build_queue").fetchall() == [(0,)]
        # the queued reports and those they reach: the revision's unit-year (2 revisions), the
        # next year of each new report's unit, the departments of new members
        rebuilt = con.execute("select count(*) from intermediate.int_reports_to_rebuild"
                              ).fetchall()[0][0]
        superseded = con.execute("select report_id from marts.dim_reports where not is_current"
                                 ).fetchall()
        assert len(superseded) == 1
        old_revision = superseded[0][0]
    assert 7 < rebuilt < 25
    # one HTML page per current revision: 8 units × 3 years; the superseded revision's is gone
    pages = [p.name for p in (corpus / "w.audit").glob("*.html")]
    assert len(pages) == 24
    assert not [p for p in pages if p.endswith(f"-{old_revision}.html")]

    incremental = corpus / "incremental.duckdb"
    shutil.copy(warehouse, incremental)
    run(reports, warehouse, hierarchy, "--full-refresh")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select mode from raw.dbt_builds order by started_at"
                           ).fetchall()[-1] == ("full",)
        con.execute(f"attach '{incremental}' as inc (read_only)")
        names = tables(con)
        assert len(names) > 30
        differences = {}
        for name in names:
            rows = con.execute(f"select count(*) from {name}").fetchall()[0][0]
            only_full = con.execute(
                f"select count(*) from (from {name} except all from inc.{name})").fetchall()[0][0]
            only_incremental = con.execute(
                f"select count(*) from (from inc.{name} except all from {name})").fetchall()[0][0]
            # the budget-against-决算 evaluations and the budget targets are a budget's: none in
            # a corpus of 决算
            if only_full or only_incremental or (not rows and name not in BUDGET_ONLY):
                differences[name] = (rows, only_full, only_incremental)
        assert differences == {}, differences
