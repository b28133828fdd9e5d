"""One real budget of each template family, read whole: kind, unit and year from the document's
own text, and figures read by hand from the page (pdfplumber's page text, checked against the
page; tests/fixtures/budgets/README.md gives each file's provenance). Also 北京's two-file
publication loaded as one report, and 万里街道's 2025 budget restating its 2024 budget."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from dagster_project.ingest import load_results, read_one, source_file
from dagster_project.interpret.report import interpret
from dagster_project.readers import read_document
from dagster_project.warehouse.load import connect, ensure_schema

FIXTURES = Path(__file__).parent / "fixtures" / "budgets"


def _read(name: str):
    return interpret(read_document(FIXTURES / name))


@pytest.fixture(scope="module")
def beijing(tmp_path_factory):
    """北京's 附件1 (情况说明) and 附件2 (报表) of one department, read and loaded together."""
    note, tables = (read_one(source_file(FIXTURES / f"beijing-major-projects-2026-{part}.pdf"))
                    for part in ("note", "tables"))
    con = connect(tmp_path_factory.mktemp("beijing") / "w.duckdb")
    ensure_schema(con)
    outcomes = {o.file_name: o for o in load_results(con, [note, tables]).outcomes}
    yield note.facts, tables.facts, outcomes, con
    con.close()


@pytest.fixture(scope="module")
def jiangsu():
    return _read("jiangsu-party-office-2018-tables.pdf")


@pytest.fixture(scope="module")
def guangzhou():
    return _read("guangzhou-government-office-2026.pdf")


@pytest.fixture(scope="module")
def xian():
    return _read("xian-audit-2026.pdf")


@pytest.fixture(scope="module")
def university():
    return _read("swu-university-2023.pdf")


@pytest.fixture(scope="module")
def jiangsu_court():
    return _read("jiangsu-court-2018.pdf")


@pytest.fixture(scope="module")
def jiangsu_procuratorate():
    return _read("jiangsu-procuratorate-2018.pdf")


@pytest.fixture(scope="module")
def shenzhen_port():
    return _read("shenzhen-port-office-2026.pdf")


@pytest.fixture(scope="module")
def wanli():
    return {year: _read(f"shanghai-putuo-wanli-{year}.pdf") for year in (2024, 2025)}


def _one(facts, table, **match):
    [cell] = [c for c in facts.tables[table].cells
              if all(getattr(c, k) == v for k, v in match.items())]
    return cell.value_wan_yuan


def test_beijing_two_files_are_one_report(beijing):
    note, tables, outcomes, con = beijing
    # 附件1 p.1 "北京市重大项目建设指挥部办公室 / 2026 年度部门预算信息公开"; its last page names
    # the other file. 附件2 prints no cover: its unit is the 部门名称 of 预算13表 (p.18).
    assert (note.report_kind, note.unit_name, note.fiscal_year) == (
        "部门预算", "北京市重大项目建设指挥部办公室", 2026)
    assert note.tables_elsewhere == "附件：北京市重大项目建设指挥部办公室2026年度部门预算报表"
    assert (tables.report_kind, tables.unit_name, tables.fiscal_year) == (
        "部门预算", "北京市重大项目建设指挥部办公室", 2026)
    report_id = outcomes["beijing-major-projects-2026-tables.pdf"].report_id
    assert outcomes["beijing-major-projects-2026-note.pdf"].status == "loaded"
    assert outcomes["beijing-major-projects-2026-note.pdf"].report_id == report_id
    assert con.execute("select report_id, file_name from raw.report_parts").fetchall() == [
        (report_id, "beijing-major-projects-2026-note.pdf")]
    assert con.execute("select count(*) from raw.reports").fetchall() == [(1,)]
    # Every cell keeps its own file and page: 预算01表 is p.1 of 附件2.
    assert con.execute(
        "select distinct page_no from raw.table_cells where report_id = ? and table_code = 'Y01'",
        [report_id]).fetchall() == [(1,)]
    assert con.execute("select count(*) from raw.ingest_errors where is_fatal").fetchall() == [
        (0,)]


def test_beijing_figures(beijing):
    _note, facts, _outcomes, _con = beijing
    # p.1 预算01表 收支总表 (万元, six decimals): 一般公共预算拨款收入 4,695.064898, 上年结转结余
    # 9.175014, 收入总计 4,704.239912.
    assert _one(facts, "Y01", row_key="general_budget_appropriation") == D("4695.064898")
    assert _one(facts, "Y01", row_key="carryover_begin") == D("9.175014")
    assert _one(facts, "Y01", row_key="grand_total", column_group=0) == D("4704.239912")
    # p.2 预算02表 收入总表: one row of figures and no item column: 合计 4,704.239912, 本年收入
    # 4,695.064898, 上年结转结余 9.175014.
    assert _one(facts, "Y02", column_key="total") == D("4704.239912")
    assert _one(facts, "Y02", column_key="income_this_year") == D("4695.064898")
    assert _one(facts, "Y02", column_key="carryover_begin") == D("9.175014")
    # p.6 预算05表: 2120101 行政运行 2,706.489856 = 人员经费 2,534.389844 + 公用经费 172.100012.
    assert _one(facts, "Y05", row_code="2120101", column_key="total") == D("2706.489856")
    assert _one(facts, "Y05", row_code="2120101", column_key="personnel") == D("2534.389844")
    assert _one(facts, "Y05", row_code="2120101", column_key="public_use") == D("172.100012")
    # p.10 预算09表: “三公”经费财政拨款预算总额 44.172000, 因公出国（境）费用 29.172000,
    # 公务用车购置及运行维护费 15.000000 (all of it 运行维护费).
    assert _one(facts, "Y09", column_key="budget_total") == D("44.172000")
    assert _one(facts, "Y09", column_key="budget_outbound") == D("29.172000")
    assert _one(facts, "Y09", column_key="budget_vehicle_operation") == D("15.000000")
    # p.9 预算08表: "注：本部门无相关内容。"
    assert facts.tables["Y08"].status == "declared_empty"
    # 预算03表 prints a row per 功能分类 项 × 经济分类 款: read at that grain as Y11, never as
    # 项 rows (tests/test_budget_grains.py).
    assert facts.tables["Y11"].status == "present"
    assert facts.tables["Y03"].status == "missing" and not facts.tables["Y03"].required


def test_jiangsu_budget(jiangsu):
    # p.1 "江苏省2018年度 / 省级部门预算公开报表 / 部 门:中共江苏省委办公厅". 江苏 numbers these
    # tables 公开01-13表 like a 决算's: they are read by title.
    assert (jiangsu.report_kind, jiangsu.unit_name, jiangsu.fiscal_year) == (
        "部门预算", "中共江苏省委办公厅", 2018)
    # p.9 一般公共预算支出预算表, one 金额 column: 合计 24,458.43; 2013101 行政运行 8,072.29.
    assert _one(jiangsu, "Y05", row_key="total", column_key="total") == D("24458.43")
    assert _one(jiangsu, "Y05", row_code="2013101", column_key="total") == D("8072.29")
    # p.10 一般公共预算基本支出预算表: 合计 10,403.11; 30231 公务用车运行维护费 411.20.
    assert _one(jiangsu, "Y06", row_key="total", column_key="total") == D("10403.11")
    assert _one(jiangsu, "Y06", row_code="30231", column_key="total") == D("411.20")
    # p.11 “三公”经费、会议费、培训费支出预算表: 合计 1,471.70 counts 会议费 933.50 and 培训费
    # 30.00 too; the 三公 total is its 小计 508.20 = 70.00 + 411.20 + 27.00.
    assert _one(jiangsu, "Y09", column_key="budget_total") == D("508.20")
    assert _one(jiangsu, "Y09", column_key="budget_outbound") == D("70.00")
    assert _one(jiangsu, "Y09", column_key="budget_vehicle_total") == D("411.20")
    assert _one(jiangsu, "Y09", column_key="budget_reception") == D("27.00")
    assert _one(jiangsu, "Y09", column_key="budget_meeting") == D("933.50")
    assert _one(jiangsu, "Y09", column_key="budget_training") == D("30.00")
    # p.3 收支预算总表 prints two 支出 blocks side by side, 功能分类 (column group 1) and 支出用途
    # (group 2): 一、一般公共服务支出 20,153.75; 一、基本支出 10,403.11; 收入合计 24,458.43;
    # "当年支出小计 … 24,458.43", its figure printed under the 支出用途 block, spans both.
    assert _one(jiangsu, "Y01", row_code="201", column_group=1) == D("20153.75")
    assert _one(jiangsu, "Y01", row_label="一、基本支出", column_group=2) == D("10403.11")
    assert _one(jiangsu, "Y01", row_key="grand_total", column_group=0) == D("24458.43")
    assert _one(jiangsu, "Y01", row_key="expenditure_total", column_group=1) == D("24458.43")


def test_jiangsu_three_public_table_loads(tmp_path):
    # p.11: 合计 1,471.70 (三公 with 会议费 and 培训费: no canonical column) and 会议费 933.50
    # are cells of their own beside 预算数/合计 508.20: the report loads whole.
    result = read_one(source_file(FIXTURES / "jiangsu-party-office-2018-tables.pdf"))
    con = connect(tmp_path / "w.duckdb")
    ensure_schema(con)
    [outcome] = load_results(con, [result]).outcomes
    assert outcome.status == "loaded"
    cells = dict(con.execute("select column_label, value_wan_yuan from raw.table_cells "
                             "where table_code = 'Y09'").fetchall())
    assert cells["合计"] == D("1471.70")
    assert cells["预算数/合计"] == D("508.20")
    assert cells["会议费"] == D("933.50")
    con.close()


def test_guangzhou_budget(guangzhou):
    # p.1 "2026年 / 广州市人民政府办公厅部门预算".
    assert (guangzhou.report_kind, guangzhou.unit_name, guangzhou.fiscal_year) == (
        "部门预算", "广州市人民政府办公厅", 2026)
    # p.14 表6 一般公共预算基本支出情况表（按经济分类科目）, codes printed as [30101]: 合计
    # 14,913.65; [30101]基本工资 1,525.99.
    assert _one(guangzhou, "Y06", row_key="total", column_key="total") == D("14913.65")
    assert _one(guangzhou, "Y06", row_code="30101", column_key="total") == D("1525.99")
    # p.17 表8, a row per item under 项目 | 合计 | 一般公共预算 …: “三公”经费 226.86, 因公出国
    # （境）支出 215.60, 公务接待费支出 11.26, 公务用车 0.00; 行政经费 1,443.41 is no 三公 item.
    assert _one(guangzhou, "Y09", column_key="budget_total") == D("226.86")
    assert _one(guangzhou, "Y09", column_key="budget_outbound") == D("215.60")
    assert _one(guangzhou, "Y09", column_key="budget_reception") == D("11.26")
    assert _one(guangzhou, "Y09", column_key="budget_vehicle_total") == D("0.00")
    assert _one(guangzhou, "Y09", row_label="行政经费") == D("1443.41")


def test_xian_budget(xian):
    # p.1 "西安市审计局（汇总） / 2026年部门预算公开说明": （汇总） marks the department's own
    # consolidated figures; p.20 部门名称：西安市审计局（汇总）.
    assert (xian.report_kind, xian.unit_name, xian.fiscal_year) == (
        "部门预算", "西安市审计局", 2026)
    # p.26 表5 部门综合预算一般公共预算支出明细表（按支出功能分类科目）, 单位：元:
    # 2010801 行政运行 23,382,409.50 = 人员经费支出 21,523,949.82 + 公用经费支出 1,858,459.68;
    # 2010804 审计业务 专项业务经费支出 6,358,680.00 (西安's 项目支出).
    assert xian.tables["Y05"].amount_unit == "元"
    assert _one(xian, "Y05", row_code="2010801", column_key="total") == D("2338.24095")
    assert _one(xian, "Y05", row_code="2010801", column_key="personnel") == D("2152.394982")
    assert _one(xian, "Y05", row_code="2010801", column_key="public_use") == D("185.845968")
    assert _one(xian, "Y05", row_code="2010804", column_key="project") == D("635.868")
    # p.35 表13, blocks 上年 | 当年 | 增减变化情况 and a row per unit under 合计: 当年's 合计 row:
    # 三公 102,000.00 元 (公务接待费 20,000.00, 公务用车运行维护费 82,000.00), 会议费 20,000.00,
    # 培训费 210,000.00; 上年's 三公 120,000.00 is not this budget's.
    assert _one(xian, "Y09", column_key="budget_total") == D("10.2")
    assert _one(xian, "Y09", column_key="budget_reception") == D("2")
    assert _one(xian, "Y09", column_key="budget_vehicle_operation") == D("8.2")
    assert _one(xian, "Y09", column_key="budget_training") == D("21")
    # p.24 部门综合预算支出总表: 单位编码 | 单位名称 | 合计 | 一般公共预算拨款 … 其他收入, a row per
    # unit and a column per funding source, the units and figures of p.23's 收入总表 again
    # (合计 42,034,723.58 = 40,052,896.08 + 981,827.50 + 1,000,000.00 on both pages): not 支出 by
    # 功能分类 code. Declared as the registry's table of that grain (Y12), with why, and not
    # read; its template prints no 支出总表 by 功能分类 (Y03), so none is missing.
    assert xian.template == "local_by_unit"
    assert (xian.tables["Y12"].status, xian.tables["Y12"].required) == ("declared_other", True)
    assert xian.tables["Y12"].location.page == 24
    assert "the units and sources of the 收入总表 (表2) again" in xian.tables["Y12"].reason
    assert (xian.tables["Y03"].status, xian.tables["Y03"].required) == ("missing", False)
    assert not [p for p in xian.problems if p.kind in ("unreadable_table", "missing_table")]


def test_university_budget(university):
    # p.1 "西南大学 / 2023 年度部门预算"; its 4 tables of the central template (the 2023 决算 of
    # the same university is in ../shared/reports/other-templates).
    assert (university.report_kind, university.unit_name, university.fiscal_year) == (
        "部门预算", "西南大学", 2023)
    # p.7 西南大学收支预算总表: 一、财政拨款 230,876.38; 收入总计 557,259.13; 一、教育支出
    # 434,334.99.
    assert _one(university, "Y01", row_key="fiscal_appropriation") == D("230876.38")
    assert _one(university, "Y01", row_key="grand_total", column_group=0) == D("557259.13")
    assert _one(university, "Y01", row_code="205") == D("434334.99")
    # p.9 西南大学支出预算表: 合计 468,779.07 = 基本支出 376,019.88 + 项目支出 92,759.19.
    assert _one(university, "Y03", row_label="合计", column_key="total") == D("468779.07")
    assert _one(university, "Y03", row_label="合计", column_key="basic") == D("376019.88")
    assert _one(university, "Y03", row_label="合计", column_key="project") == D("92759.19")


def test_university_template_requires_its_four_tables(university):
    # Its tables (p.7-10) are the central template's four: 收支预算总表, 收入预算表, 支出预算表,
    # 财政拨款支出预算表, and none of the local template's 财政拨款收支总表, 一般公共预算 or 三公
    # tables: those are not this document's to print, and not required.
    assert university.template == "central_four_tables"
    assert {c: (t.status, t.required) for c, t in university.tables.items()
            if t.status != "missing"} == {
        "Y01": ("present", True), "Y02": ("present", True), "Y03": ("present", True),
        "Y10": ("present", True)}
    # The others are recorded as not this template's: not required, never a missing table.
    assert not [c for c, t in university.tables.items() if t.status == "missing" and t.required]
    assert not [p for p in university.problems if p.kind == "missing_table"]
    # p.10 财政拨款支出预算表: 205 教育支出 208,613.34 = 基本支出 177,215.79 + 项目支出 31,397.55;
    # 2050205 高等教育 181,866.03.
    assert _one(university, "Y10", row_code="205", column_key="total") == D("208613.34")
    assert _one(university, "Y10", row_code="205", column_key="basic") == D("177215.79")
    assert _one(university, "Y10", row_code="205", column_key="project") == D("31397.55")
    assert _one(university, "Y10", row_code="2050205", column_key="total") == D("181866.03")


def test_a_local_budget_keeps_the_local_template(guangzhou, jiangsu):
    # 广州 and 江苏 print the local template's tables (江苏 also a 财政拨款支出预算表, optional
    # there): every one of Y01-Y06 and Y09 is required.
    for facts in (guangzhou, jiangsu):
        assert facts.template == "local"
        assert {c for c, t in facts.tables.items() if t.required} == {
            "Y01", "Y02", "Y03", "Y04", "Y05", "Y06", "Y09"}


def test_wanli_2025_restates_its_2024_budget(wanli):
    # Each budget's 财政拨款收支预算总表 (单位：元): 2024 p.21 一般公共预算资金 156,211,123;
    # 2025 p.19 189,767,551.
    y2024, y2025 = wanli[2024], wanli[2025]
    assert [(f.unit_name, f.fiscal_year) for f in (y2024, y2025)] == [
        ("上海市普陀区人民政府万里街道办事处", 2024), ("上海市普陀区人民政府万里街道办事处", 2025)]
    appropriation = {y: _one(f, "Y04", row_key="grand_total", column_key="total")
                     for y, f in wanli.items()}
    assert appropriation == {2024: D("15621.1123"), 2025: D("18976.7551")}
    # 2025 p.6: "财政拨款支出预算18,976.76万元，比2024年预算增加3,355.65万元": the change as
    # printed is the difference of the two budgets' figures rounded to the 万元 cent.
    assert round(appropriation[2025], 2) - round(appropriation[2024], 2) == D("3355.65")
    # 2025 p.30: "“三公”经费预算数为37.91万元，比2024年预算减少10万元 … 公务用车购置费15万元，
    # 比2024年预算减少10万元 … 公务用车运行费21.56万元，比2024年预算持平"; the 2024 budget's
    # 三公 table (p.31) printed 47.91, 25 and 21.56.
    for key, change in [("budget_total", D("-10")), ("budget_vehicle_purchase", D("-10")),
                        ("budget_vehicle_operation", D("0"))]:
        assert _one(y2025, "Y09", column_key=key) - _one(y2024, "Y09", column_key=key) == change
    assert _one(y2024, "Y09", column_key="budget_total") == D("47.91")


def test_wanli_2024_kuan_printed_without_its_zero(wanli):
    # 2024 p.29 一般公共预算基本支出部门预算经济分类预算表 (元) prints the 款 of 津贴补贴 and
    # 绩效工资 as "2" and "7" in the 款 column (`301 | 2 | 津贴补贴`): 30102 and 30107.
    y2024 = wanli[2024]
    assert _one(y2024, "Y06", row_code="30102", column_key="total") == D("1662.381")
    assert _one(y2024, "Y06", row_code="30107", column_key="total") == D("1144.71")
    # With them, 301 工资福利支出 88,282,511 is the sum of its nine 款 (5,873,551 + 16,623,810
    # + 11,447,100 + 4,608,515 + 2,302,815 + 3,023,657 + 216,087 + 3,503,499 + 40,683,477).
    kuan = [c.value_wan_yuan for c in y2024.tables["Y06"].cells if c.column_key == "total"
            and c.row_code and c.row_code.startswith("301") and len(c.row_code) == 5]
    assert len(kuan) == 9
    assert sum(kuan) == _one(y2024, "Y06", row_code="301", column_key="total") == D("8828.2511")


def test_jiangsu_court_amounts_beside_their_column(jiangsu_court):
    # p.12 七、一般公共预算支出预算表 (万元): a class's amount in the 金额 column, its 款's and
    # 项's one column to the left (under the merged header): 204 公共安全支出 26,200.88,
    # 20405 法院 26,200.88, 2040501 行政运行 14,857.61. The names are the names alone.
    facts = jiangsu_court
    assert (facts.report_kind, facts.unit_name, facts.fiscal_year) == (
        "部门预算", "江苏省高级人民法院", 2018)
    assert _one(facts, "Y05", row_code="204", column_key="total") == D("26200.88")
    assert _one(facts, "Y05", row_code="20405", column_key="total") == D("26200.88")
    [name] = {c.row_label for c in facts.tables["Y05"].cells if c.row_code == "20405"}
    assert name == "法院"
    # p.13's first row lost its top rule at the page break: "2040504 案件审判 1,833.30" is the
    # table's row, and 20405 = the sum of its six 项 (14,857.61 + 6,049.97 + 1,600.00 +
    # 1,833.30 + 950.00 + 910.00).
    assert _one(facts, "Y05", row_code="2040504", column_key="total") == D("1833.30")
    items = [c.value_wan_yuan for c in facts.tables["Y05"].cells if c.column_key == "total"
             and c.row_code and c.row_code.startswith("20405") and len(c.row_code) == 7]
    assert sorted(items) == sorted(D(x) for x in (
        "14857.61", "6049.97", "1600.00", "1833.30", "950.00", "910.00"))
    # p.13-14 八、一般公共预算基本支出预算表: 302 商品和服务支出 3,407.38; p.14's first row
    # "30231 公务用车运行维护费 266.80" is read with the others.
    assert _one(facts, "Y06", row_code="30231", column_key="total") == D("266.80")
    kuan = [c.value_wan_yuan for c in facts.tables["Y06"].cells if c.column_key == "total"
            and c.row_code and c.row_code.startswith("302") and len(c.row_code) == 5]
    assert sorted(kuan) == sorted(D(x) for x in (
        "350.00", "34.00", "266.00", "119.00", "305.00", "550.00", "111.54", "45.37", "48.95",
        "40.00", "410.00", "111.00", "266.80", "596.38", "153.34"))
    assert sum(kuan) == _one(facts, "Y06", row_code="302", column_key="total") == D("3407.38")


def test_shenzhen_kuan_named_like_its_class(shenzhen_port):
    # p.15-16 收支总表: the 支出 side lists each class (numbered 一、… 五、) with its 款 and 项 by
    # name only; under 五、其他支出 7,647.43 come the 款 其他支出 and the 项 其他支出: not classes.
    facts = shenzhen_port
    classes = [(c.row_code, c.value_wan_yuan) for c in facts.tables["Y01"].cells
               if c.row_key == "function_class"]
    assert classes == [("201", D("46284.00")), ("208", D("654.07")), ("210", D("104.86")),
                       ("221", D("1194.32")), ("229", D("7647.43"))]
    # The five classes make 本年支出合计 55,884.67 within the rounding of five figures.
    total = _one(facts, "Y01", row_key="expenditure_total")
    assert total == D("55884.67")
    assert abs(sum(v for _c, v in classes) - total) <= D("0.025")


def test_jiangsu_class_amount_set_below_its_name(jiangsu_procuratorate):
    # p.17-18 公开07表：一般公共预算支出预算表 (万元): "204 公共安全支出" over blank amount
    # columns, its 16,444.36 on the row below (a tall cell); 221 住房保障支出 3,660.38 likewise
    # on p.18. 合计 21,940.96 = 16,444.36 + 1,836.22 + 3,660.38.
    facts = jiangsu_procuratorate
    classes = {c.row_code: c.value_wan_yuan for c in facts.tables["Y05"].cells
               if c.column_key == "total" and c.row_code and len(c.row_code) == 3}
    assert classes == {"204": D("16444.36"), "208": D("1836.22"), "221": D("3660.38")}
    assert _one(facts, "Y05", row_key="total", column_key="total") == D("21940.96")
    # 2040401 行政运行 10,883.36 + 2040402 3,666.00 + 2040405 1,895.00 = 20404 检察 16,444.36
    assert _one(facts, "Y05", row_code="20404", column_key="total") == D("16444.36")
    # No row of amounts without a code or a name is left over.
    assert not [c for c in facts.tables["Y05"].cells if c.value_wan_yuan is not None
                and not c.row_code and not c.row_key]
    # p.15 公开03表：支出预算总表, its header "单位预留机动经" / "费" wrapped over two grid rows:
    # 合计 21,955.35 = 基本支出 13,994.31 + 项目支出 5,573.00 + 单位预留机动经费 2,388.04.
    row = {c.column_key: c.value_wan_yuan for c in facts.tables["Y03"].cells
           if c.value_wan_yuan is not None}
    assert row == {"total": D("21955.35"), "basic": D("13994.31"), "project": D("5573.00"),
                   "reserve": D("2388.04")}


def test_jiangsu_expenditure_table_reserve_column(jiangsu):
    # p.5 支出预算总表: 合计 24,458.43 = 基本支出 10,403.11 + 项目支出 12,081.46 + 单位预留机动经费
    # 1,973.86: the reserve column is keyed, so that 合计 = the sum of its parts can be checked.
    row = {c.column_key: c.value_wan_yuan for c in jiangsu.tables["Y03"].cells
           if c.value_wan_yuan is not None}
    assert row == {"total": D("24458.43"), "basic": D("10403.11"), "project": D("12081.46"),
                   "reserve": D("1973.86")}


def test_xian_income_rows_per_unit_carry_no_function_code(xian):
    # p.23 收入总表: 合计 | 117 西安市审计局 | 117001 西安市审计局, each 42,034,723.58 元: unit
    # codes, never 功能分类 codes (a class 117 does not exist).
    rows = {(c.row_code, c.row_key, c.row_label): c.value_wan_yuan
            for c in xian.tables["Y02"].cells if c.column_key == "total"}
    assert rows == {(None, "total", "合计"): D("4203.472358"),
                    (None, None, "西安市审计局"): D("4203.472358")}


def test_a_title_wrapped_before_it_says_which_classification_is_no_basic_table_by_economy():
    # 西安 宣传部's 2021 budget p.28 (budgets/西安/321a5fee-宣传部_2026年部门预算.pdf): the title
    # "…一般公共预算基本支出明细表（按支出功" wraps before 能分类科目）: the 功能分类 table, not
    # the 经济分类 one (p.30 "…基本支出明细表（按支出经济分类").
    from dagster_project.interpret.layout import table_code_of_title

    assert table_code_of_title("2021年部门综合预算一般公共预算基本支出明细表（按支出功", "预算") is None
    assert table_code_of_title("2021年部门综合预算一般公共预算基本支出明细表（按支出经济分类",
                               "预算") == "Y06"


def test_jiangsu_basic_expenditure_continued_in_a_narrower_grid(jiangsu_procuratorate):
    # p.18-19 一般公共预算基本支出表: p.18's grid rules nine columns (six of them spacers round
    # 科目编码 | 科目名称 | 金额), p.19's three. p.19's rows, read by hand: 30299 其他商品和服务支出
    # 994.54, 30211 差旅费 45.00, 303 对个人和家庭的补助 1,052.83 = 30301 离休费 428.51 + 30302
    # 退休费 623.28 + 30309 奖励金 1.04. 合计 13,979.92 = 301 10,204.52 + 302 2,722.57 +
    # 303 1,052.83 (before: unreadable, p.19's figures out of the header's columns).
    facts = jiangsu_procuratorate
    y06 = facts.tables["Y06"]
    assert y06.status == "present"
    values = {c.row_code: c.value_wan_yuan for c in y06.cells if c.row_code}
    assert values["30299"] == D("994.54") and values["30211"] == D("45.00")
    assert values["303"] == values["30301"] + values["30302"] + values["30309"] == D("1052.83")
    assert values["301"] + values["302"] + values["303"] == D("13979.92")
    assert _one(facts, "Y06", row_key="total", column_key="total") == D("13979.92")
