"""Budget N against budget N-1 (issue 12 item 5): what a budget's prose says of last year's
budget against that budget's tables, on the real 上海 万里街道 2024 and 2025 budgets
(tests/fixtures/budgets, provenance in its README).

Read by hand, the chain holds exactly:
  2025 p.6  财政拨款收入18,976.76万元，比2024年预算增加3,355.65万元 → 15,621.11; 2024's 收支总表
            (p.10) prints 财政拨款收入 156,211,123 元 = 15,621.1123 万元 (rounding: info)
  2025 p.6  一般公共预算拨款支出预算18,976.76万元，比2024年预算增加3,355.65万元 → 15,621.11;
            2024's 一般公共预算支出表 合计 15,621.1123 万元
  2025 p.30 “三公”经费预算数为37.91万元，比2024年预算减少10万元 → 47.91; 2024's 三公 table
            (p.31) 合计 47.91. Its parts: 因公出国（境）费 0 持平 (0), 公务用车购置及运行费 36.56
            减少10 (46.56), 公务用车购置费 15 减少10 (25), 公务用车运行费 21.56 持平 (21.56),
            公务接待费 1.35 持平 (1.35): each what 2024's table prints
  2024 states the same of 2023 (15,621.11 比2023年预算减少876.75 …): 2023 is not loaded.
Then the 2025 budget is loaded again with its 三公 sentence mutated by the test (减少10万元 →
减少12万元: last year 49.91, not 47.91), as a revision of the same document.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from dagster_project.document import Paragraph
from dagster_project.interpret.report import interpret
from dagster_project.readers.pdf import read_pdf
from dagster_project.warehouse.load import connect, ensure_schema, load_report

pytestmark = pytest.mark.e2e

BUDGETS = Path(__file__).resolve().parent / "fixtures" / "budgets"
WANLI = "上海市普陀区人民政府万里街道办事处"
THREE = "“三公”经费预算数为37.91万元，比2024年预算减少10万元"


def run_juesuan(reports: Path, db: Path) -> None:
    """`juesuan run` over a folder into a warehouse, as a user runs it."""
    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse", str(db)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def _evaluations(db: Path, year: int) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select e.instance_key, e.status, e.lhs_value, e.rhs_value, e.source_location, e.detail "
            "from intermediate.int_audit__evaluations e join marts.dim_reports r using (report_id) "
            "where r.unit_name = ? and r.fiscal_year = ? and e.rule_id = 'Y.prior_total'",
            [WANLI, year]).fetchall()
    return {r[0]: r[1:] for r in rows}


def _errors(db: Path, year: int) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select rule_id, severity, source_location, message from marts.audit_findings "
            "where unit_name = ? and fiscal_year = ? and rule_id = 'Y.prior_total' "
            "and severity in ('error', 'warning')", [WANLI, year]).fetchall()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("budget_chain")
    reports = root / "reports"
    reports.mkdir()
    for year in (2024, 2025):
        name = f"shanghai-putuo-wanli-{year}.pdf"
        (reports / name).write_bytes((BUDGETS / name).read_bytes())
    db = root / "w.duckdb"
    run_juesuan(reports, db)
    published = {y: _evaluations(db, y) for y in (2024, 2025)}
    errors = {y: _errors(db, y) for y in (2024, 2025)}
    # the 2025 budget again, its 三公 sentence mutated: a revision of the same document
    doc = read_pdf(reports / "shanghai-putuo-wanli-2025.pdf")
    blocks = list(doc.blocks)
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and THREE in b.text)
    blocks[at] = replace(blocks[at], text=blocks[at].text.replace("减少10万元", "减少12万元", 1))
    facts = interpret(replace(doc, blocks=blocks))
    facts = replace(facts, sha256="0" * 64, file_name="wanli-2025-mutated.pdf")
    con = connect(db)
    ensure_schema(con)
    assert load_report(con, facts, str(root / "wanli-2025-mutated.pdf")).status == "loaded"
    con.close()
    run_juesuan(reports, db)
    return {"published": published, "errors": errors, "mutated": _evaluations(db, 2025),
            "mutated_errors": _errors(db, 2025), "where": str(blocks[at].location)}


def test_the_published_chain_holds(runs):
    chain = runs["published"][2025]
    assert {k: v[0] for k, v in chain.items()} == {
        "财政拨款收入/2024": "rounding", "一般公共预算拨款支出预算/2024": "rounding",
        "“三公”经费预算数/2024": "pass", "因公出国（境）费/2024": "pass",
        "公务用车购置及运行费/2024": "pass", "公务用车购置费/2024": "pass",
        "公务用车运行费/2024": "pass", "公务接待费/2024": "pass"}
    assert chain["财政拨款收入/2024"][1:3] == (D("15621.11"), D("15621.1123"))
    three = chain["“三公”经费预算数/2024"]
    assert three[1:3] == (D("47.91"), D("47.91"))
    assert three[3].startswith("shanghai-putuo-wanli-2025.pdf:p.30:")
    assert "上年报告“三公”经费预算数 47.91万元（shanghai-putuo-wanli-2024.pdf:p.31:" in three[4]
    assert chain["公务用车购置费/2024"][1:3] == (D("25"), D("25"))
    assert runs["errors"] == {2024: [], 2025: []}


def test_without_last_years_budget_it_is_indeterminate(runs):
    first = runs["published"][2024]
    assert len(first) == 8 and {v[0] for v in first.values()} == {"indeterminate"}
    assert {v[4] for v in first.values()} == {"上年（2023年度）预算未加载"}
    # what 2024 says of 2023: 15,621.11 + 876.75
    assert first["财政拨款收入/2023"][1] == D("16497.86")


def test_a_wrong_change_on_last_year_is_a_located_error(runs):
    three = runs["mutated"]["“三公”经费预算数/2024"]
    assert three[:3] == ("fail", D("49.91"), D("47.91"))
    assert three[3] == runs["where"]
    assert [(r, s, loc) for r, s, loc, _ in runs["mutated_errors"]] == [
        ("Y.prior_total", "error", runs["where"])]
    assert "本年说明：37.91万元，较上年减少12万元；上年报告“三公”经费预算数 47.91万元" \
        in runs["mutated_errors"][0][3]
    # the rest of the revision still holds
    others = {k: v[0] for k, v in runs["mutated"].items() if k != "“三公”经费预算数/2024"}
    assert set(others.values()) <= {"pass", "rounding"} and len(others) == 7
