"""An exact model of one unit-year: every figure a report prints, as an unrounded Decimal.

Amounts are in 万元 with 6 decimals (to the 分), so printing them to 0.01 万元 rounds every
figure on its own, as real reports do. Every identity the audit checks holds exactly here;
only printing breaks them, and only within rounding. A department's consolidated model is the
exact sum of its members' models.
"""

from __future__ import annotations

import random
from dataclasses import astuple, dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal

from dagster_project.generate.registry import Registry, Sector

ZERO = Decimal(0)
FEN = Decimal("0.000001")
CENT = Decimal("0.01")


def wan(rng: random.Random, low: str | int, high: str | int) -> Decimal:
    """A random amount in 万元 between low and high, to the 分 (drawn as an integer of 分)."""
    return Decimal(rng.randint(int(Decimal(low).scaleb(6)), int(Decimal(high).scaleb(6)))).scaleb(-6)


def frac(rng: random.Random, low_permille: int, high_permille: int) -> Decimal:
    return Decimal(rng.randint(low_permille, high_permille)) / 1000


def exact(x: Decimal) -> Decimal:
    return x.quantize(FEN, ROUND_HALF_UP)


def split(total: Decimal, weights: list[int]) -> list[Decimal]:
    """total in parts proportional to integer weights, to the 分, summing to total exactly."""
    w = sum(weights)
    if w == 0 or not weights:
        return [ZERO] * len(weights)
    parts = [exact(total * k / w) for k in weights]
    parts[-1] += total - sum(parts)
    return parts


@dataclass
class Indicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    reason: str = "无"


@dataclass
class Project:
    name: str  # '…经费'; the 情况说明 calls it by its core ('…项目绩效自评综述')
    item: str  # the 项 it is spent under
    budget: Decimal
    executed: Decimal  # general-budget 项目支出
    evaluated: bool
    indicators: list[Indicator] = field(default_factory=list)
    effect: str = ""

    @property
    def core(self) -> str:
        return self.name.removesuffix("经费")


@dataclass
class Prior:
    """Last year's exact totals the 情况说明 compares with."""

    grand_total: Decimal
    income_total: Decimal
    expenditure_total: Decimal
    fiscal_grand_total: Decimal
    gb_income: Decimal
    gb_expenditure: Decimal
    # the 三公 决算 total (公开09表) and the 机关运行经费 the 情况说明 compares with last year's
    three_final: Decimal
    operating_cost: Decimal


@dataclass
class UnitYear:
    name: str
    year: int
    administrative: bool  # 行政单位 (or 参公): 机关运行经费, 公务员医疗补助
    role: str  # 独立 | 部门 | 本级 | 下属单位
    subordinate_units: int
    gb_basic: dict[str, Decimal]  # 一般公共预算财政拨款 基本支出 by 项
    gb_project: dict[str, Decimal]
    other_basic: dict[str, Decimal]  # spending financed by 事业收入 / 其他收入
    other_project: dict[str, Decimal]
    income_fiscal: dict[str, Decimal]
    income_business: dict[str, Decimal]
    income_other: dict[str, Decimal]
    carry_begin_fiscal: Decimal
    carry_end_fiscal: Decimal
    carry_begin_other: Decimal
    carry_end_other: Decimal
    economic: dict[str, Decimal]  # 06: 经济分类 款 -> general-budget basic expenditure
    initial_budget: dict[str, Decimal]  # 年初预算 of each general-budget 项
    three_budget: dict[str, Decimal]  # outbound, vehicle_purchase, vehicle_operation, reception
    three_final: dict[str, Decimal]
    vehicles_held: int
    vehicles_bought: int
    operating_cost_budget: Decimal
    procurement: dict[str, Decimal]  # goods, works, services, sme
    projects: list[Project]
    department_budget: Decimal  # 整体绩效自评表 预算数
    prior: Prior
    reasons: dict[str, str]
    # 政府性基金预算财政拨款 (公开07表): project spending, income and balances by 项
    gf_project: dict[str, Decimal] = field(default_factory=dict)
    income_gf: dict[str, Decimal] = field(default_factory=dict)
    gf_begin: dict[str, Decimal] = field(default_factory=dict)
    gf_end: dict[str, Decimal] = field(default_factory=dict)

    # -- totals the tables and the text print -------------------------------------------------
    def items(self) -> list[str]:
        return sorted(set(self.gb_basic) | set(self.gb_project) | set(self.other_basic)
                      | set(self.other_project) | set(self.income_fiscal)
                      | set(self.income_business) | set(self.income_other)
                      | set(self.gf_project) | set(self.income_gf))

    def gb_items(self) -> list[str]:
        return sorted(c for c in set(self.gb_basic) | set(self.gb_project)
                      if self.gb_basic.get(c, ZERO) or self.gb_project.get(c, ZERO))

    def basic(self, item: str) -> Decimal:
        return self.gb_basic.get(item, ZERO) + self.other_basic.get(item, ZERO)

    def project(self, item: str) -> Decimal:
        return (self.gb_project.get(item, ZERO) + self.other_project.get(item, ZERO)
                + self.gf_project.get(item, ZERO))

    def gb(self, item: str) -> Decimal:
        return self.gb_basic.get(item, ZERO) + self.gb_project.get(item, ZERO)

    def spend(self, item: str) -> Decimal:
        return self.basic(item) + self.project(item)

    def appropriation(self, item: str) -> Decimal:
        """财政拨款收入 of a 项: general budget and government funds."""
        return self.income_fiscal.get(item, ZERO) + self.income_gf.get(item, ZERO)

    def income(self, item: str) -> Decimal:
        return (self.appropriation(item) + self.income_business.get(item, ZERO)
                + self.income_other.get(item, ZERO))

    @property
    def gb_expenditure(self) -> Decimal:
        return sum(self.gb_basic.values(), ZERO) + sum(self.gb_project.values(), ZERO)

    @property
    def gb_basic_total(self) -> Decimal:
        return sum(self.gb_basic.values(), ZERO)

    @property
    def gb_project_total(self) -> Decimal:
        return sum(self.gb_project.values(), ZERO)

    @property
    def basic_total(self) -> Decimal:
        return self.gb_basic_total + sum(self.other_basic.values(), ZERO)

    @property
    def gf_expenditure(self) -> Decimal:
        return sum(self.gf_project.values(), ZERO)

    @property
    def project_total(self) -> Decimal:
        return (self.gb_project_total + sum(self.other_project.values(), ZERO)
                + self.gf_expenditure)

    @property
    def expenditure_total(self) -> Decimal:
        return self.basic_total + self.project_total

    @property
    def fiscal_income(self) -> Decimal:
        """一般公共预算财政拨款收入."""
        return sum(self.income_fiscal.values(), ZERO)

    @property
    def gf_income(self) -> Decimal:
        return sum(self.income_gf.values(), ZERO)

    @property
    def appropriation_income(self) -> Decimal:
        return self.fiscal_income + self.gf_income

    @property
    def gf_carry_begin(self) -> Decimal:
        return sum(self.gf_begin.values(), ZERO)

    @property
    def gf_carry_end(self) -> Decimal:
        return sum(self.gf_end.values(), ZERO)

    @property
    def business_income(self) -> Decimal:
        return sum(self.income_business.values(), ZERO)

    @property
    def other_income(self) -> Decimal:
        return sum(self.income_other.values(), ZERO)

    @property
    def income_total(self) -> Decimal:
        return self.appropriation_income + self.business_income + self.other_income

    @property
    def carry_begin(self) -> Decimal:
        return self.carry_begin_fiscal + self.carry_begin_other + self.gf_carry_begin

    @property
    def carry_end(self) -> Decimal:
        return self.carry_end_fiscal + self.carry_end_other + self.gf_carry_end

    @property
    def grand_total(self) -> Decimal:
        return self.income_total + self.carry_begin

    @property
    def fiscal_grand_total(self) -> Decimal:
        return self.appropriation_income + self.carry_begin_fiscal + self.gf_carry_begin

    @property
    def personnel_total(self) -> Decimal:
        return sum((v for k, v in self.economic.items() if k[:3] in ("301", "303")), ZERO)

    @property
    def public_total(self) -> Decimal:
        return sum((v for k, v in self.economic.items() if k[:3] not in ("301", "303")), ZERO)

    @property
    def initial_total(self) -> Decimal:
        return sum(self.initial_budget.values(), ZERO)

    def totals(self) -> Prior:
        """This year's totals, as next year's report will compare with them."""
        return Prior(self.grand_total, self.income_total, self.expenditure_total,
                     self.fiscal_grand_total, self.fiscal_income, self.gb_expenditure,
                     sum(self.three_final.values(), ZERO), self.public_total)


# -- building one unit-year -----------------------------------------------------------------

PROJECT_CORES = {
    "20106": ["预算绩效管理", "财政票据管理", "政府采购监管", "国有资产管理", "财政投资评审"],
    "20129": ["职工服务", "职工帮扶", "劳模慰问", "妇女儿童权益保护", "青少年服务"],
    "20140": ["信访接待", "矛盾纠纷化解", "信访信息系统运维", "网上信访受理"],
    "21401": ["公路养护", "水路运输安全监管", "交通执法装备", "农村公路管理"],
}
GENERIC_CORES = ["信息化建设", "业务培训", "档案数字化", "宣传教育", "安全生产", "专项调研",
                 "办公用房维修", "法律顾问服务", "应急保障", "党建工作"]
REASONS_UP = ["年中追加人员经费", "人员调资及新增人员", "年中追加专项任务经费", "上年结转资金在本年使用"]
REASONS_DOWN = ["厉行节约压减一般性支出", "项目实施进度调整", "部分项目经费结转下年", "人员减少"]
REASONS_CHANGE_UP = ["人员调资及业务量增加", "新增专项工作任务", "在职人员增加"]
REASONS_CHANGE_DOWN = ["落实过紧日子要求压减支出", "项目支出减少", "预算人员减少"]


@dataclass
class UnitPlan:
    """What stays the same about a unit from year to year."""

    index: int
    name: str
    sector: Sector
    administrative: bool
    role: str
    subordinate_units: int
    staff: int
    retirees: int
    vehicles: int
    non_fiscal: bool
    project_names: list[str]
    seed: int
    gov_fund_item: str | None = None  # the 政府性基金 项 it spends under, if any


def _indicators(rng: random.Random, core: str, satisfaction: str) -> list[Indicator]:
    count_units = ["场", "次", "个", "家", "人次", "期"]
    n = rng.randint(5, 40)
    unit = rng.choice(count_units)
    out = [Indicator("产出指标", "数量指标", f"{core}完成工作量", f"{n}{unit}",
                     f"{n + rng.choice([0, 0, 0, 1, 2])}{unit}")]
    m = rng.randint(2, 12)
    missed = rng.random() < 0.15
    out.append(Indicator("产出指标", "数量指标", f"{core}覆盖单位数", f"{m}家",
                         f"{m - 1 if missed else m}家",
                         "受工作安排调整影响，下年度加快推进" if missed else "无"))
    out.append(Indicator("产出指标", "质量指标", f"{core}验收合格率", "≥95%",
                         f"{rng.choice([96, 98, 100])}%"))
    out.append(Indicator("产出指标", "时效指标", f"{core}按期完成率", "100%", "100%"))
    out.append(Indicator("效益指标", "社会效益指标", f"{core}社会效益", "明显提升", "明显提升"))
    out.append(Indicator("满意度指标", "服务对象满意度指标", f"{core}服务对象满意度", "≥90%",
                         satisfaction))
    return out


def build(plan: UnitPlan, reg: Registry, year: int, previous: UnitYear | None,
          rng: random.Random) -> UnitYear:
    admin = plan.administrative
    staff = max(3, plan.staff * (1000 + rng.randint(-80, 120)) // 1000)
    wage = wan(rng, 11, 17)  # per head, everything a running item pays but contributions
    base = exact(staff * wage)
    gb_basic: dict[str, Decimal] = {}
    running = plan.sector.running_item
    gb_basic[running] = base
    contributions = {"2080505": 160, "2080506": 80, "2101101": 70, "2210201": 120}
    if admin:
        contributions["2101103"] = 60
    for item, permille in contributions.items():
        gb_basic[item] = exact(base * Decimal(permille + rng.randint(-10, 10)) / 1000)
    if rng.random() < 0.6:
        gb_basic["2210202"] = exact(base * frac(rng, 5, 20))
    if plan.retirees:
        gb_basic["2080501"] = exact(plan.retirees * wan(rng, "1.5", "4"))

    # Projects: each spends under one 项; a few are not evaluated.
    gb_project: dict[str, Decimal] = {}
    projects: list[Project] = []
    satisfaction = f"{rng.choice([92, 95, 96, 98])}%"
    for i, pname in enumerate(plan.project_names):
        item = (plan.sector.project_items[i % len(plan.sector.project_items)]
                if rng.random() < 0.85 else running)
        # Most projects are small next to the running costs; a few (construction, systems)
        # outweigh them, as in the real reports (project shares of 5% to 55%).
        share = frac(rng, 400, 1500) if rng.random() < 0.1 else frac(rng, 30, 400)
        executed = exact(base * share / max(1, len(plan.project_names) // 2))
        budget = executed if rng.random() < 0.4 else exact(executed * frac(rng, 1000, 1350))
        core = pname.removesuffix("经费")
        p = Project(pname, item, budget, executed, evaluated=i < 2 or rng.random() < 0.5,
                    indicators=_indicators(rng, core, satisfaction),
                    effect=f"保障了{core.removesuffix('工作')}工作顺利开展，服务质量进一步提升")
        projects.append(p)
        gb_project[item] = gb_project.get(item, ZERO) + executed

    other_basic: dict[str, Decimal] = {}
    other_project: dict[str, Decimal] = {}
    if plan.non_fiscal:
        other_basic[running] = exact(base * frac(rng, 50, 300))
        if rng.random() < 0.5:
            other_project[plan.sector.project_items[0]] = exact(base * frac(rng, 20, 150))

    # Carry-overs: last year's closing balance opens this year.
    gb_spend = sum(gb_basic.values(), ZERO) + sum(gb_project.values(), ZERO)
    other_spend = sum(other_basic.values(), ZERO) + sum(other_project.values(), ZERO)
    if previous is not None:
        cb_f, cb_o = previous.carry_end_fiscal, previous.carry_end_other
    else:
        cb_f = exact(gb_spend * frac(rng, 0, 60)) if rng.random() < 0.4 else ZERO
        cb_o = exact(other_spend * frac(rng, 0, 80)) if other_spend and rng.random() < 0.5 else ZERO
    ce_f = exact(gb_spend * frac(rng, 0, 60)) if rng.random() < 0.45 else ZERO
    ce_o = exact(other_spend * frac(rng, 0, 80)) if other_spend and rng.random() < 0.5 else ZERO
    # Income pays for spending plus the change in balances; keep it positive.
    ce_f = max(ce_f, cb_f - exact(gb_spend / 2))
    ce_o = max(ce_o, cb_o - exact(other_spend / 2))
    income_fiscal = _spread(gb_spend + ce_f - cb_f, {k: gb_basic.get(k, ZERO) + gb_project.get(k, ZERO)
                                                    for k in set(gb_basic) | set(gb_project)})
    income_business: dict[str, Decimal] = {}
    income_other: dict[str, Decimal] = {}
    if other_spend:
        spend_o = {k: other_basic.get(k, ZERO) + other_project.get(k, ZERO)
                   for k in set(other_basic) | set(other_project)}
        income_o = _spread(other_spend + ce_o - cb_o, spend_o)
        for k, v in income_o.items():
            b = exact(v * frac(rng, 600, 1000))
            income_business[k], income_other[k] = b, v - b

    # 06: the general-budget basic expenditure by economic classification.
    three_final = {"outbound": ZERO, "vehicle_purchase": ZERO, "vehicle_operation": ZERO,
                   "reception": ZERO}
    bought = 0
    if plan.vehicles:
        three_final["vehicle_operation"] = exact(plan.vehicles * wan(rng, "1.2", "3.0"))
        if rng.random() < 0.08:
            bought = 1
            three_final["vehicle_purchase"] = wan(rng, 12, 25)
    if rng.random() < 0.5:
        three_final["reception"] = wan(rng, "0.1", "2.5")
    if rng.random() < 0.05:
        three_final["outbound"] = wan(rng, 2, 12)
    three_budget = {k: v if rng.random() < 0.3 else exact(v * frac(rng, 1000, 1300))
                    for k, v in three_final.items()}
    economic = _economic(rng, reg, gb_basic, running, three_final)

    gb_items = sorted(k for k in set(gb_basic) | set(gb_project))
    initial = {}
    for k in gb_items:
        v = gb_basic.get(k, ZERO) + gb_project.get(k, ZERO)
        r = rng.random()
        initial[k] = v if r < 0.5 else ZERO if r < 0.55 else exact(v * frac(rng, 700, 1300))

    goods = wan(rng, 0, 30) if rng.random() < 0.7 else ZERO
    services = wan(rng, 0, 50) if rng.random() < 0.6 else ZERO
    works = wan(rng, 5, 80) if rng.random() < 0.1 else ZERO
    total_p = goods + services + works
    procurement = {"goods": goods, "works": works, "services": services,
                   "sme": exact(total_p * frac(rng, 300, 1000))}

    public = sum((v for k, v in economic.items() if k[:3] not in ("301", "303")), ZERO)
    reasons = {"up": rng.choice(REASONS_CHANGE_UP), "down": rng.choice(REASONS_CHANGE_DOWN)}
    unit = UnitYear(
        name=plan.name, year=year, administrative=admin, role=plan.role,
        subordinate_units=plan.subordinate_units,
        gb_basic=gb_basic, gb_project=gb_project, other_basic=other_basic,
        other_project=other_project, income_fiscal=income_fiscal,
        income_business=income_business, income_other=income_other,
        carry_begin_fiscal=cb_f, carry_end_fiscal=ce_f, carry_begin_other=cb_o,
        carry_end_other=ce_o, economic=economic, initial_budget=initial,
        three_budget=three_budget, three_final=three_final, vehicles_held=plan.vehicles,
        vehicles_bought=bought,
        operating_cost_budget=public if rng.random() < 0.4 else exact(public * frac(rng, 900, 1100)),
        procurement=procurement, projects=projects,
        department_budget=ZERO, prior=None, reasons=reasons)
    if plan.gov_fund_item:
        _gov_fund(unit, plan.gov_fund_item, base, previous, rng)
    unit.department_budget = exact(unit.expenditure_total * frac(rng, 1000, 1060))
    if previous is not None:
        unit.prior = previous.totals()
    else:  # the first year generated: last year's report is not written, only stated
        f = 1 + Decimal(rng.randint(-150, 150)) / 1000
        unit.prior = Prior(*(exact(v * f) for v in astuple(unit.totals())))
    return unit


def _gov_fund(unit: UnitYear, item: str, base: Decimal, previous: UnitYear | None,
              rng: random.Random) -> None:
    """Government-fund appropriations: project spending under one 项, with its balances."""
    spend = exact(base * frac(rng, 100, 1500))
    begin = previous.gf_end.get(item, ZERO) if previous is not None else \
        (exact(spend * frac(rng, 0, 300)) if rng.random() < 0.5 else ZERO)
    end = exact(spend * frac(rng, 0, 300)) if rng.random() < 0.6 else ZERO
    end = max(end, begin - exact(spend / 2))
    unit.gf_project = {item: spend}
    unit.income_gf = {item: spend + end - begin}
    unit.gf_begin = {item: begin} if begin else {}
    unit.gf_end = {item: end} if end else {}


def _spread(total: Decimal, by_item: dict[str, Decimal]) -> dict[str, Decimal]:
    keys = sorted(k for k, v in by_item.items() if v)
    if not keys:
        return {}
    weights = [int(by_item[k] * 1_000_000) for k in keys]
    return dict(zip(keys, split(total, weights), strict=True))


def _economic(rng: random.Random, reg: Registry, gb_basic: dict[str, Decimal], running: str,
              three_final: dict[str, Decimal]) -> dict[str, Decimal]:
    """Split the general-budget basic expenditure into 经济分类 款, exactly."""
    e: dict[str, Decimal] = {}
    mapped = {"2080505": "30108", "2080506": "30109", "2101101": "30110", "2101103": "30111",
              "2210201": "30113", "2210202": "30102", "2080501": "30302"}
    for item, code in mapped.items():
        if gb_basic.get(item):
            e[code] = e.get(code, ZERO) + gb_basic[item]
    run = gb_basic[running]
    # 公用经费 is 7% to 20% of basic expenditure in the real reports.
    public = exact(run * frac(rng, 100, 280))
    three = three_final["outbound"] + three_final["vehicle_operation"] + three_final["reception"]
    public = max(public, three + exact(run * Decimal("0.02")))
    capital = exact(public * frac(rng, 50, 250)) if rng.random() < 0.4 else ZERO
    wages = run - public
    wage_codes = ["30101", "30102", "30103", "30107", "30112", "30199"]
    wage_weights = [250, 130, 280, 90, 8, rng.randint(0, 40)]
    if rng.random() < 0.3:
        wage_codes.append("30106")
        wage_weights.append(20)
    for code, v in zip(wage_codes, split(wages, wage_weights), strict=True):
        e[code] = e.get(code, ZERO) + v
    goods = public - capital
    e["30212"] = three_final["outbound"]
    e["30231"] = three_final["vehicle_operation"]
    e["30217"] = three_final["reception"]
    rest = goods - three
    goods_codes = ["30201", "30202", "30205", "30206", "30207", "30209", "30211", "30213",
                   "30215", "30216", "30226", "30227", "30228", "30229", "30239", "30299"]
    weights = [rng.choice([0, 40, 60, 80]) if c not in ("30201", "30299") else 60 for c in goods_codes]
    for code, v in zip(goods_codes, split(rest, weights), strict=True):
        e[code] = v
    if capital:
        e["31002"] = exact(capital * frac(rng, 300, 1000))
        e["31007"] = capital - e["31002"]
    known = {c for codes in reg.economic.values() for c, _ in codes}
    assert set(e) <= known, set(e) - known
    return {k: v for k, v in e.items() if v}


def consolidate(name: str, members: list[UnitYear], units: int) -> UnitYear:
    """A department's consolidated model: the exact sum of 本级 and its units."""

    def add(attr: str) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for m in members:
            for k, v in getattr(m, attr).items():
                out[k] = out.get(k, ZERO) + v
        return out

    def total(attr: str) -> Decimal:
        return sum((getattr(m, attr) for m in members), ZERO)

    first = members[0]
    prior = Prior(*(sum((getattr(m.prior, f.name) for m in members), ZERO)
                    for f in fields(Prior)))
    return UnitYear(
        name=name, year=first.year, administrative=first.administrative, role="部门",
        subordinate_units=units,
        gb_basic=add("gb_basic"), gb_project=add("gb_project"), other_basic=add("other_basic"),
        other_project=add("other_project"), income_fiscal=add("income_fiscal"),
        income_business=add("income_business"), income_other=add("income_other"),
        carry_begin_fiscal=total("carry_begin_fiscal"), carry_end_fiscal=total("carry_end_fiscal"),
        carry_begin_other=total("carry_begin_other"), carry_end_other=total("carry_end_other"),
        economic=add("economic"), initial_budget=add("initial_budget"),
        three_budget=add("three_budget"), three_final=add("three_final"),
        vehicles_held=sum(m.vehicles_held for m in members),
        vehicles_bought=sum(m.vehicles_bought for m in members),
        operating_cost_budget=total("operating_cost_budget"),
        procurement=add("procurement"),
        projects=[p for m in members for p in m.projects],
        department_budget=total("department_budget"),
        prior=prior, reasons=first.reasons,
        gf_project=add("gf_project"), income_gf=add("income_gf"), gf_begin=add("gf_begin"),
        gf_end=add("gf_end"))
