"""A department's consolidated report = its 本级 + its units, line by line, whatever layout
each of them is printed in.

A generated PDF corpus (exact models: the department is the exact sum of its members, only
rounding differs) with one department and its three members, each in another layout:

  00001-dept  base                       公开06表 in three column groups, 09 with 小计
  00002-own   columns_in_use             公开04表 prints only the fund columns in use (no
                                         国有资本经营)
  00003-sub   three_public_no_subtotal   公开09表 without the 公务用车 小计 columns
  00004-sub   econ_1group                公开06表 in one column group

The consolidation matches lines by what they state (table, economic code or row key, column),
never by the column group they are printed in, so no line of 06 is an error; a column a member
does not print is indeterminate with the reason, never summed as 0. Real `juesuan run` (reader,
Dagster job, dbt build) on the four PDFs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.e2e

LAYOUTS = "econ_1group,base,three_public_no_subtotal,columns_in_use"
EXPECTED_LAYOUTS = {
    "00001-dept-2024.pdf": "base",
    "00002-own-2024.pdf": "columns_in_use",
    "00003-sub-2024.pdf": "three_public_no_subtotal",
    "00004-sub-2024.pdf": "econ_1group",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("consolidation")
    juesuan = str(Path(sys.executable).with_name("juesuan"))
    subprocess.run([juesuan, "generate", "--units", "4", "--years", "2024-2024", "--seed", "1",
                    "--format", "pdf", "--layouts", LAYOUTS, "--out", str(root / "corpus")],
                   check=True, capture_output=True)
    db = root / "w.duckdb"
    proc = subprocess.run([juesuan, "run", "--reports", str(root / "corpus" / "reports"),
                           "--warehouse", str(db), "--hierarchy",
                           str(root / "corpus" / "unit_hierarchy.csv")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with duckdb.connect(str(db), read_only=True) as con:
        yield root / "corpus", con


@pytest.fixture(scope="module")
def units(corpus):
    path, _ = corpus
    rows = (path / "units.csv").read_text("utf-8").splitlines()[1:]
    return {r.split(",")[0]: r.split(",")[1] for r in rows}


def consolidation(con, unit: str) -> dict[str, dict]:
    cols = ["instance_key", "status", "detail", "severity", "table_code", "column_label"]
    rows = con.execute(
        "select e.instance_key, e.status, e.detail, f.severity, e.table_code, e.column_label "
        "from intermediate.int_audit__evaluations e "
        "join marts.dim_reports r using (report_id) "
        "left join marts.audit_findings f on f.finding_id = e.evaluation_id "
        "where r.unit_name = ? and e.rule_id = 'U.consolidation' order by all",
        [unit]).fetchall()
    return {r[0]: dict(zip(cols, r, strict=True)) for r in rows}


def test_the_members_are_printed_in_other_layouts_than_the_department(corpus):
    path, _ = corpus
    layouts = {}
    for line in (path / "tables.csv").read_text("utf-8").splitlines()[1:]:
        file, layout = line.split(",")[:2]
        layouts[file] = layout
    assert layouts == EXPECTED_LAYOUTS


def test_no_consolidation_line_is_an_error(corpus, units):
    _, con = corpus
    lines = consolidation(con, units["00001-dept-2024.pdf"])
    wrong = {k: v for k, v in lines.items() if v["severity"] in ("error", "warning")}
    assert not wrong, list(wrong.items())[:5]
    # 06's lines are matched by economic code across one group (00004) and three (the
    # department, 00002, 00003): every economic line and both totals resolve
    economic = {k: v for k, v in lines.items() if v["table_code"] == "06"}
    assert len(economic) > 10
    assert {v["status"] for v in economic.values()} <= {"pass", "rounding"}
    assert "06/personnel_total/0/amount" in economic and "06/public_total/0/amount" in economic
    assert "06/30101/0/amount" in economic


def test_a_column_a_member_does_not_print_is_indeterminate_with_the_reason(corpus, units):
    _, con = corpus
    lines = consolidation(con, units["00001-dept-2024.pdf"])
    member = units["00003-sub-2024.pdf"]
    for key in ("09/*/0/budget_vehicle_total", "09/*/0/final_vehicle_total"):
        line = lines[key]
        assert line["status"] == "indeterminate" and line["severity"] == "indeterminate", line
        assert f"所属单位{member}：公开09表 does not print the column" in line["detail"], line
    # the other lines of 09 every member prints are checked
    assert lines["09/total/0/final_total"]["status"] in ("pass", "rounding")
    # 00002 prints no 国有资本经营 column in its 公开04表
    own = units["00002-own-2024.pdf"]
    soe = lines["04/*/1/soe_capital"]
    assert soe["status"] == "indeterminate", soe
    assert f"所属单位{own}：公开04表 does not print the column" in soe["detail"], soe
    assert not [k for k in lines if k.startswith("04/") and k.endswith("/1/soe_capital")
                and k != "04/*/1/soe_capital"]


def test_a_member_without_the_column_has_its_own_identities_indeterminate(corpus, units):
    _, con = corpus
    cols = ["rule_id", "instance_key", "status", "severity"]
    for file, rules in (("00002-own-2024.pdf", ("T04.expenditure_total.soe_capital",
                                                "X04_08.soe_capital")),
                        ("00003-sub-2024.pdf", ("T09.budget_items", "T09.final_items"))):
        rows = [dict(zip(cols, r, strict=True)) for r in con.execute(
            "select e.rule_id, e.instance_key, e.status, f.severity "
            "from intermediate.int_audit__evaluations e "
            "join marts.dim_reports r using (report_id) "
            "left join marts.audit_findings f on f.finding_id = e.evaluation_id "
            "where r.unit_name = ? and e.rule_id in ? order by all",
            [units[file], list(rules)]).fetchall()]
        assert {r["rule_id"] for r in rows} == set(rules), (file, rows)
        assert {r["status"] for r in rows} == {"indeterminate"}, (file, rows)


def test_no_report_has_a_false_error_on_the_audit_side(corpus):
    """Exact models, no injection: every error or warning would be false."""
    _, con = corpus
    wrong = con.execute("select unit_name, rule_id, message from marts.audit_findings "
                        "where severity in ('error', 'warning') order by all").fetchall()
    assert not wrong, wrong[:5]
