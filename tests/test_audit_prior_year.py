"""Issue 14 item 3 (元 and 万元 confused, both ways) and what a 决算 says of last year's 三公 and
机关运行经费 (Y.prior_total), on real pipeline runs over the seed and the real 国家信访局 PDF.

The corpus, each change chosen by reading the seed (武汉市蔡甸区总工会本级 2024):
  A  the seed, and A' its 2023 copy whose 总计 is 552.84 (534.74 + 18.10, as A's text implies):
     A says nothing of last year's 三公 or 机关运行经费 (its 三公 are 0.00, L1932)
  G' a 2023 copy of the seed whose 公开09表 prints 三公 决算 2.50 (合计 L1834, 公务接待费 L1839;
     预算 3.00, L1828, L1833; its "无三公经费" note L1843 removed) and whose 机关运行经费 is
     32.79 万元 (L1945)
  G  the seed (2024), its L1932 adding "…决算数比2023年度减少2.50万元，下降100.0%" (0.00 + 2.50
     = 2.50: G' prints 2.50) and its L1945 "比2023年度增加2.00万元，增长6.1%" (34.79 - 2.00 =
     32.79: G' says 32.79; 2.00 / 32.79 = 6.10 %)
  H' = G' under another name
  H  the seed (2024): "减少3.00万元，下降100.0%" (implies 3.00, H' prints 2.50) and "增加5.00万元，
     增长16.8%" (implies 29.79, H' says 32.79; 5.00 / 29.79 = 16.78 %: each sentence agrees with
     itself, only last year's report tells); and L1916 "基本支出506.87万元" written
     "506.87元" (the reverse of 元 under 万元: a ten-thousandth of 公开05表's 506.87)
  I  G's 2024 text under a third name, no 2023 report: what it says of last year is indeterminate
  F  the real 国家信访局 2024 PDF as published: p.17 收、支总计 增加5834.37万元 and p.25
     机关运行经费 2266.65 万元, 比2023年度决算数增加318.58万元，增长16.35% (318.58 / 1948.07 =
     16.354 %); its 2023 report is not loaded
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from dagster_project.document import Paragraph
from dagster_project.interpret.report import interpret
from dagster_project.readers.pdf import read_pdf
from tests.test_audit import _lines, _prior_year, _renamed
from tests.test_audit_budget_chain import run_juesuan

pytestmark = pytest.mark.e2e

SEED_UNIT = "武汉市蔡甸区总工会本级"
NATIONAL = Path(__file__).resolve().parents[1] / "seeds" / "reports" / \
    "national-public-complaints-administration-2024.pdf"
THREE = "2024年度“三公”经费财政拨款支出全年预算为0.00万元，支出决算为0.00万元。"
OPERATING = "公用经费之和一致)，比年初预算数持平。"
NEW_RULES = ("Y.prior_total", "R.yoy_change", "D.unit_of_measure")


def _swap(lines: list[str], line_no: int, old: str, new: str) -> None:
    assert old in lines[line_no - 1], (line_no, lines[line_no - 1])
    lines[line_no - 1] = lines[line_no - 1].replace(old, new)


def _last_year_with_three_public(lines: list[str]) -> str:
    """G' / H': 2023, 公开09表 with 三公 决算 2.50 (公务接待费), 机关运行经费 32.79."""
    out = list(lines)
    assert out[1827:1839] == ["\t"] * 12  # 预算数 columns 1-6, 决算数 7-12: all blank
    out[1827] = out[1832] = "\t3.00"  # 预算 合计, 公务接待费
    out[1833] = out[1838] = "\t2.50"  # 决算 合计, 公务接待费
    _swap(out, 1843, "本部门2024年度无财政拨款三公经费支出。", "")
    _swap(out, 1945, "机关运行经费支出34.79万元", "机关运行经费支出32.79万元")
    return _prior_year(out, "552.84")


def _this_year(lines: list[str], three: str, operating: str, basic: str | None = None) -> str:
    out = list(lines)
    _swap(out, 1932, THREE, THREE + f"2024年度“三公”经费财政拨款支出决算数比2023年度{three}。")
    _swap(out, 1945, OPERATING, OPERATING + f"比2023年度{operating}。")
    if basic:
        _swap(out, 1916, "基本支出506.87万元", basic)
    return "\n".join(out)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, seed_path) -> Path:
    root = tmp_path_factory.mktemp("prior_year")
    reports = root / "reports"
    reports.mkdir()
    lines = _lines(seed_path)
    (reports / "a-2024.txt").write_text("\n".join(lines), "utf-8")
    (reports / "a-2023.txt").write_text(_prior_year(lines, "552.84"), "utf-8")
    last_year = _last_year_with_three_public(lines)
    good = _this_year(lines, "减少2.50万元，下降100.0%", "增加2.00万元，增长6.1%")
    (reports / "g-2024.txt").write_text(_renamed(good, "测试单位庚"), "utf-8")
    (reports / "g-2023.txt").write_text(_renamed(last_year, "测试单位庚"), "utf-8")
    bad = _this_year(lines, "减少3.00万元，下降100.0%", "增加5.00万元，增长16.8%",
                     basic="基本支出506.87元")
    (reports / "h-2024.txt").write_text(_renamed(bad, "测试单位辛"), "utf-8")
    (reports / "h-2023.txt").write_text(_renamed(last_year, "测试单位辛"), "utf-8")
    (reports / "i-2024.txt").write_text(_renamed(good, "测试单位壬"), "utf-8")
    (reports / "f-2024.pdf").write_bytes(NATIONAL.read_bytes())
    db = root / "w.duckdb"
    run_juesuan(reports, db)
    return db


@pytest.fixture(scope="module")
def con(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as c:
        yield c


def evaluations(con, unit: str, year: int = 2024) -> list[tuple]:
    return con.execute(
        "select e.rule_id, e.instance_key, e.status, e.lhs_value, e.rhs_value, e.source_location, "
        "e.detail from intermediate.int_audit__evaluations e join marts.dim_reports r "
        "using (report_id) where r.unit_name = ? and r.fiscal_year = ? and e.rule_id in ? "
        "order by e.rule_id, e.instance_key", [unit, year, list(NEW_RULES)]).fetchall()


def findings(con, unit: str, year: int = 2024) -> list[tuple]:
    return con.execute(
        "select rule_id, severity, source_location, message from marts.audit_findings "
        "where unit_name = ? and fiscal_year = ? and severity in ('error', 'warning') "
        "and rule_id in ? order by rule_id, source_location", [unit, year, list(NEW_RULES)]).fetchall()


def test_what_this_year_says_of_last_year_holds(con):
    rows = {(r[0], r[1]): r for r in evaluations(con, "测试单位庚")}
    three = rows[("Y.prior_total", "三公经费合计/2023")]
    assert three[2:5] == ("pass", D("2.50"), D("2.50"))
    assert three[5] == "g-2024.txt:L1932"
    operating = rows[("Y.prior_total", "机关运行经费/2023")]
    assert operating[2:5] == ("pass", D("32.79"), D("32.79"))
    assert operating[5] == "g-2024.txt:L1945"
    assert rows[("Y.prior_total", "收支总计/2023")][2:5] == ("pass", D("552.84"), D("552.84"))
    # each rate agrees with its change: 2.50 / 2.50, 2.00 / 32.79
    assert rows[("R.yoy_change", "三公经费合计")][2] == "pass"
    assert rows[("R.yoy_change", "机关运行经费")][2] in ("pass", "rounding")
    assert findings(con, "测试单位庚") == []


def test_a_wrong_last_year_is_one_located_error_each(con):
    found = findings(con, "测试单位辛")
    assert [(r, s, loc) for r, s, loc, _ in found] == [
        ("D.unit_of_measure", "warning", "h-2024.txt:L1916"),
        ("Y.prior_total", "error", "h-2024.txt:L1932"),
        ("Y.prior_total", "error", "h-2024.txt:L1945"),
    ]
    message = {loc: m for _, _, loc, m in found}
    assert "本年说明：0万元，较上年减少3万元；上年报告“三公”经费决算数 2.5万元（h-2023.txt:L1834）" \
        in message["h-2024.txt:L1932"]
    assert "本年说明：34.79万元，较上年增加5万元；上年报告机关运行经费 32.79万元（h-2023.txt:L1945）" \
        in message["h-2024.txt:L1945"]
    # the reverse unit of measure: the text's 506.87元 is a ten-thousandth of 公开05表's 506.87
    assert "情况说明写作“506.87元”" in message["h-2024.txt:L1916"]
    assert "相差约一万倍" in message["h-2024.txt:L1916"]
    rows = {(r[0], r[1]): r for r in evaluations(con, "测试单位辛")}
    assert rows[("Y.prior_total", "三公经费合计/2023")][3:5] == (D("3.00"), D("2.50"))
    assert rows[("Y.prior_total", "机关运行经费/2023")][3:5] == (D("29.79"), D("32.79"))
    # each sentence agrees with itself: the stated rates are not findings
    assert rows[("R.yoy_change", "三公经费合计")][2] == "pass"
    assert rows[("R.yoy_change", "机关运行经费")][2] in ("pass", "rounding")


def test_without_last_years_report_it_is_indeterminate(con):
    rows = [r for r in evaluations(con, "测试单位壬") if r[0] == "Y.prior_total"]
    assert [(r[1], r[2]) for r in rows] == [("三公经费合计/2023", "indeterminate"),
                                           ("收支总计/2023", "indeterminate"),
                                           ("机关运行经费/2023", "indeterminate")]
    assert {r[6] for r in rows} == {"上年（2023年度）决算未加载"}
    assert findings(con, "测试单位壬") == []


def test_the_unmutated_documents_have_no_new_finding(con):
    assert findings(con, SEED_UNIT) == []
    # 国家信访局's one finding of these rules is the one known before (tests/test_audit_pdf.py):
    # p.17 states 收、支总计 增加5834.37万元，增长35.74%, 5834.37 / 16232.22 = 35.94 %
    assert [(r, s, loc.split(":")[1]) for r, s, loc, _ in findings(con, "国家信访局")] == [
        ("R.yoy_change", "warning", "p.17")]
    assert [r[:3] for r in evaluations(con, SEED_UNIT) if r[0] == "Y.prior_total"] == [
        ("Y.prior_total", "收支总计/2023", "pass")]
    national = {(r[0], r[1]): r for r in evaluations(con, "国家信访局")}
    # p.25: 2266.65 - 318.58 = 1948.07 last year, 318.58 / 1948.07 = 16.354 %, printed 16.35
    rate = national[("R.yoy_change", "机关运行经费")]
    assert rate[2] in ("pass", "rounding") and rate[3] == D("16.35") and rate[5].startswith("f-2024.pdf:p.25:")
    prior = national[("Y.prior_total", "机关运行经费/2023")]
    assert prior[2:4] == ("indeterminate", D("1948.07"))
    assert prior[6] == "上年（2023年度）决算未加载"
    assert national[("Y.prior_total", "收支总计/2023")][2] == "indeterminate"


def test_the_real_pdf_read_with_a_figure_written_in_yuan():
    # 国家信访局 p.25 as published, then with its 机关运行经费 written 2266.65元 (the reverse
    # error): the reader keeps the unit it was stated in and the amount in 万元.
    doc = read_pdf(NATIONAL)
    facts = interpret(doc)
    stated = [f for f in facts.narrative if f.fact_kind == "operating_cost"]
    assert [(f.metric, f.amount_wan_yuan, f.amount_unit, f.direction) for f in stated] == [
        ("amount", D("2266.65"), "万元", None),
        ("change_amount", D("318.58"), "万元", "increase"),
        ("change_pct", None, None, "increase")]
    blocks = list(doc.blocks)
    at = next(i for i, b in enumerate(blocks)
              if isinstance(b, Paragraph) and "机关运行经费支出2266.65万元" in b.text)
    blocks[at] = replace(blocks[at], text=blocks[at].text.replace("2266.65万元", "2266.65元"))
    turned = interpret(replace(doc, blocks=blocks))
    amount = next(f for f in turned.narrative if f.fact_kind == "operating_cost"
                  and f.metric == "amount")
    assert (amount.amount_wan_yuan, amount.amount_unit, amount.printed_text, amount.decimals) == \
        (D("0.226665"), "元", "2266.65元", 6)
    assert str(amount.location) == str(blocks[at].location)
