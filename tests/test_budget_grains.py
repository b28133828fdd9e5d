"""Tables of a grain of their own: 北京's 支出总表, a row per 功能分类 项 × 经济分类 pair
(tests/fixtures/budgets/beijing-major-projects-2026-tables.pdf, 预算03表 pp.3-4, figures read
by hand from pdfplumber's page text), read into its own fact and checked against the 收支总表
(预算01表 p.1) through the real pipeline.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from dagster_project.interpret.report import interpret
from dagster_project.readers import read_document
from tests.budget_pairs import pipeline_warehouse

FIXTURES = Path(__file__).parent / "fixtures" / "budgets"
BEIJING = [FIXTURES / f"beijing-major-projects-2026-{part}.pdf" for part in ("note", "tables")]


@pytest.fixture(scope="module")
def beijing():
    return interpret(read_document(BEIJING[1]))


def _pairs(facts):
    rows: dict[int, dict] = {}
    for c in facts.tables["Y11"].cells:
        row = rows.setdefault(c.row_index, {"function": c.row_code, "economic": c.row_economic_code,
                                            "key": c.row_key, "page": c.location.page})
        row[c.column_key] = c.value_wan_yuan
    return list(rows.values())


def test_the_pair_table_is_read_at_its_grain(beijing):
    # Found by its title as a 支出总表 and by its header (支出功能分类科目 | 政府支出经济分类科目 |
    # 部门支出经济分类科目) as the pair table of the registry (seeds/reference/table_grains.csv).
    assert beijing.template == "local_function_by_economic"
    assert beijing.tables["Y11"].status == "present" and beijing.tables["Y11"].required
    # The 支出总表 by 功能分类 code is not this template's: not required, never missing.
    assert (beijing.tables["Y03"].status, beijing.tables["Y03"].required) == ("missing", False)
    assert not [p for p in beijing.problems if p.kind in ("missing_table", "unreadable_table")]
    pairs = _pairs(beijing)
    total = [p for p in pairs if p["key"] == "total"]
    pairs = [p for p in pairs if p["key"] is None]
    assert len(pairs) == 43  # 27 rows on p.3, 16 on p.4
    # p.3, first row: 2050803-培训支出 | 50203-培训费 | 30216-培训费 | 19.400000 | 19.400000
    assert pairs[0] == {"function": "2050803", "economic": "30216", "key": None, "page": 3,
                        "total": D("19.400000"), "basic": D("19.400000"), "project": None,
                        "operating": None, "remit_upper": None, "subsidy_affiliated": None}
    by_pair = {(p["function"], p["economic"]): p for p in pairs}
    # 行政运行 repeats once per 经济分类 款 or 目: 30101 基本工资 607.279200, 3021101 差旅费 21.340000
    assert by_pair[("2120101", "30101")]["total"] == D("607.279200")
    assert by_pair[("2120101", "3021101")]["basic"] == D("21.340000")
    # p.4: 2120199 × 31002 办公设备购置 8.280000, a 项目支出
    assert by_pair[("2120199", "31002")]["project"] == D("8.280000")
    # The wrapped name (p.3: "2080505-机关事业单位基本养老保险缴费" / "支出") is one row.
    assert by_pair[("2080505", "30108")]["total"] == D("291.817248")
    # p.4: 合 计 4,704.239912 | 4,306.391912 | 397.848000
    assert [(t["total"], t["basic"], t["project"]) for t in total] == [
        (D("4704.239912"), D("4306.391912"), D("397.848000"))]


@pytest.mark.e2e
def test_the_pairs_are_a_fact_and_agree_with_the_summary_table(tmp_path):
    with pipeline_warehouse(tmp_path, BEIJING, {}) as con:
        fact = con.execute(
            "select count(*), sum(basic_wan_yuan), sum(project_wan_yuan) "
            "from marts.fct_budget_by_function_and_economic").fetchone()
        checks = {r[0]: r[1:] for r in con.execute(
            "select check_key, pairs_wan_yuan, other_wan_yuan, status "
            "from marts.fct_budget_function_economic_checks").fetchall()}
        errors = con.execute("select count(*) from marts.audit_findings "
                             "where severity in ('error', 'warning')").fetchone()[0]
    # the 基本/项目 split as printed: p.4 合计 4,306.391912 and 397.848000
    assert fact == (43, D("4306.391912"), D("397.848000"))
    # p.1 收支总表: 五、教育支出 19.400000, 八、社会保障和就业支出 509.075272, 九、卫生健康支出
    # 296.567184, 十一、城乡社区支出 3,228.337856, 十九、住房保障支出 650.859600
    assert checks == {
        "total": (D("4704.239912"), D("4704.239912"), "pass"),
        "class:205": (D("19.400000"), D("19.400000"), "pass"),
        "class:208": (D("509.075272"), D("509.075272"), "pass"),
        "class:210": (D("296.567184"), D("296.567184"), "pass"),
        "class:212": (D("3228.337856"), D("3228.337856"), "pass"),
        "class:221": (D("650.859600"), D("650.859600"), "pass"),
        # every row's 合计 = 基本支出 + 项目支出 (p.3 2120101 × 30101: 607.279200 = 607.279200 + 0)
        "row_split": (D("4704.239912"), D("4704.239912"), "pass"),
    }
    assert errors == 0


def test_a_code_after_the_row_aboves_wrapped_name_is_the_rows():
    # budgets/北京/04e8ce34-应急管理局_2026年部门预算.pdf p.3: the row under
    # "2120399-其他城乡社区公共设施" prints its name's last word in the next row's cell:
    # "支出2120803-城市建设支出"; and "险缴费30109-职业年金缴费" under 30108.
    from dagster_project.interpret.pairs import pair_of

    # 支出功能分类科目 | 政府支出经济分类科目 | 部门支出经济分类科目: three codes a row
    assert pair_of(["支出2120803-城市建设支出", "50402-基础设施建设", "30905-基础设施建设"],
                   3) == ("2120803", "城市建设支出", "30905", "基础设施建设")
    assert pair_of(["2240101-行政运行", "50102-社会保障缴费", "险缴费30109-职业年金缴费"], 3)[2] == (
        "30109")
    assert pair_of(["合 计", "", ""], 3) == (None, "合计", None, None)
    # A row missing one of its three codes names no pair: never guessed from the others.
    assert pair_of(["", "50402-基础设施建设", "30905-基础设施建设"], 3) == (None, None, None, None)
