"""The three 绩效自评表 of the seed (lines 2083-2417), read by hand."""

from __future__ import annotations

from decimal import Decimal as D


def test_three_evaluations(seed_facts):
    names = [(e.evaluation_kind, e.project_name) for e in seed_facts.evaluations]
    assert names == [("部门整体", "部门整体"), ("项目", "职工服务经费"), ("项目", "职工帮扶经费")]


def test_department_evaluation(seed_facts):
    e = seed_facts.evaluations[0]
    # line 2090: 基本支出总额 512.24 | 项目支出总额 22.5 ; line 2101: 534.74 | 534.74 | 100%
    assert (e.basic_total_wan_yuan, e.project_total_wan_yuan) == (D("512.24"), D("22.5"))
    assert e.project_total_decimals == 1
    assert (e.budget_wan_yuan, e.executed_wan_yuan, e.stated_rate_pct) == (D("534.74"), D("534.74"), D("100"))
    assert e.deviation_reason == "无"
    assert len(e.indicators) == 12
    talk = next(i for i in e.indicators if i.level3 == "宣讲活动10场")
    assert (talk.level1, talk.level2, talk.target_text, talk.actual_text) == ("产出指标", "数量指标", "10场", "2场")
    assert talk.goal.startswith("开展劳动竞赛")
    assert talk.location.line == 2153


def test_project_evaluations(seed_facts):
    service, relief = seed_facts.evaluations[1:]
    # line 2259: 合计 | 33.00 | 13.50 | 40%
    assert (service.budget_wan_yuan, service.executed_wan_yuan) == (D("33.00"), D("13.50"))
    assert (service.stated_rate_pct, service.rate_decimals) == (D("40"), 0)
    assert len(service.indicators) == 7
    check = next(i for i in service.indicators if i.level3.startswith("对全区部分一级目标单位"))
    assert (check.level1, check.level2, check.target_text, check.actual_text, check.deviation_reason) \
        == ("效益指标", "社会效益指标", "90%", "90%", "无")
    assert (relief.budget_wan_yuan, relief.executed_wan_yuan, relief.stated_rate_pct) == (D("9.00"), D("9.00"), D("100"))
    timely = next(i for i in relief.indicators if i.level2 == "时效指标")
    assert (timely.target_text, timely.actual_text) == ("当年底前全部完成", "年底前全部完成")
    # line 2397: 经济效益指标 printed without its level 1: inferred as 效益指标
    econ = next(i for i in relief.indicators if i.level2 == "经济效益指标")
    assert econ.level1 == "效益指标"
