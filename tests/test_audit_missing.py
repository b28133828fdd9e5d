"""Missing is never zero: every identity reading a table the audit could not read is
indeterminate, with the reason, in every rule template.

One warehouse, one pipeline run (`juesuan run`: Dagster job, real dbt build, GX) over copies of
the seed report (武汉市蔡甸区总工会本级 2024), each under its own unit name so each is a separate
report. The copies are read and interpreted as usual; then one table is taken out of the facts
(as the reader does for a table it finds but cannot read: status `unreadable` with a reason, or
`missing` when it is not in the document) and the facts are loaded with the project's loader:

  对照单位            the seed as printed (the control: the same rules resolve)
  缺03单位            公开03表 unreadable   match_by_code (X01_03.class), across tables, row_sum,
                                          hierarchy, ratio, text against table, 绩效 against table
  缺04单位            公开04表 unreadable   rules whose every term is optional (`?`)
  缺05单位            公开05表 missing      narrative class shares and items, match_by_code
  缺合计单位          公开03表 present without its 合计 row (unparsed)
  跨年单位 2024/2023  the 2023 report's 公开01表 unreadable: across years, and within-table sums
  部门甲 / 部门甲本级  a department and its one member, the member's 公开03表 unreadable
  部门乙 / 部门乙本级  the department's own 公开06表 missing

Which rules read which table comes from the rule catalogue; which of them apply comes from the
document (the seed prints every table but 07/08/09, which it declares empty, and states the
figures the text rules compare). Nothing expected here is read back from the code under test.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dagster_project.interpret.facts import Problem, TableFact
from dagster_project.interpret.report import interpret
from dagster_project.readers import read_document
from dagster_project.warehouse.load import connect, ensure_schema, load_report, load_reports

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "expectations" / "catalogue" / "audit_rules.csv"
SEED_UNIT = "武汉市蔡甸区总工会本级"

REASON_03 = "表头无法识别：第3行与合计行共用一行，列数与数据行不符"
REASON_04 = "列名无法与数据列对应"
REASON_01 = "表格跨页后列数变化，无法读取"
REASON_MEMBER_03 = "合并单元格无法拆分"


def _prior_year(text: str) -> str:
    """The seed as the 2023 report its text implies: 总计 552.84 (534.74 + 18.10)."""
    lines = text.split("\n")
    assert lines[261] == "\t总计" and lines[263] == "\t534.74" and lines[266] == "\t534.74"
    lines[263] = lines[266] = "\t552.84"
    return "\n".join(lines).replace("2023", "2022").replace("2024", "2023")


def _unreadable(facts, code: str, reason: str) -> None:
    """Facts as the reader leaves a table it found but could not read: no cells, a reason."""
    table = facts.tables[code]
    where = f"{table.location}: {reason}"
    facts.tables[code] = TableFact(code, table.title, "unreadable", None, None, table.location,
                                   reason=where)


def _missing(facts, code: str) -> None:
    facts.tables[code] = TableFact(code, None, "missing", None, None, None)


def _drop_total_row(facts, code: str) -> None:
    table = facts.tables[code]
    table.cells = [c for c in table.cells if c.row_key != "total"]


# file name → (unit, year, how the facts are changed)
COPIES = {
    "control.txt": ("对照单位", 2024, None),
    "no03.txt": ("缺03单位", 2024, lambda f: _unreadable(f, "03", REASON_03)),
    "no04.txt": ("缺04单位", 2024, lambda f: _unreadable(f, "04", REASON_04)),
    "no05.txt": ("缺05单位", 2024, lambda f: _missing(f, "05")),
    "nototal.txt": ("缺合计单位", 2024, lambda f: _drop_total_row(f, "03")),
    "years-2024.txt": ("跨年单位", 2024, None),
    "years-2023.txt": ("跨年单位", 2023, lambda f: _unreadable(f, "01", REASON_01)),
    "dept-a.txt": ("部门甲", 2024, None),
    "dept-a-own.txt": ("部门甲本级", 2024, lambda f: _unreadable(f, "03", REASON_MEMBER_03)),
    "dept-b.txt": ("部门乙", 2024, lambda f: _missing(f, "06")),
    "dept-b-own.txt": ("部门乙本级", 2024, None),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory, seed_path):
    root = tmp_path_factory.mktemp("missing")
    reports = root / "reports"
    reports.mkdir()
    seed = seed_path.read_text("utf-8")
    db = root / "w.duckdb"
    with connect(db) as con:
        ensure_schema(con)
        for name, (unit, year, change) in COPIES.items():
            text = seed if year == 2024 else _prior_year(seed)
            path = reports / name
            path.write_text(text.replace(SEED_UNIT, unit), "utf-8")
            facts = interpret(read_document(path))
            assert (facts.unit_name, facts.fiscal_year) == (unit, year) and not facts.fatal
            if change:
                change(facts)
            assert load_report(con, facts, str(path)).status == "loaded"
    hierarchy = root / "hierarchy.csv"
    with hierarchy.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["department_unit_name", "member_unit_name", "member_role"])
        w.writerow(["部门甲", "部门甲本级", "本级"])
        w.writerow(["部门乙", "部门乙本级", "本级"])
    # The folder's files are loaded already (same bytes): the run builds and audits them.
    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse", str(db),
                           "--hierarchy", str(hierarchy)],
                          capture_output=True, text=True, check=False)
    with duckdb.connect(str(db), read_only=True) as con:
        yield proc, con


@pytest.fixture(scope="module")
def con(run):
    proc, con = run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return con


def _tables_read(rule: dict) -> set[str]:
    """The tables a rule's sides name (a term `03/0/key:total/total` reads 公开03表)."""
    tables = set()
    for side in (rule["lhs"], rule["rhs"]):
        for token in side.replace("/ ", " ").split():
            head = token.split("/")[0]
            if head.isdigit() and len(head) == 2:
                tables.add(head)
    return tables


def rules_reading(code: str) -> set[str]:
    with CATALOGUE.open(encoding="utf-8") as f:
        return {r["rule_id"] for r in csv.DictReader(f) if code in _tables_read(r)}


def evaluations(con, unit: str, year: int = 2024) -> list[dict]:
    cols = ["rule_id", "instance_key", "status", "detail", "severity", "message"]
    rows = con.execute(
        "select e.rule_id, e.instance_key, e.status, e.detail, f.severity, f.message "
        "from intermediate.int_audit__evaluations e "
        "join marts.dim_reports r using (report_id) "
        "left join marts.audit_findings f on f.finding_id = e.evaluation_id "
        "where r.unit_name = ? and r.fiscal_year = ? order by all", [unit, year]).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]


def by_rule(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["rule_id"], []).append(r)
    return out


def assert_indeterminate(con, unit: str, table: str, expected: set[str], reason: str,
                         year: int = 2024, elsewhere: frozenset = frozenset()
                         ) -> dict[str, list[dict]]:
    """Every evaluation of a rule reading `table` is indeterminate, its finding names the
    reason, none is an error, warning, pass or rounding; and each rule in `expected` (the
    document prints or states its other inputs) is among them. `elsewhere`: rules that read
    `table` of another report (last year's), not this one's."""
    rules = by_rule(evaluations(con, unit, year))
    reading = rules_reading(table) - elsewhere
    assert expected <= reading, expected - reading
    for rule_id in reading & set(rules):
        for e in rules[rule_id]:
            assert e["status"] == "indeterminate", (unit, e)
            assert e["severity"] == "indeterminate", (unit, e)
            assert reason in e["message"], (unit, e)
    assert expected <= set(rules), expected - set(rules)
    return rules


def test_the_run_loads_every_report_and_lists_unreadable_tables(run):
    proc, _ = run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert f"reports in folder: {len(COPIES)}, loaded: {len(COPIES)} (4 with unreadable tables), " \
           "failed: 0" in out
    assert "FAILED" not in out
    assert "LOADED WITH UNREADABLE TABLES no03.txt (缺03单位 2024):" in out
    assert f"  - 公开03表: no03.txt:L548: {REASON_03}" in out
    assert "LOADED WITH UNREADABLE TABLES years-2023.txt (跨年单位 2023):" in out
    assert f"  - 公开01表: years-2023.txt:L34: {REASON_01}" in out
    # a missing table is not unreadable: not listed
    assert "no05.txt" not in out


def test_unreadable_tables_are_recorded_as_non_fatal_ingest_errors(con):
    rows = con.execute(
        "select file_name, error_kind, source_location, message, is_fatal from raw.ingest_errors "
        "where error_kind = 'unreadable_table' order by file_name").fetchall()
    assert [(f, k, fatal) for f, k, _, _, fatal in rows] == [
        ("dept-a-own.txt", "unreadable_table", False),
        ("no03.txt", "unreadable_table", False),
        ("no04.txt", "unreadable_table", False),
        ("years-2023.txt", "unreadable_table", False),
    ]
    no03 = rows[1]
    assert no03[2] == "no03.txt:L548"
    assert no03[3] == f"公开03表 unreadable: no03.txt:L548: {REASON_03}"
    tables = con.execute(
        "select unit_name, tables_present, tables_declared_empty, tables_missing, "
        "tables_unreadable, unreadable_tables from marts.dim_reports "
        "where unit_name in ('缺03单位', '缺05单位', '对照单位') order by unit_name").fetchall()
    assert tables == [
        ("对照单位", 6, 3, 0, 0, None),
        ("缺03单位", 5, 3, 0, 1, f"公开03表：no03.txt:L548: {REASON_03}"),
        ("缺05单位", 5, 3, 1, 0, None),
    ]


def test_control_resolves_the_rules_the_tests_expect_indeterminate(con):
    # The removal, not the document, is what makes the rules below indeterminate: on the
    # seed as printed each is evaluated (pass, rounding, or one of its real inconsistencies).
    rules = by_rule(evaluations(con, "对照单位"))
    expected = (EXPECTED_03 | EXPECTED_04 | EXPECTED_05 | {"T01.income_total", "T06.class_by_kuan"})
    for rule_id in expected:
        assert rule_id in rules, rule_id
        assert all(e["status"] != "indeterminate" for e in rules[rule_id]), rules[rule_id]
    # declared empty is a real zero: 04 prints no government-fund or SOE-capital expenditure and
    # 07 and 08 say they have none, so the two identities hold
    assert [e["status"] for e in rules["X04_07.gov_fund"]] == ["pass"]
    assert [e["status"] for e in rules["X04_08.soe_capital"]] == ["pass"]


EXPECTED_03 = {
    "X01_03.class",  # match_by_code: 01's four classes against 03's
    "X01_03.expenditure_total",  # across tables
    "T03.row_split",  # row_sum
    "T03.total_by_class", "T03.class_by_kuan", "T03.kuan_by_item",  # hierarchy
    "R.share_basic", "R.share_project",  # ratio (text against table)
    "N.basic", "N.project",  # text against table
    "P.department_total", "P.department_basic", "P.department_project",  # 绩效 against table
}


def test_unreadable_03_is_never_zero(con):
    rules = assert_indeterminate(con, "缺03单位", "03", EXPECTED_03,
                                 f"公开03表 unreadable: no03.txt:L548: {REASON_03}")
    # 公开01表 prints four classes (201, 208, 210, 221): each is indeterminate, none an error
    # against 0 (the reported bug: four false errors)
    classes = sorted(e["instance_key"] for e in rules["X01_03.class"])
    assert classes == ["201/amount", "208/amount", "210/amount", "221/amount"]
    # what does not read 03 still resolves: 01 against 02, within 01
    assert {e["status"] for e in rules["X01_02.income_total"]} <= {"pass", "rounding"}
    assert {e["status"] for e in rules["T01.balance"]} <= {"pass", "rounding"}


EXPECTED_04 = {
    # every term optional: with 04 unreadable they were 0 = 0 and passed
    "X01_04.general_budget_income", "T04.carryover_begin_by_fund",
    "X04_07.gov_fund", "X04_08.soe_capital",  # 07/08 declared empty: still unknown against 04
    "X02_04.fiscal_income", "X04_05.class", "X04_05.total",
    "T04.row_funds", "T04.balance", "T04.income_total",
    "N.appropriation_total", "N.general_budget_income",
}


def test_unreadable_04_with_only_optional_terms_is_never_zero(con):
    rules = assert_indeterminate(con, "缺04单位", "04", EXPECTED_04,
                                 f"公开04表 unreadable: no04.txt:L796: {REASON_04}")
    # 03 = 05 row by row holds only for a report funded by the general budget alone, which
    # 04 (government-fund and SOE-capital expenditure) decides: with 04 unread, unknown
    for rule_id in ("X03_05.total", "X03_05.basic", "X03_05.project"):
        assert rules[rule_id] and all(
            e["status"] == "indeterminate"
            and "whether all funding is general-budget appropriation is unknown: 公开04表 "
                "unreadable" in e["detail"] for e in rules[rule_id]), rules[rule_id]


EXPECTED_05 = {
    "N.class_share", "R.class_share",  # narrative_class_share: four stated classes
    "N.item_final",  # narrative_item
    "X04_05.class", "X04_05.total",
    "N.general_budget_expenditure", "N.budget_final", "N.budget_basic", "N.budget_project",
    "N.basic_total", "R.share_general_budget",
    "R.performance_share",  # performance ratio against 05
    "T05.row_split", "T05.total_by_class", "T05.class_by_kuan", "T05.kuan_by_item",
}


def test_missing_05_is_never_zero(con):
    rules = assert_indeterminate(con, "缺05单位", "05", EXPECTED_05,
                                 "公开05表 not in the document")
    # the text names four classes and twelve items, each compared with 05: all indeterminate
    assert sorted(e["instance_key"] for e in rules["N.class_share"]) == sorted(
        ["一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出"])
    assert len(rules["N.item_final"]) == 12
    # rules of the text alone still resolve: 完成率 = 决算 / 年初预算 of each item
    assert {e["status"] for e in rules["R.item_completion"]} <= {"pass", "rounding"}


def test_a_present_table_without_the_row_a_rule_needs_is_indeterminate(con):
    rules = by_rule(evaluations(con, "缺合计单位"))
    for rule_id in ("X01_03.expenditure_total", "P.department_total", "N.basic", "N.project",
                    "R.share_basic", "T03.total_by_class"):
        assert [e["status"] for e in rules[rule_id]] == ["indeterminate"], rules[rule_id]
    assert "公开03表 has no cell 03/0/key:total/total" in rules["X01_03.expenditure_total"][0]["detail"]
    assert "公开03表 has no 合计 row" in rules["T03.total_by_class"][0]["detail"]
    # the class rows are still there: 01 against 03 by class resolves
    assert {e["status"] for e in rules["X01_03.class"]} <= {"pass", "rounding"}


def test_across_years_with_last_years_01_unreadable(con):
    reason = f"公开01表 unreadable: years-2023.txt:L34: {REASON_01}"
    rules = by_rule(evaluations(con, "跨年单位", 2024))
    for rule_id, instance in (("Y.prior_total", "收支总计/2023"), ("Y.carryover", "2023")):
        assert [(e["instance_key"], e["status"]) for e in rules[rule_id]] == [
            (instance, "indeterminate")], rules[rule_id]
        assert "上年报告：" + reason in rules[rule_id][0]["message"]
    # and within the 2023 report, every identity reading its 01 (a within-table sum among them)
    # (its own Y.prior_total reads 2022's 01: indeterminate because 2022 is not loaded)
    assert_indeterminate(con, "跨年单位", "01",
                         {"T01.income_total", "T01.balance", "X01_03.class", "N.total"},
                         reason, year=2023, elsewhere=frozenset({"Y.prior_total"}))


def test_across_units_with_a_members_table_unreadable(con):
    rules = by_rule(evaluations(con, "部门甲"))
    consolidation = {e["instance_key"]: e for e in rules["U.consolidation"]}
    blocked = consolidation.pop("03/*")
    assert blocked["status"] == "indeterminate"
    assert f"所属单位部门甲本级：公开03表 unreadable: dept-a-own.txt:L548: {REASON_MEMBER_03}" \
        in blocked["message"]
    # no line of 03 is compared with a member sum of 0; every other line is the member's own
    assert not [k for k in consolidation if k.startswith("03/")]
    assert consolidation and {e["status"] for e in consolidation.values()} == {"pass"}


def test_across_units_with_the_departments_own_table_missing(con):
    rules = by_rule(evaluations(con, "部门乙"))
    consolidation = {e["instance_key"]: e for e in rules["U.consolidation"]}
    blocked = consolidation.pop("06/*")
    assert blocked["status"] == "indeterminate"
    assert "公开06表 not in the document" in blocked["message"]
    assert not [k for k in consolidation if k.startswith("06/")]
    assert consolidation and {e["status"] for e in consolidation.values()} == {"pass"}
    # within the department's report, 06's identities are indeterminate too
    assert_indeterminate(con, "部门乙", "06",
                         {"T06.class_by_kuan", "T06.personnel_total", "X05_06.basic", "N.personnel"},
                         "公开06表 not in the document")


def test_no_error_or_warning_reads_an_unread_table(con):
    # Across the whole warehouse: an error or warning never has an unread table among its
    # inputs (its text would name one).
    rows = con.execute(
        "select unit_name, rule_id, message from marts.audit_findings "
        "where severity in ('error', 'warning') and (message like '%unreadable%' "
        "or message like '%not in the document%')").fetchall()
    assert rows == []


def test_bulk_load_records_each_unreadable_table_once(tmp_path, seed_path):
    # The parse workers' path (rows built in the worker, facts sent without tables): the
    # unreadable table still lands in raw.ingest_errors, once even when the reader also
    # reported it as a problem.
    facts = interpret(read_document(seed_path))
    _unreadable(facts, "03", REASON_03)
    _unreadable(facts, "06", REASON_03)
    facts.problems.append(Problem("unreadable_table", "公开06表 unreadable (reader)", None, False))
    with connect(tmp_path / "w.duckdb") as con:
        ensure_schema(con)
        [outcome] = load_reports(con, [(facts, str(seed_path), None)])
        assert outcome.status == "loaded"
        errors = con.execute("select file_name, error_kind, message, is_fatal "
                             "from raw.ingest_errors order by message").fetchall()
        tables = con.execute("select table_code, status, status_reason from raw.report_tables "
                             "where status <> 'present' order by 1").fetchall()
    name = seed_path.name
    assert errors == [
        (name, "unreadable_table", f"公开03表 unreadable: {name}:L548: {REASON_03}", False),
        (name, "unreadable_table", "公开06表 unreadable (reader)", False),
    ]
    assert tables == [("03", "unreadable", f"{name}:L548: {REASON_03}"),
                      ("06", "unreadable", f"{name}:L1328: {REASON_03}"),
                      ("07", "declared_empty", None), ("08", "declared_empty", None),
                      ("09", "declared_empty", None)]
