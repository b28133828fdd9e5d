"""The audit on real pipeline runs: the seed's real inconsistencies, a planted misprint, years.

One pipeline run (Dagster job via the CLI, dbt build, GX) over a corpus made from the seed:
  A  the seed itself (武汉市蔡甸区总工会本级 2024)
  A' a 2023 copy of A whose 总计 is 552.84, as A's text implies (534.74 + 18.10)
  B  the seed under another name, and B' a 2023 copy whose 总计 (560.00) contradicts it
  C  the seed under a third name with one cell changed: 公开03表 2012901 基本支出 343.75 → 343.85
  D  the seed under a fourth name, its words mutated the way published reports go wrong (issue
     14), each mutation chosen by reading the seed:
       L551   公开03表 header 单位：… → 单位：XX单位 (a template placeholder)
       L1846  heading 第三部分 …2024年度 → another unit's name (武汉市蔡甸区妇女联合会)
       L274   title 2024年度收入决算表 → 2023年度 (another year)
       L1851  与2023年度相比 → 与2022年度相比 (a comparison with the wrong year)
       L1907  the 项 whose 年初预算 is 0.00 now states 完成年初预算的100%
       L1889, L1895, L1897  comparison words: 小于 → 大于 (22.50 against 42.00), 小于 → 基本持平
              (18.32 against 51.31), 持平 added where true (34.51 against 34.51)
       L1370  公开06表 30101 printed 津贴补贴 (30102's name)
       L1916  一般公共预算财政拨款基本支出 506.87万元 → 5068700万元 (元 for 万元)
       L1854  收入合计减少18.10万元，下降3.3% → …，增长3.3% (the rate's word against the amount's)
       L1911  大于 said of 住房公积金's 30.55 against 30.55 (equal figures are never 大于)
       公开07表 (L1649) given 12.00 in its 合计 row under its note 本部门2024年度无政府性基金…
       公开08表 (L1726-1781) removed, and the sentence saying there was no 国有资本经营 (L1927)
       公开09表 (L1782) printed blank, its note 本部门2024年度无财政拨款三公经费支出 removed
  E  the seed under a fifth name without its 公开07表 (L1649-1725); the text says there was no
     政府性基金 (L1924)
  F  the real 国家信访局 2024 PDF as published: its comparison words (13 changes on last year
     stated as amount and rate, p.17-25; "“三公”经费支出决算数小于预算数", p.24, 46.21 against
     76.43) all hold
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.e2e

SEED_UNIT = "武汉市蔡甸区总工会本级"


def _lines(seed_path: Path) -> list[str]:
    return seed_path.read_text("utf-8").split("\n")


def _prior_year(lines: list[str], total: str) -> str:
    # Lines 264 and 267 hold the two 总计 amounts of 公开01表 (534.74).
    assert lines[261] == "\t总计" and lines[263] == "\t534.74" and lines[266] == "\t534.74"
    out = list(lines)
    out[263] = out[266] = f"\t{total}"
    return "\n".join(out).replace("2023", "2022").replace("2024", "2023")


def _renamed(text: str, unit: str) -> str:
    """The seed under another name, in every form it prints (…本级, 武汉市…, 蔡甸区总工会)."""
    return (text.replace(SEED_UNIT, unit).replace("武汉市蔡甸区总工会", unit)
            .replace("蔡甸区总工会", unit))


def _blank(lines: list[str], first: int, last: int) -> None:
    """Lines first..last (1-based) emptied: the text is gone, the line numbers stay."""
    for i in range(first - 1, last):
        lines[i] = ""


def _words_mutated(lines: list[str]) -> str:
    """D: the seed with the mutations listed in the module docstring."""
    out = list(lines)

    def swap(line_no: int, old: str, new: str) -> None:
        assert old in out[line_no - 1], (line_no, out[line_no - 1])
        out[line_no - 1] = out[line_no - 1].replace(old, new)

    swap(551, "单位：武汉市蔡甸区总工会本级", "单位：XX单位")
    swap(1846, "武汉市蔡甸区总工会2024年度", "武汉市蔡甸区妇女联合会2024年度")
    swap(274, "2024年度收入决算表", "2023年度收入决算表")
    swap(1851, "与2023年度相比", "与2022年度相比")
    swap(1907, "支出决算为3.96万元。", "支出决算为3.96万元，完成年初预算的100%。")
    # comparison words: 22.50 against 42.00 said to be 大于; 18.32 against 51.31 基本持平; and
    # 34.51 against 34.51 持平 (true)
    swap(1889, "支出决算数小于年初预算数", "支出决算数大于年初预算数")
    swap(1895, "支出决算数小于年初预算数的主要原因", "支出决算数与年初预算数基本持平，主要原因")
    swap(1897, "完成年初预算的100%。", "完成年初预算的100%，支出决算数与年初预算数持平。")
    # a change on last year said twice, the two words now opposite
    swap(1854, "减少18.10万元，下降3.3%", "减少18.10万元，增长3.3%")
    swap(1911, "完成年初预算的100%。", "完成年初预算的100%，支出决算数大于年初预算数的主要原因：人员增加。")
    # 元 for 万元: 506.87万元 written 5068700万元
    swap(1916, "基本支出506.87万元", "基本支出5068700万元")
    # 公开06表 30101 printed with 30102's name
    swap(1370, "基本工资", "津贴补贴")
    # 公开07表's 合计 row (L1704) prints six blanks: 年初结转和结余, 本年收入, 本年支出 小计 /
    # 基本支出 / 项目支出, 年末结转和结余; 本年收入 = 支出 = 基本支出 = 12.00 keeps the row whole.
    assert out[1703] == "\t合计" and out[1704:1710] == ["\t"] * 6
    out[1705] = out[1706] = out[1707] = "\t12.00"
    assert out[1725].startswith("2024年度国有资本经营预算财政拨款支出决算表")
    _blank(out, 1726, 1781)
    swap(1927, "本单位当年无国有资本经营预算财政拨款支出。", "")
    swap(1843, "本部门2024年度无财政拨款三公经费支出。", "")
    return "\n".join(out)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, seed_path) -> Path:
    root = tmp_path_factory.mktemp("audit")
    reports = root / "reports"
    reports.mkdir()
    lines = _lines(seed_path)
    text = "\n".join(lines)
    (reports / "a-2024.txt").write_text(text, "utf-8")
    (reports / "a-2023.txt").write_text(_prior_year(lines, "552.84"), "utf-8")
    (reports / "b-2024.txt").write_text(_renamed(text, "测试单位乙"), "utf-8")
    (reports / "b-2023.txt").write_text(_renamed(_prior_year(lines, "560.00"), "测试单位乙"),
                                        "utf-8")
    changed = list(lines)
    assert changed[633] == "\t343.75"  # 公开03表, row 2012901 行政运行, column 基本支出
    changed[633] = "\t343.85"
    (reports / "c-2024.txt").write_text(_renamed("\n".join(changed), "测试单位丙"), "utf-8")
    (reports / "d-2024.txt").write_text(_renamed(_words_mutated(lines), "测试单位丁"), "utf-8")
    without_07 = list(lines)
    assert without_07[1648].startswith("2024年度政府性基金预算财政拨款收入支出决算表")
    _blank(without_07, 1649, 1725)
    (reports / "e-2024.txt").write_text(_renamed("\n".join(without_07), "测试单位戊"), "utf-8")
    national = seed_path.with_name("national-public-complaints-administration-2024.pdf")
    (reports / "f-2024.pdf").write_bytes(national.read_bytes())
    db = root / "w.duckdb"
    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse", str(db)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "findings: error" in proc.stdout
    return db


@pytest.fixture(scope="module")
def con(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as c:
        yield c


def findings(con, unit, year=2024, severities=("error", "warning")):
    sql = ("select rule_id, rule_family, severity, table_code, row_code, column_label, lhs_wan_yuan,"
           " rhs_wan_yuan, source_location, likely_wrong_cell, message, instance_key "
           "from marts.audit_findings where unit_name = ? and fiscal_year = ? "
           f"and severity in ({', '.join('?' for _ in severities)}) order by rule_id, instance_key")
    cols = ["rule_id", "family", "severity", "table", "row", "column", "lhs", "rhs", "location",
            "suspect", "message", "instance"]
    return [dict(zip(cols, r, strict=True)) for r in con.execute(sql, [unit, year, *severities]).fetchall()]


def test_rounding_between_tables_is_not_an_error(con):
    # 01 prints 一般公共服务支出 387.52 where 03 prints 387.53, 卫生健康 40.62 vs 40.63; 06's
    # 302 items sum to 34.80 against 34.79: all within the rounding of 0.01 万元 figures.
    found = findings(con, SEED_UNIT)
    assert not [f for f in found if f["family"] in ("within_table", "across_tables")]
    info = con.execute("select count(*), sum(evaluation_count) from marts.audit_findings "
                       "where unit_name = ? and fiscal_year = 2024 and severity = 'info'", [SEED_UNIT]).fetchall()[0]
    assert info[0] <= 8 and info[1] >= 10  # rolled up: one line per table, never one per 0.01
    x = con.execute("select status, lhs_value, rhs_value, allowed_high from "
                    "intermediate.int_audit__evaluations e join raw.reports r using (report_id) "
                    "where r.unit_name = ? and r.fiscal_year = 2024 and rule_id = 'X01_03.class' "
                    "and instance_key like '201/%'",
                    [SEED_UNIT]).fetchall()
    assert x == [("rounding", D("387.52"), D("387.53"), D("0.01"))]


def test_the_seeds_real_inconsistencies_are_found(con):
    found = {(f["rule_id"], f["severity"]): f for f in findings(con, SEED_UNIT)}
    # 整体绩效自评表 (line 2090): 基本支出总额 512.24 and 项目支出总额 22.5 against 公开03表
    # 基本支出 506.87 and 项目支出 27.87.
    basic = found[("P.department_basic", "error")]
    assert (basic["lhs"], basic["rhs"]) == (D("512.24"), D("506.87"))
    project = found[("P.department_project", "error")]
    assert (project["lhs"], project["rhs"]) == (D("22.5"), D("27.87"))
    # Line 1960: 整体支出绩效自评 资金506.87万元, but the 整体绩效自评表 budget is 534.74.
    text = found[("P.department_text_amount", "error")]
    assert (text["lhs"], text["rhs"]) == (D("506.87"), D("534.74"))
    # 职工服务经费 (line 2259): 执行率 40% printed, 13.50 / 33.00 = 40.9%.
    rate = found[("P.exec_rate", "warning")]
    assert rate["lhs"] == D("40") and D("40.90") < rate["rhs"] < D("40.91")
    # Line 1960: 调整率低于 5%, yet (534.74 - 507.16) / 507.16 = 5.44%.
    claim = found[("P.adjustment_claim", "warning")]
    assert D("5.43") < claim["lhs"] < D("5.45") and claim["rhs"] == D("5")
    # 宣讲活动10场: target 10场, achieved 2场, reason 无 (line 2150, 2174) ...
    missed = found[("P.target_missed_without_reason", "warning")]
    assert (missed["lhs"], missed["rhs"]) == (D("2"), D("10"))
    # ... while the 职工服务经费 table reports 开展宣讲活动 10场 achieved (line 2298).
    assert ("P.same_indicator_values", "warning") in found
    # Items whose 决算 differs from 年初预算 without a reason (lines 1888, 1903, 1907).
    reasons = [f for f in findings(con, SEED_UNIT) if f["rule_id"] == "N.item_reason"]
    assert sorted(f["instance"].split("/")[-1] for f in reasons) == \
        ["其他行政事业单位医疗支出", "行政单位医疗", "行政运行"]
    assert {k[0] for k in found} == {
        "P.department_basic", "P.department_project", "P.department_text_amount", "P.exec_rate",
        "P.adjustment_claim", "P.target_missed_without_reason", "P.same_indicator_values",
        "N.item_reason"}
    assert all("caidian" not in f["location"] or f["location"].startswith("a-2024.txt:L")
               for f in found.values())


def test_a_changed_cell_is_located_and_named(con):
    found = findings(con, "测试单位丙", severities=("error",))
    assert found, "the planted misprint was not found"
    at_cell = [f for f in found if (f["table"], f["row"], f["column"]) == ("03", "2012901", "基本支出")]
    assert at_cell and at_cell[0]["rule_id"] == "X03_05.basic"
    assert at_cell[0]["lhs"] == D("343.85") and at_cell[0]["rhs"] == D("343.75")
    table_errors = [f for f in found if f["family"] in ("within_table", "across_tables")]
    assert {f["rule_id"] for f in table_errors} == {"T03.row_split", "T03.kuan_by_item",
                                                    "X03_05.basic"}
    for f in table_errors:
        assert f["suspect"] == "公开03表 2012901 行政运行 / 基本支出 = 343.85", f
        assert "c-2024.txt:L634" in f["message"]


def test_cross_year_rules(con):
    ok = con.execute("select status from intermediate.int_audit__evaluations e join raw.reports r "
                     "using (report_id) where r.unit_name = ? and r.fiscal_year = 2024 "
                     "and rule_id like 'Y.%' order by rule_id", [SEED_UNIT]).fetchall()
    assert ok == [("pass",), ("pass",)]  # Y.carryover, Y.prior_total: 552.84 = 534.74 + 18.10
    bad = findings(con, "测试单位乙", severities=("error",))
    prior = [f for f in bad if f["rule_id"] == "Y.prior_total"]
    assert len(prior) == 1 and (prior[0]["lhs"], prior[0]["rhs"]) == (D("552.84"), D("560.00"))


def test_every_rule_is_evaluated_on_this_corpus(con):
    evaluated = {r[0] for r in con.execute(
        "select distinct rule_id from intermediate.int_audit__evaluations").fetchall()}
    rules = {r[0] for r in con.execute("select rule_id from reference.audit_rules").fetchall()}
    # Tables 07, 08, 09 are declared empty in the seed (nothing to add up) and no department
    # hierarchy is configured: those rules have no instance here.
    not_applicable = {r for r in rules if r.startswith(("T07.", "T08.", "T09.", "U."))}
    # No budget is loaded: the rules of a budget's own tables, a budget against its 决算, and a
    # budget's project target tables against its 支出总表.
    not_applicable.add("P.targets_project_total")
    not_applicable |= {r[0] for r in con.execute(
        "select rule_id from intermediate.int_audit__rules group by rule_id "
        "having bool_and(phase = '预算') union select rule_id from reference.audit_rules "
        "where family = 'across_documents'").fetchall()}
    assert rules - not_applicable - evaluated == set()


def test_findings_cli_and_html_report(warehouse):
    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run([str(juesuan), "findings", "--warehouse", str(warehouse), "--unit", "丙",
                           "--severity", "error"], capture_output=True, text=True, check=True)
    assert "[error] 测试单位丙 2024 X03_05.basic @ c-2024.txt:L634" in proc.stdout
    pages = sorted(warehouse.with_name(warehouse.stem + ".audit").glob("*.html"))
    assert len(pages) == 8  # one per report (A, A', B, B', C, D, E, F)
    page = next(p for p in pages if p.name.startswith(SEED_UNIT + "-2024")).read_text("utf-8")
    assert "绩效 Performance" in page and "a-2024.txt:L2085" in page


def test_summary_counts_findings(con):
    summary = con.execute("select error_count, warning_count from marts.fct_unit_year_summary "
                          "where unit_name = ? and fiscal_year = 2024", [SEED_UNIT]).fetchall()
    errors = len(findings(con, SEED_UNIT, severities=("error",)))
    warnings = len(findings(con, SEED_UNIT, severities=("warning",)))
    assert summary == [(errors, warnings)] and errors == 3


WORD_RULES = ["D.unit_name", "D.year", "D.empty_undeclared", "D.empty_but_filled", "D.table_missing",
              "D.table_missing_stated", "N.completion_zero_budget", "N.item_direction", "D.code_name",
              "D.unit_of_measure"]


def _word_findings(con, unit: str) -> list[tuple]:
    return con.execute(
        "select rule_id, severity, source_location, message from marts.audit_findings "
        "where unit_name = ? and rule_id in ? order by rule_id, source_location",
        [unit, WORD_RULES]).fetchall()


def test_each_mutated_word_is_one_located_warning(con):
    found = _word_findings(con, "测试单位丁")
    assert [(r, s, loc) for r, s, loc, _ in found] == [
        ("D.code_name", "warning", "d-2024.txt:L1371"),  # the row's amount (code L1369)
        ("D.empty_but_filled", "warning", "d-2024.txt:L1649"),
        ("D.empty_undeclared", "warning", "d-2024.txt:L1782"),
        ("D.table_missing", "warning", "d-2024.txt"),
        ("D.unit_name", "warning", "d-2024.txt:L1846"),
        ("D.unit_name", "warning", "d-2024.txt:L551"),
        ("D.unit_of_measure", "warning", "d-2024.txt:L1916"),
        ("D.year", "warning", "d-2024.txt:L1851"),
        ("D.year", "warning", "d-2024.txt:L274"),
        ("N.completion_zero_budget", "warning", "d-2024.txt:L1907"),
        ("N.item_direction", "warning", "d-2024.txt:L1854"),
        ("N.item_direction", "warning", "d-2024.txt:L1889"),
        ("N.item_direction", "warning", "d-2024.txt:L1895"),
        ("N.item_direction", "warning", "d-2024.txt:L1911"),
    ]
    # each explained in Chinese with what it compared
    message = {loc: m for _, _, loc, m in found}
    assert "写作“XX单位”（模板占位符），本报告的单位是“测试单位丁”" in message["d-2024.txt:L551"]
    assert "写作“武汉市蔡甸区妇女联合会”" in message["d-2024.txt:L1846"]
    assert "写作“2023年度”" in message["d-2024.txt:L274"] and "应为 2024" in message["d-2024.txt:L274"]
    assert "写作“与2022年度”" in message["d-2024.txt:L1851"] \
        and "相比的应是上年 2023" in message["d-2024.txt:L1851"]
    assert "年初预算为 0.00万元，却写“完成年初预算的100%”" in message["d-2024.txt:L1907"]
    assert "公开07表声明为空" in message["d-2024.txt:L1649"] \
        and "却列有 3 个金额" in message["d-2024.txt:L1649"]
    assert "公开09表没有任何金额" in message["d-2024.txt:L1782"]
    assert "公开08表不在文件中，也没有" in message["d-2024.txt"]
    assert "30101 印作“津贴补贴”，登记表中该编码为“基本工资”，而“津贴补贴”是编码 30102 的名称" \
        in message["d-2024.txt:L1371"]
    assert "表述为“支出决算数大于年初预算数”" in message["d-2024.txt:L1889"]
    assert "一边 5068700万元，另一边 506.87万元，相差约一万倍" in message["d-2024.txt:L1916"]
    assert "基本持平于（容差 1%）" in message["d-2024.txt:L1895"]
    # (the text as read: normalise_text makes the full-width comma ASCII)
    assert "同一变动的金额与百分比方向相反：“减少18.10万元,增长3.3%”" in message["d-2024.txt:L1854"]
    true_flat = con.execute(
        "select e.status from intermediate.int_audit__evaluations e join marts.dim_reports r "
        "using (report_id) where r.unit_name = '测试单位丁' and e.rule_id = 'N.item_direction' "
        "and e.instance_key like '%机关事业单位基本养老保险缴费支出'").fetchall()
    assert true_flat == [("pass",)]


def test_a_missing_table_the_text_explains_is_info(con):
    found = _word_findings(con, "测试单位戊")
    assert [(r, s, loc) for r, s, loc, _ in found] == [
        ("D.table_missing_stated", "info", "e-2024.txt")]
    assert "本单位当年无政府性基金预算财政拨款收入支出" in found[0][3] and "e-2024.txt:L1924" in found[0][3]


def test_the_real_pdfs_comparison_words_hold(con):
    # F: every comparison word of the 国家信访局 report is checked and holds (none is a finding)
    assert _word_findings(con, "国家信访局") == []
    checked = con.execute(
        "select e.instance_key, e.status, e.source_location from intermediate.int_audit__evaluations e "
        "join marts.dim_reports r using (report_id) where r.unit_name = '国家信访局' "
        "and e.rule_id = 'N.item_direction' and e.instance_key not like '%/%/%' "
        "order by e.source_location, e.instance_key").fetchall()
    kinds = [k.split("@")[0].split("/")[0] for k, _, _ in checked]
    assert kinds.count("较上年") == 13 and kinds.count("三公") == 1, checked
    assert {s for _, s, _ in checked} == {"pass"}
    three = next(loc for k, _, loc in checked if k.startswith("三公/total"))
    assert three.startswith("f-2024.pdf:p.24:")


def test_the_unmutated_words_hold(con):
    # the seed, its renamed copies and its 2023 copy: every name, year and table statement holds
    for unit in (SEED_UNIT, "测试单位乙", "测试单位丙"):
        assert _word_findings(con, unit) == [], unit
    checked = dict(con.execute(
        "select e.rule_id, count(*) from intermediate.int_audit__evaluations e "
        "join marts.dim_reports r using (report_id) where r.unit_name = ? and r.fiscal_year = 2024 "
        "and e.status = 'pass' group by 1", [SEED_UNIT]).fetchall())
    # 9 table headers, 3 绩效自评表 headers and 2 part headings name the unit; 18 table titles
    # and headings, 17 dated statements and 6 comparisons date it
    assert checked["D.unit_name"] == 14 and checked["D.year"] >= 30
