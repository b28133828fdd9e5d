"""情况说明 facts of the seed, each checked against the sentence read by hand (line numbers)."""

from __future__ import annotations

from decimal import Decimal as D


def fact(facts, kind, subject, metric):
    found = [n for n in facts.narrative
             if n.fact_kind == kind and n.subject == subject and n.metric == metric]
    assert len(found) == 1, f"{len(found)} facts {kind}/{subject}/{metric}"
    return found[0]


def test_totals_with_change_on_last_year(seed_facts):
    # line 1851: 收、支总计均为534.74万元。与2023年度相比,收、支总计减少18.10万元，下降3.3%
    assert fact(seed_facts, "total", "收支总计", "amount").amount_wan_yuan == D("534.74")
    change = fact(seed_facts, "total", "收支总计", "change_amount")
    assert (change.amount_wan_yuan, change.direction) == (D("18.10"), "decrease")
    pct = fact(seed_facts, "total", "收支总计", "change_pct")
    assert (pct.percent, pct.decimals, pct.reason) == (D("3.3"), 1, "预算人员减少")
    assert pct.location.line == 1851
    assert fact(seed_facts, "total", "一般公共预算财政拨款收入", "change_amount").amount_wan_yuan \
        == D("18.10")  # line 1863


def test_shares_and_basic_project_split(seed_facts):
    # line 1858: 基本支出506.87万元，占本年支出94.8%；项目支出27.87万元，占本年支出5.2%
    assert fact(seed_facts, "share", "基本支出", "amount").amount_wan_yuan == D("506.87")
    assert fact(seed_facts, "share", "基本支出", "share_pct").percent == D("94.8")
    assert fact(seed_facts, "share", "项目支出", "share_pct").percent == D("5.2")
    assert fact(seed_facts, "share", "财政拨款收入", "share_pct").percent == D("100.0")
    # line 1875: 一般公共服务支出类支出387.53万元，占72.5%
    assert fact(seed_facts, "class_share", "一般公共服务支出", "amount").amount_wan_yuan == D("387.53")
    assert fact(seed_facts, "class_share", "住房保障支出", "share_pct").percent == D("6.8")


def test_item_sentences(seed_facts):
    path = "一般公共服务支出/群众团体事务/工会事务"  # line 1889
    assert fact(seed_facts, "item", path, "initial_budget").amount_wan_yuan == D("42.00")
    assert fact(seed_facts, "item", path, "final").amount_wan_yuan == D("22.50")
    rate = fact(seed_facts, "item", path, "completion_pct")
    assert (rate.percent, rate.direction, rate.reason) == (D("53.6"), "below", "财政缩减支出")
    # line 1907: 年初预算为0.00万元，支出决算为3.96万元。 (no completion rate stated)
    other = "卫生健康支出/行政事业单位医疗/其他行政事业单位医疗支出"
    assert fact(seed_facts, "item", other, "final").amount_wan_yuan == D("3.96")
    assert not [n for n in seed_facts.narrative if n.subject == other and n.metric == "completion_pct"]
    items = {n.subject for n in seed_facts.narrative if n.fact_kind == "item"}
    assert len(items) == 12  # 4 + 3 + 3 + 2 items, lines 1888-1913
    total = sum(n.amount_wan_yuan for n in seed_facts.narrative
                if n.fact_kind == "item" and n.metric == "initial_budget")
    assert total == D("507.16")  # = the stated 年初预算 total of line 1885


def test_budget_completion_and_project_uses(seed_facts):
    s = "一般公共预算财政拨款支出"  # line 1885
    assert fact(seed_facts, "budget_completion", s, "initial_budget").amount_wan_yuan == D("507.16")
    assert fact(seed_facts, "budget_completion", s, "completion_pct").percent == D("105.4")
    assert fact(seed_facts, "project_use", "职工帮扶经费", "final").amount_wan_yuan == D("9")
    assert fact(seed_facts, "project_use", "社保专项经费", "final").amount_wan_yuan == D("5.22")


def test_personnel_three_public_operating_procurement_assets(seed_facts):
    assert fact(seed_facts, "basic_split", "人员经费", "amount").amount_wan_yuan == D("472.08")
    assert fact(seed_facts, "basic_split", "公用经费", "amount").amount_wan_yuan == D("34.79")
    assert fact(seed_facts, "three_public", "三公经费合计", "budget").amount_wan_yuan == D("0.00")
    assert fact(seed_facts, "three_public", "公务接待费", "final").amount_wan_yuan == D("0.00")
    assert fact(seed_facts, "three_public", "公务用车运行维护费", "vehicles_held").count_value == 0
    op = fact(seed_facts, "operating_cost", "机关运行经费", "amount")  # line 1945
    assert (op.amount_wan_yuan, op.direction) == (D("34.79"), "flat")
    assert fact(seed_facts, "procurement", "政府采购支出总额", "amount").amount_wan_yuan == D("0.00")
    assert fact(seed_facts, "assets", "车辆", "count").count_value == 0


def test_performance_narrative(seed_facts):
    # line 1956: 共涉及项目  2  个，资金    22.50万元，占一般公共预算项目支出总额的80.7%
    s = "项目支出绩效自评"
    assert fact(seed_facts, "performance", s, "projects").count_value == 2
    assert fact(seed_facts, "performance", s, "share_pct").percent == D("80.7")
    # line 1960: 调整率低于 5%
    claim = fact(seed_facts, "performance", "部门整体支出绩效自评", "adjustment_rate_claim")
    assert (claim.percent, claim.direction) == (D("5"), "below")
    # line 1965: 项目全年预算数为33.00万元，执行数为13.50万元，完成预算的40.9%
    assert fact(seed_facts, "project_evaluation", "职工服务", "rate_pct").percent == D("40.9")
