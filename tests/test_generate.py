"""The corpus generator: readable reports, exact models, consistent years and departments,
known injections; and the audit on a generated corpus (one real pipeline run).

Every expected figure comes from the generator's own exact model or manifest, never from the
audit under test.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from dagster_project.generate.corpus import generate, models, plan_corpus
from dagster_project.generate.model import ZERO
from dagster_project.generate.registry import load
from dagster_project.generate.score import (
    WORD_RULES,
    query_findings,
    read_hierarchy,
    read_manifest,
    score,
)
from dagster_project.interpret.report import interpret
from dagster_project.readers import read_document
from tests.conftest import cell

YEARS = range(2023, 2025)
CLEAN = {"units": 5, "seed": 1}  # a department (本级 + 2 units) and a standalone unit
INJECTED = {"units": 6, "seed": 2, "first_place": 400}
# Every report carries one word a reviewer would catch (issue 14), every family represented.
WORDS = {"units": 5, "seed": 13, "first_place": 800}


def r2(x: D) -> D:
    return x.quantize(D("0.01"), ROUND_HALF_UP)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "clean"
    generate(out, CLEAN["units"], YEARS, 0.0, seed=CLEAN["seed"])
    return out


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "injected"
    generate(out, INJECTED["units"], YEARS, 0.5, seed=INJECTED["seed"],
             first_place=INJECTED["first_place"])
    return out


@pytest.fixture(scope="module")
def words(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "words"
    generate(out, WORDS["units"], YEARS, 1.0, seed=WORDS["seed"], first_place=WORDS["first_place"],
             inject_kinds="words")
    return out


def _listing(folder: Path) -> list[dict]:
    with (folder / "units.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _facts(folder: Path):
    return {(u["unit"], int(u["year"])): interpret(read_document(folder / "reports" / u["file"]))
            for u in _listing(folder)}


def test_generated_reports_read_without_problems(clean):
    listing = _listing(clean)
    assert len(listing) == CLEAN["units"] * len(YEARS)
    assert {u["role"] for u in listing} == {"部门", "本级", "下属单位", "独立"}
    for (unit, year), facts in _facts(clean).items():
        assert facts.problems == [], (unit, year, facts.problems[:3])
        assert (facts.unit_name, facts.fiscal_year) == (unit, year)
        status = {c: t.status for c, t in facts.tables.items()}
        assert status.pop("08") == "declared_empty"
        # no government funds / no 三公 spending: the table is declared empty
        assert status.pop("07") in ("present", "declared_empty")
        assert status.pop("09") in ("present", "declared_empty")
        assert set(status.values()) == {"present"}
        assert facts.narrative and facts.evaluations


def test_printed_figures_are_the_exact_model_rounded(clean):
    reg = load()
    facts = _facts(clean)
    for _entity, m in models(plan_corpus(CLEAN["units"], CLEAN["seed"], reg), YEARS,
                             CLEAN["seed"], reg):
        f = facts[(m.name, m.year)]
        assert cell(f, "01", key="grand_total", group=0).value_wan_yuan == r2(m.grand_total)
        assert cell(f, "01", key="carryover_begin", group=0).value_wan_yuan in (None, r2(m.carry_begin))
        assert cell(f, "03", key="total", column="basic").value_wan_yuan == r2(m.basic_total)
        assert cell(f, "05", key="total", column="total").value_wan_yuan == r2(m.gb_expenditure)
        assert cell(f, "06", key="personnel_total").value_wan_yuan == r2(m.personnel_total)
        for item in m.gb_items():
            assert cell(f, "05", code=item, column="total").value_wan_yuan == r2(m.gb(item))
        stated = {(n.fact_kind, n.subject, n.metric): n for n in f.narrative}
        assert stated[("total", "收支总计", "amount")].amount_wan_yuan == r2(m.grand_total)
        assert stated[("basic_split", "公用经费", "amount")].amount_wan_yuan == r2(m.public_total)
        whole = next(e for e in f.evaluations if e.evaluation_kind == "部门整体")
        assert whole.executed_wan_yuan == r2(m.expenditure_total)
        projects = {e.project_name: e for e in f.evaluations if e.evaluation_kind == "项目"}
        assert {p.name for p in m.projects if p.evaluated} == set(projects)


def test_departments_are_the_exact_sum_and_years_follow_each_other():
    reg = load()
    entities = plan_corpus(CLEAN["units"], CLEAN["seed"], reg)
    seen: dict[str, object] = {}
    rounding_gaps = 0
    for entity, m in models(entities, YEARS, CLEAN["seed"], reg):
        if entity.role == "部门":
            members = [seen[(x.name, m.year)] for x in entity.members]
            for item in m.items():
                assert m.spend(item) == sum((x.spend(item) for x in members), ZERO)
                assert m.income(item) == sum((x.income(item) for x in members), ZERO)
            assert m.economic == {k: sum((x.economic.get(k, ZERO) for x in members), ZERO)
                                  for k in m.economic}
            assert m.grand_total == sum((x.grand_total for x in members), ZERO)
            # printed members need not add up to the printed department: rounding
            rounding_gaps += r2(m.expenditure_total) != sum(r2(x.expenditure_total) for x in members)
        previous = seen.get((m.name, m.year - 1))
        if previous is not None:
            assert m.carry_begin_fiscal == previous.carry_end_fiscal
            assert m.carry_begin == previous.carry_end
            assert m.prior == previous.totals()
        assert m.grand_total == m.expenditure_total + m.carry_end  # the report balances exactly
        seen[(m.name, m.year)] = m
    assert any(e.role == "部门" for e in entities)


def test_same_seed_same_bytes(tmp_path, clean):
    generate(tmp_path / "again", CLEAN["units"], YEARS, 0.0, seed=CLEAN["seed"])
    for u in _listing(clean):
        assert (tmp_path / "again" / "reports" / u["file"]).read_bytes() == \
            (clean / "reports" / u["file"]).read_bytes()


def test_cli(tmp_path, capsys):
    from dagster_project.cli import main

    assert main(["generate", "--units", "3", "--years", "2024", "--out", str(tmp_path / "c"),
                 "--inject-errors", "1", "--seed", "5"]) == 0
    assert "wrote 3 reports" in capsys.readouterr().out
    assert len(list((tmp_path / "c" / "reports").glob("*.txt"))) == 3
    assert len(read_manifest(tmp_path / "c")) == 3
    assert main(["generate", "--units", "3", "--years", "2024-2023", "--out",
                 str(tmp_path / "d")]) == 2


def test_injections_change_what_the_manifest_says(injected):
    manifest = read_manifest(injected)
    assert manifest
    for i in manifest:
        line = (injected / "reports" / i["file"]).read_text("utf-8").split("\n")[int(i["line"]) - 1]
        assert i["injected"] in line and i["original"] != i["injected"]
        before, after = (D(x.rstrip("%").rstrip("家场次个期人")) for x in (i["original"], i["injected"]))
        assert abs(after - before) >= 1  # never a rounding-sized change
    for (unit, year), facts in _facts(injected).items():
        assert not facts.fatal, (unit, year, facts.fatal)


def test_word_injections_change_what_the_manifest_says(words):
    """Each word injection is printed where the manifest says, and the reader reads what it
    changed (the statement extractor or the table list, not the audit)."""
    manifest = read_manifest(words)
    assert {i["expected_family"] for i in manifest} == {
        "unit_name", "year", "unit_of_measure", "comparison_word", "empty_table", "zero_budget",
        "code_name"}
    assert len(manifest) == WORDS["units"] * len(YEARS)  # one in every report
    facts = _facts(words)
    for i in manifest:
        lines = (words / "reports" / i["file"]).read_text("utf-8").split("\n")
        line = lines[int(i["line"]) - 1]
        assert i["original"] != i["injected"], i
        f = facts[(i["unit"], int(i["year"]))]
        assert not f.fatal and f.unit_name == i["unit"] and f.fiscal_year == int(i["year"]), i
        at_line = [n for n in f.narrative if n.location.line == int(i["line"])]
        family = i["expected_family"]
        if family == "empty_table" and i["injected"] == "":
            assert f.tables[i["table_code"]].status == "missing"  # the table is gone
            continue
        assert i["injected"] in line, (i, line)
        if family == "unit_name":
            named = [n.subject for n in at_line if n.fact_kind == "named_unit"]
            assert named and all(i["unit"] not in s for s in named), (i, named)
        elif family == "year":
            years = {int(n.count_value) for n in at_line if n.fact_kind == "named_year"}
            assert years == {int(i["injected"])}, (i, years)
        elif family == "unit_of_measure" and i["injected"].endswith("元"):
            # the reverse: a 万元 figure followed by 元, read as 元 (a ten-thousandth)
            figure = D(i["injected"].removesuffix("元"))
            assert i["original"] == f"{i['injected'].removesuffix('元')}万元", i
            stated = [(n.amount_wan_yuan, n.amount_unit) for n in at_line
                      if n.printed_text == i["injected"]]
            assert stated == [(figure / 10000, "元")], (i, stated)
        elif family == "unit_of_measure":
            amounts = [n.amount_wan_yuan for n in at_line if n.amount_wan_yuan is not None]
            assert D(i["injected"]) in amounts and D(i["injected"]) == D(i["original"]) * 10000
        elif family == "prior_year":
            # the change on last year restated: its amount and rate read as printed
            changes = [n.amount_wan_yuan for n in at_line if n.metric == "change_amount"]
            assert D(re.search(r"(\d+\.\d\d)万元", i["injected"]).group(1)) in changes, i
        elif family == "zero_budget":
            initial = [n for n in at_line if n.metric == "initial_budget"]
            assert [n.amount_wan_yuan for n in initial] == [0] and D(i["original"]) >= 1
        elif family == "code_name":
            assert line == "\t" + i["injected"] and i["row_label"] == f"{i['row_code']} {i['original']}"


@pytest.mark.e2e
def test_the_audit_on_a_generated_corpus(tmp_path, clean, injected, words):
    """Clean corpus: info only. Injected corpus: every injection found, nothing else flagged;
    the same for the words a reviewer reads (issue 14), each found by a rule of its family."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for corpus in (clean, injected, words):
        for p in (corpus / "reports").iterdir():
            (reports / p.name.replace(".txt", f"-{corpus.name}.txt")).write_bytes(p.read_bytes())
    hierarchy = tmp_path / "unit_hierarchy.csv"
    rows = [(d, m, r) for c in (clean, injected, words) for d, m, r in
            csv.reader((c / "unit_hierarchy.csv").open(encoding="utf-8"))][1:]
    with hierarchy.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("department_unit_name", "member_unit_name", "member_role"),
                                 *[r for r in rows if r[0] != "department_unit_name"]])
    db = tmp_path / "w.duckdb"
    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse", str(db),
                           "--hierarchy", str(hierarchy)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    clean_units = {u["unit"] for u in _listing(clean)}
    with duckdb.connect(str(db), read_only=True) as con:
        by_severity = dict(con.execute(
            "select severity, count(*) from marts.audit_findings where unit_name in "
            f"({', '.join('?' for _ in clean_units)}) group by 1", list(clean_units)).fetchall())
        assert set(by_severity) == {"info", "indeterminate"}, by_severity
        # indeterminate only where last year's report is not in the corpus: what the first
        # year's text says of the year before
        waiting = con.execute(
            "select distinct rule_id, fiscal_year, message like '%（' || (fiscal_year - 1) "
            "|| '年度）决算未加载%' from marts.audit_findings where severity = 'indeterminate' "
            f"and unit_name in ({', '.join('?' for _ in clean_units)})",
            list(clean_units)).fetchall()
        assert waiting == [("Y.prior_total", YEARS.start, True)], waiting
        statuses = dict(con.execute(
            "select rule_id, list(distinct status) from intermediate.int_audit__evaluations e "
            "join staging.stg_raw__reports r using (report_id) where r.unit_name in "
            f"({', '.join('?' for _ in clean_units)}) and rule_id in "
            "('U.consolidation', 'Y.carryover', 'Y.prior_total') group by 1",
            list(clean_units)).fetchall())
        assert set(statuses) == {"U.consolidation", "Y.carryover", "Y.prior_total"}
        assert "rounding" in statuses["U.consolidation"]  # printed units rarely add up exactly
        findings = [f for f in query_findings(con) if f.unit not in clean_units]
    word_units = {u["unit"] for u in _listing(words)}
    result = score([f for f in findings if f.unit not in word_units], read_manifest(injected),
                   read_hierarchy(injected))
    assert result.missed == [], result.missed
    assert result.unexplained == [], result.unexplained
    result = score([f for f in findings if f.unit in word_units], read_manifest(words),
                   read_hierarchy(words))
    assert result.missed == [], result.missed
    for family, (_found, in_family, total) in result.found.items():
        assert in_family == total, (family, result.found)  # by a rule of its own family
    for family, (matched, count) in result.precision.items():
        if family in WORD_RULES:
            assert matched == count, (family, result.precision)
