"""The audit on the three real PDFs: what it finds is what the documents say.

The expected findings were checked by hand against the PDFs (seeds/README.md):
- 上海市普陀区财政局 p.21 states 财政拨款收入支出总计 0.3万元 where its 公开04表 (p.13) prints 总计
  2,961.68: a real inconsistency of the document (error). The same page states 一般公共服务支出
  占 71.73% of 2,940.05, where 2,106.66 / 2,940.05 = 71.65% (warning).
- 佛山市轨道交通局 2019 prints no 公开08表, and no sentence says it had no 国有资本经营 funds
  (warning D.table_missing).
- 国家信访局 p.17 states 收、支总计 22,066.59, up 5,834.37 or 35.74% on 2023; 5,834.37 /
  (22,066.59 − 5,834.37) = 35.94% (warning).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.e2e

REPORTS = Path(__file__).resolve().parents[1] / "seeds" / "reports"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    root = tmp_path_factory.mktemp("pdf-audit")
    reports = root / "reports"
    reports.mkdir()
    for pdf in REPORTS.glob("*.pdf"):
        shutil.copy(pdf, reports / pdf.name)
    db = root / "w.duckdb"
    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse", str(db)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with duckdb.connect(str(db), read_only=True) as c:
        yield c


def _findings(con, severity):
    return sorted(con.execute(
        "select unit_name, rule_id, row_label, lhs_wan_yuan, rhs_wan_yuan from marts.audit_findings "
        "where severity = ? order by all", [severity]).fetchall())


def test_real_inconsistencies_are_found(con):
    assert _findings(con, "error") == [
        ("上海市普陀区财政局", "N.appropriation_total", "财政拨款收支总计", D("0.3"), D("2961.68"))]
    warnings = [(u, r, label, lhs) for u, r, label, lhs, _ in _findings(con, "warning")]
    # 佛山's 2019 report prints no 公开08表 and says nowhere that it had no 国有资本经营 funds
    # (read by hand): a reader cannot tell an omitted table from an empty one (issue 14).
    assert warnings == [
        ("上海市普陀区财政局", "R.class_share", "一般公共服务支出", D("71.73")),
        ("佛山市轨道交通局", "D.table_missing", "公开08表", None),
        ("国家信访局", "R.yoy_change", "收支总计", D("35.74")),
    ]


def test_identities_resolve_for_every_table_present(con):
    # Indeterminate only where an input is really absent: 佛山's layout has no 公开08表, so
    # neither 04 against 08 nor 08's own identities (its 项 rows, its 合计) can be checked, and
    # its 公开04表 prints no 国有资本经营 column, so neither that column's total nor the row-wise
    # split over the three funds can be; each says why. (国家信访局's text names 2080501
    # 归口管理的行政单位离退休 where 公开05表 prints 行政单位离退休: matched by the name's ending,
    # so its 决算 is checked too.)
    indeterminate = con.execute(
        "select unit_name, rule_id, message from marts.audit_findings "
        "where severity = 'indeterminate' order by all").fetchall()
    # What 普陀 and 国家信访局 (2024) say of 2023 (收支总计, 机关运行经费 on p.24 / p.25) waits
    # for their 2023 reports, which are not loaded (佛山 2019 states no change on 2018)
    last_year = [(u, m) for u, r, m in indeterminate if r == "Y.prior_total"]
    assert {u for u, _ in last_year} == {"上海市普陀区财政局", "国家信访局"}
    assert all("上年（2023年度）决算未加载" in m for _, m in last_year)
    indeterminate = [x for x in indeterminate if x[1] != "Y.prior_total"]
    assert [(u, r) for u, r, _ in indeterminate] == [
        ("佛山市轨道交通局", "T04.expenditure_total.soe_capital"),
        ("佛山市轨道交通局", "T04.row_funds"),
        ("佛山市轨道交通局", "T08.class_by_kuan"), ("佛山市轨道交通局", "T08.kuan_by_item"),
        ("佛山市轨道交通局", "T08.row_split"), ("佛山市轨道交通局", "T08.total_by_class"),
        ("佛山市轨道交通局", "X04_08.soe_capital")]
    reasons = {r: m for _, r, m in indeterminate}
    assert "公开04表 has no cell 04/1/key:expenditure_total/soe_capital" \
        in reasons["T04.expenditure_total.soe_capital"]
    assert "公开04表 does not print the column 支出/决算数/国有资本经营预算财政拨款" \
        in reasons["T04.row_funds"]
    assert all("公开08表 not in the document" in m for _, r, m in indeterminate
               if "08" in r)
    renamed = con.execute(
        "select e.status, e.row_code from intermediate.int_audit__evaluations e "
        "where e.rule_id = 'N.item_final' and e.instance_key like '%归口管理的行政单位离退休'").fetchall()
    assert renamed == [("pass", "2080501")]
    evaluated = dict(con.execute(
        "select r.unit_name, count(*) from intermediate.int_audit__evaluations e "
        "join marts.dim_reports r using (report_id) group by 1").fetchall())
    assert set(evaluated) == {"上海市普陀区财政局", "国家信访局", "佛山市轨道交通局"}
    assert min(evaluated.values()) > 50


def test_pdf_cells_keep_page_and_position(con):
    loc = con.execute(
        "select source_location from marts.fct_expenditure_by_function "
        "where unit_name = '上海市普陀区财政局' and source_table = '03' and function_code = '2010601'"
    ).fetchall()
    assert loc and all(row[0].startswith("putuo-finance-bureau-2024.pdf:p.10:@") for row in loc)


def test_a_target_exceeded_is_a_pass_not_a_rounding_difference(con):
    # Issue 14 (#8). 国家信访局's 整体绩效自评表 states 实际 100% against 目标 ≥95% (read by
    # hand): the comparison holds by 5 points, which is not a difference within rounding. Only
    # an identity that holds because of rounding goes to the `info` line.
    exceeded = con.execute(
        "select e.status, e.lhs_value, e.rhs_value from intermediate.int_audit__evaluations e "
        "join marts.dim_reports r using (report_id) where r.unit_name = '国家信访局' "
        "and e.rule_id = 'P.target_missed_without_reason' and e.lhs_value > e.rhs_value").fetchall()
    assert (("pass", D("100"), D("95")) in exceeded
            and {s for s, _, _ in exceeded} == {"pass"})
    info = con.execute(
        "select message from marts.audit_findings f where f.severity = 'info' "
        "and f.unit_name = '国家信访局'").fetchall()
    assert info and not any("P.target_missed_without_reason" in m for (m,) in info)
    rounded = con.execute(
        "select distinct rule_id from intermediate.int_audit__evaluations "
        "where status = 'rounding' and ((difference > 0 and allowed_high >= 100000000) "
        "or (difference < 0 and allowed_low <= -100000000))"
    ).fetchall()
    assert rounded == []
