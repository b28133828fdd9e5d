"""绩效 tables in the layouts real places print, read from real pages (tests/fixtures/budgets,
provenance in its README; the 决算 is seeds/reports' national-public-complaints file). Every
figure below was read by hand from the page text (pdfplumber, checked against the page).

Layouts: 重庆's three (部门整体 with 指标名称 | 指标性质 | 指标值 | 计量单位, 重点专项 with 当年预算,
一般性项目 with a row per project); 湖州 and 杭州's 项目支出绩效表 (a row per project: 单位名称 |
项目名称 | 金额 | 绩效目标); 烟台's funds lines (年度预算资金总额 / 其中：财政拨款 / 其他资金);
北京's 项目支出绩效目标表 (a row per project, 项目总额 over 财政资金 | 其他资金) and 部门整体
(预算支出总额 over the 财政拨款 and 其他资金 column groups, the three levels in one cell);
西安's 实施期资金总额 (not the year's); the central 决算 template's 自评表 (年初预算数 | 全年预算数 |
全年执行数 | 分值 | 执行率 | 得分, the funds split into 财政拨款, 上年结转, 其他资金).
"""

from __future__ import annotations

from decimal import Decimal as D
from functools import cache
from pathlib import Path

from dagster_project.document import Cell, Location, Paragraph
from dagster_project.interpret.performance import extract_evaluations
from dagster_project.interpret.report import interpret
from dagster_project.readers import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "budgets"
SEEDS = Path(__file__).parent.parent / "seeds" / "reports"


@cache
def _evaluations(path: Path):
    return interpret(read_document(path)).evaluations


def _on_page(name: str, page: int, folder: Path = FIXTURES):
    return [e for e in _evaluations(folder / name) if e.location.page == page]


def _targets(evaluation) -> list[tuple[str, str]]:
    return [(i.level3, i.target_text) for i in evaluation.indicators]


def test_chongqing_department_table():
    # p.30 2026年部门整体绩效目标表: 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%) | 是否核心,
    # no levels; no amount printed
    [whole] = _on_page("chongqing-water-2026.pdf", 30)
    assert whole.evaluation_kind == "部门整体"
    assert whole.budget_wan_yuan is None and whole.funds_total_wan_yuan is None
    assert _targets(whole) == [
        ("续建大中型水库", "≥27座"), ("农村饮水项目受益人口", "≥150万人次"),
        ("建设农村饮水项目数量", "≥494个数"), ("断面监测检查对象数量", "≥684个数"),
        ("实施后扶及移民项目数量", "≥100个数"), ("后扶资金项目覆盖区县数量", "≥30个数")]


def test_chongqing_key_fund_tables():
    # p.31 市级重点专项资金绩效目标表（一级项目）: 项目名称 水库移民后期扶持; 当年预算 12,700.00,
    # 市级支出 (blank), 补助区县 12,700.00; its last indicator 年度预算执行率 = 100 %
    [resettlement] = _on_page("chongqing-water-2026.pdf", 31)
    assert resettlement.project_name == "水库移民后期扶持"
    assert (resettlement.funds_total_label, resettlement.funds_total_wan_yuan,
            resettlement.budget_wan_yuan) == ("当年预算", D("12700.00"), D("12700.00"))
    assert len(resettlement.indicators) == 6
    assert _targets(resettlement)[-1] == ("年度预算执行率", "=100%")
    # p.32: 重庆市水利专项资金, 当年预算 152,992.83
    [fund] = _on_page("chongqing-water-2026.pdf", 32)
    assert (fund.project_name, fund.budget_wan_yuan) == ("重庆市水利专项资金", D("152992.83"))


def test_chongqing_general_projects_a_row_per_project():
    # p.33 市级一般性项目绩效目标表（一级项目）: 序号 | 项目名称 | 当年财政拨款预算金额 | 当年绩效目标
    # | 指标名称 …: 1 水利行业业务经费 14,299.16 and five indicators on its rows
    [project] = _on_page("chongqing-water-2026.pdf", 33)
    assert project.project_name == "水利行业业务经费"
    # the 财政拨款 part, no total printed: not taken for the project's whole 预算数
    assert (project.fiscal_wan_yuan, project.budget_wan_yuan) == (D("14299.16"), None)
    assert _targets(project) == [
        ("水质检验对象数量", "≥3060个次"), ("发布重要水情专报", "≥50次数"),
        ("水文资料整编准确率", "≥95%"), ("机关食堂满意度", "≥80%"), ("年度预算执行率", "=100%")]


def test_huzhou_project_table():
    # p.32 表11 2026年市级部门项目支出绩效表: 单位名称 | 项目名称 | 金额 | 项目总体绩效目标; a row
    # of ** under the header, a 合计 row (1,266.75) with no project; seven projects
    projects = _on_page("huzhou-finance-2026.pdf", 32)
    assert [(p.project_name, p.budget_wan_yuan) for p in projects] == [
        ("财政服务综合业务管理", D("120.00")), ("财政票据综合管理", D("10.00")),
        ("市级预算项目评审", D("371.00")), ("财政管理与改革", D("110.00")),
        ("财政事务综合业务管理", D("355.00")), ("信息化建设与运维", D("113.75")),
        ("全市会计人员考培", D("187.00"))]
    # the projects add up to the 合计 the table prints (and p.12: 涉及资金 1266.75 万元)
    assert sum(p.budget_wan_yuan for p in projects) == D("1266.75")
    assert all(p.funds_total_label == "金额" and not p.indicators for p in projects)


def test_hangzhou_project_table():
    # p.25 表11：2026年市级部门项目支出绩效表 (the contents' line on p.14 names it, reads nothing)
    projects = _evaluations(FIXTURES / "hangzhou-meteorology-2026.pdf")
    assert {p.location.page for p in projects} == {25}
    assert [(p.project_name, p.budget_wan_yuan) for p in projects] == [
        ("气象业务建设", D("1097.02")), ("气象设施维护及科普", D("887.90")),
        ("专业系统维护及科普", D("146.69"))]


def test_yantai_funds_lines():
    # p.30 政策和项目预算绩效目标表 (2026年度): 审计业务经费; 年度预算资金总额： 31.00, 其中：财政拨款
    # 0.00, 其他资金 31.00 (main read no amount from 烟台's: 2 of 151)
    [audit] = _on_page("yantai-audit-2026.pdf", 30)
    assert audit.project_name == "审计业务经费"
    assert (audit.funds_total_label, audit.budget_wan_yuan, audit.fiscal_wan_yuan,
            audit.other_wan_yuan) == ("年度预算资金总额", D("31.00"), D("0.00"), D("31.00"))
    assert ("审计项目报告合格率", "≥95%") in _targets(audit)


def test_beijing_project_table_a_row_per_project():
    # p.13 预算表12 项目支出绩效目标表: 项目名称 | 项目总额 | 其中：财政资金 | 其他资金 | 绩效目标 | 一级
    # … | 绩效指标性质 | 本年绩效指标值 | 绩效度量单位; 11000021T000000117273-部门预算绩效管理工作经费
    # 9.700000 | 9.700000 | (blank) and ten indicators
    first = _on_page("beijing-major-projects-2026-tables.pdf", 13)[0]
    assert first.project_name == "11000021T000000117273-部门预算绩效管理工作经费"
    assert (first.funds_total_label, first.budget_wan_yuan, first.fiscal_wan_yuan,
            first.other_wan_yuan, first.other_decimals) == (
        "项目总额", D("9.700000"), D("9.700000"), D("0"), None)
    assert len(first.indicators) == 10
    assert ("完成合同签订时间", "≤3月") in _targets(first)
    quality = first.indicators[1]
    assert (quality.level1, quality.level2, quality.level3) == ("产出指标", "质量指标", "绩效相关报告审核通过率")


def test_beijing_department_table_funds_columns():
    # p.18 预算13表 部门整体支出绩效目标表: 预算支出总额 | 财政拨款 (合计 基本支出 项目支出) | 其他资金
    # (合计 …): 4,704.239912 | 4,704.239912 4,306.391912 397.848000 | (blank)
    [whole] = _on_page("beijing-major-projects-2026-tables.pdf", 18)
    assert whole.evaluation_kind == "部门整体"
    assert (whole.funds_total_label, whole.budget_wan_yuan, whole.fiscal_wan_yuan,
            whole.other_wan_yuan) == ("预算支出总额", D("4704.239912"), D("4704.239912"), D("0"))
    # 绩效指标 printed as one cell: 产出指标数量指标协调推进本市城市轨道交通建设线路数量 | ≥ | 9 | 条
    lines = whole.indicators[0]
    assert (lines.level1, lines.level2, lines.level3, lines.target_text) == (
        "产出指标", "数量指标", "协调推进本市城市轨道交通建设线路数量", "≥9条")
    assert (whole.indicators[2].level3, whole.indicators[2].target_text) == (
        "促进城市高质量发展和市民便捷出行", "优")  # 定性 is no comparator


def test_xian_implementation_period_is_not_the_year():
    # p.36 表14 部门专项业务经费绩效目标表: 审计事务, 实施期资金总额： 285.87, 其中：财政拨款 285.87,
    # 其他资金 (blank): the implementation period's funds, never the year's 预算数
    [affairs] = _on_page("xian-audit-2026.pdf", 36)
    assert affairs.project_name == "审计事务"
    assert (affairs.funds_total_label, affairs.funds_total_wan_yuan, affairs.budget_wan_yuan,
            affairs.fiscal_wan_yuan, affairs.other_wan_yuan) == (
        "实施期资金总额", D("285.87"), None, D("285.87"), D("0"))
    # p.44 表16 专项资金总体绩效目标表 is an empty form (labels, no figure): no table read from it
    assert _on_page("xian-audit-2026.pdf", 44) == []


def test_central_self_evaluation_funds_rows():
    # 国家信访局 2024 决算 p.30 信访干部培训专项项目绩效自评表: 项目资金（万元） | 年初预算数 | 全年预算数
    # | 全年执行数 | 分值 | 执行率 | 得分; 年度资金总额： 180.61 180.03 180.03 10.0 100.00% 10;
    # 其中：财政拨款 140.61 140.61 140.61; 上年结转 40.00 39.42 39.42; 其他资金 0.00 0.00 0.00
    [training] = [e for e in _evaluations(SEEDS / "national-public-complaints-administration-2024.pdf")
                  if e.project_name == "信访干部培训专项"]
    assert (training.initial_budget_wan_yuan, training.budget_wan_yuan,
            training.executed_wan_yuan, training.stated_rate_pct) == (
        D("180.61"), D("180.03"), D("180.03"), D("100.00"))
    assert (training.funds_total_wan_yuan, training.fiscal_wan_yuan, training.carryover_wan_yuan,
            training.other_wan_yuan) == (D("180.03"), D("140.61"), D("39.42"), D("0.00"))
    # 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施; the 总分 row (100 | 98) is none
    assert len(training.indicators) == 10
    people = training.indicators[1]
    assert (people.level3, people.target_text, people.actual_text) == (
        "培养实践锻炼、跟班学习干部人数", "≥110人", "123人")
    assert all(i.level3 != "总分" for i in training.indicators)
    # 偏差原因分析及改进措施 is a column: the reason printed beside a missed qualitative target
    quality = next(i for i in training.indicators if i.level3 == "信访工作质量")
    assert quality.deviation_reason.startswith("工作质量提升情况缺少有效数据支撑")


def _row(*texts: str, page: int = 5) -> list[Cell]:
    return [Cell(t, Location("x.pdf", page=page)) for t in texts]


def test_self_evaluation_with_merged_cells_collapsed():
    # The central 自评表 as a grid whose merged cells collapse (rows narrower than the header)
    # and whose indicator rows continue on the next page one column narrower, with 分值 and 得分
    # after the values: the figures are found by their header's words, aligned on the right.
    items = [
        Paragraph("档案数字化项目绩效自评表", Location("x.pdf", page=5)),
        _row("项目名称", "", "档案数字化", "", "", "", "", "", ""),
        _row("项目资金（万元）", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
        _row("年度资金总额：", "60.00", "58.50", "52.65", "10", "90.00%", "9"),
        _row("其中：财政拨款", "50.00", "50.00", "45.00", "--", "--", "--"),
        _row("上年结转", "10.00", "8.50", "7.65", "--", "--", "--"),
        _row("其他资金", "", "", "", "--", "--", "--"),
        _row("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "偏差原因分析及改进措施"),
        _row("", "产出指标", "数量指标", "数字化档案卷数", "≥2000卷", "1800卷", "20", "18",
             "扫描设备故障两个月"),
        _row("质量指标", "数字化准确率", "≥99%", "99.5%", "20", "20", "", page=6),
        _row("总分", "", "", "", "", "", "100", "92", ""),
    ]
    [evaluation], problems = extract_evaluations(items)
    assert not problems
    assert (evaluation.initial_budget_wan_yuan, evaluation.budget_wan_yuan,
            evaluation.executed_wan_yuan, evaluation.stated_rate_pct) == (
        D("60.00"), D("58.50"), D("52.65"), D("90.00"))
    assert (evaluation.funds_total_wan_yuan, evaluation.fiscal_wan_yuan,
            evaluation.carryover_wan_yuan, evaluation.other_wan_yuan,
            evaluation.other_decimals) == (D("58.50"), D("50.00"), D("8.50"), D("0"), None)
    assert [(i.level1, i.level2, i.level3, i.target_text, i.actual_text, i.deviation_reason)
            for i in evaluation.indicators] == [
        ("产出指标", "数量指标", "数字化档案卷数", "≥2000卷", "1800卷", "扫描设备故障两个月"),
        ("产出指标", "质量指标", "数字化准确率", "≥99%", "99.5%", None)]


def test_beijing_header_drawn_over_the_first_row():
    # 北京市发展和改革委员会 p.39: the page's repeated header is printed over its first project row,
    # the characters interleaved: `1100项00目23名T0称00002 | 074950-碳达峰碳 | 中和工作经费`,
    # `项目总额 370.000000`, `3财70政.00资00金00 其他资金`, and the indicator columns reading
    # 一级指标 | 二级指标 | 三级指标. The header's words are taken out: the project
    # 11000023T000002074950-碳达峰碳中和工作经费, 项目总额 370.000000, 财政资金 370.000000 (the row
    # below, under the header's second line); the header's words are no indicator.
    first = _on_page("beijing-development-reform-2026.pdf", 39)[0]
    assert first.project_name == "11000023T000002074950-碳达峰碳中和工作经费"
    assert (first.budget_wan_yuan, first.fiscal_wan_yuan) == (D("370.000000"), D("370.000000"))
    assert all(i.level1 != "一级指标" for i in first.indicators)
    assert ("受调查评估单位满意度", "≥90%") in _targets(first)
    # the next project, an ordinary row: 38.000000 | 38.000000 | (blank)
    second = _on_page("beijing-development-reform-2026.pdf", 39)[1]
    assert (second.project_name, second.budget_wan_yuan, second.fiscal_wan_yuan,
            second.other_wan_yuan) == (
        "11000024T000002865715-本市龙头企业在京津冀布局创新链产业链评估调查", D("38.000000"),
        D("38.000000"), D("0"))


def test_beijing_project_rows_the_grid_lost():
    # 北京市人力资源和社会保障局 p.40: the project 11000025Y000003343514-后勤服务保障项目
    # (238.773164 | 238.773164) is printed outside the grid (its name, figures and goal read as
    # lines of text), then its indicator 项目总成本 ≤ 238.773164 万元 in the grid; the next project's
    # row has its figures and goal but no name (126.438000 | 126.438000 | 一是进一步优化创业服务…).
    # Each is a project of its own, its name not read: never the previous project's indicators.
    projects = _on_page("beijing-human-resources-2026.pdf", 40)
    lost, nameless = projects[0], projects[1]
    assert lost.project_name == nameless.project_name == "（项目名称未读出）"
    assert _targets(lost) == [("项目总成本", "≤238.773164万元")]
    assert (lost.budget_wan_yuan, lost.fiscal_wan_yuan, lost.other_wan_yuan) == (None, None, None)
    assert (nameless.budget_wan_yuan, nameless.fiscal_wan_yuan) == (D("126.438000"), D("126.438000"))
    assert len(nameless.indicators) == 12
    assert ("培训天数", "≥34天") in _targets(nameless)
