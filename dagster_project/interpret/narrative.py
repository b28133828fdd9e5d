"""Facts stated in the 情况说明: every amount, share, percentage and count, with its sentence.

Each rule below recognises one way the MoF template words a fact. A fact is one number with
what it is about (`subject`), what it measures (`metric`) and where it was printed; the
audit compares these with the tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from dagster_project.amounts import MAX_DECIMALS, SuspectAmount, normalise_text, parse_amount
from dagster_project.document import Location, Paragraph
from dagster_project.interpret.facts import NarrativeFact, Problem

NUM = r"(\d[\d,]*(?:\.\d+)?)"
# An amount with the unit it is stated in, one group ("534.74万元", "5347400.00元"): the text
# is in 万元 as a rule, but a figure written in 元 is read as 元 (and kept so on the fact), so
# that the audit sees 元 and 万元 confused in either direction (D.unit_of_measure).
AMT = r"(\d[\d,]*(?:\.\d+)?\s*万?元)"
_UNIT_DIVISOR = {"万元": 1, "元": 10000}
PCT = NUM + r"\s*%"
SEP = r"[，,、；;]?\s*"
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_DIRECTION = {"增加": "increase", "增长": "increase", "上升": "increase", "减少": "decrease",
              "下降": "decrease", "降低": "decrease", "持平": "flat"}


def _clean(text: str) -> str:
    # Full-width digits and spaces inside numbers ("    534.74万元", "0 辆") are common.
    t = normalise_text(text)
    t = re.sub(r"(?<=\d)\s+(?=[万元%辆台个])", "", t)
    return re.sub(r"\s+", " ", t)


class _Emitter:
    """Builds facts for one paragraph, keeping its sentence and location."""

    def __init__(self, section: str | None, sentence: str, location: Location,
                 problems: list[Problem] | None = None):
        self.section, self.sentence, self.location = section, sentence, location
        self.facts: list[NarrativeFact] = []
        self.problems = problems if problems is not None else []

    def _parse(self, printed: str):
        """The printed figure, or None with a located problem when it cannot be taken as
        printed (non-ASCII digits, more decimals than kept): never rounded or guessed."""
        try:
            return parse_amount(printed)
        except SuspectAmount as exc:
            self.problems.append(Problem("bad_amount", f"情况说明: {exc}; the figure is not read",
                                         self.location, fatal=False))
            return None

    def amount(self, kind: str, subject: str, metric: str, stated: str | None, **kw) -> None:
        """`stated` is a figure with its unit (an AMT match): kept in 万元 with the unit it was
        stated in, its decimals counted in 万元 (5347400.00元 is 534.740000万元, ±0.005 元)."""
        if stated is None:
            return
        unit = "万元" if stated.endswith("万元") else "元"
        a = self._parse(stated.removesuffix(unit).strip())
        if a is None:
            return
        shift = len(str(_UNIT_DIVISOR[unit])) - 1
        if a.decimals + shift > MAX_DECIMALS:
            self.problems.append(Problem(
                "bad_amount", f"情况说明: {stated!r} has more decimals in 万元 than the warehouse "
                f"keeps; the figure is not read", self.location, fatal=False))
            return
        self.facts.append(NarrativeFact(
            self.section, kind, subject, metric, stated, self.sentence, self.location,
            amount_wan_yuan=a.value / _UNIT_DIVISOR[unit], decimals=a.decimals + shift,
            amount_unit=unit, **kw))

    def percent(self, kind: str, subject: str, metric: str, printed: str | None, **kw) -> None:
        if printed is None:
            return
        a = self._parse(printed)
        if a is None:
            return
        self.facts.append(NarrativeFact(
            self.section, kind, subject, metric, printed + "%", self.sentence, self.location,
            percent=a.value, decimals=a.decimals, **kw))

    def count(self, kind: str, subject: str, metric: str, printed: str | None, unit: str) -> None:
        if printed is None:
            return
        self.facts.append(NarrativeFact(
            self.section, kind, subject, metric, printed + unit, self.sentence, self.location,
            count_value=Decimal(printed), decimals=0))


def _reason(text: str) -> str | None:
    m = re.search(r"(?:主要)?原因(?:是|为|主要是)?[:：]?\s*([^。]+)", text)
    return m.group(1).strip("，, ") if m else None


def _change(e: _Emitter, subject: str, text: str, kind: str = "total") -> None:
    """'与2023年度相比，…减少18.10万元，下降3.3%' / '比2023年度决算数减少18.10万元' /
    '比上年增加3.20万元'."""
    m = re.search(
        r"(?:与\s*(20\d\d)\s*年度?相比|比\s*(20\d\d)\s*年度?(?:决算数?)?"
        r"|(?:比|较|与)上年度?(?:决算数?)?(?:相比)?)[^。增减持上下降]{0,30}?"
        r"(增加|减少|持平|增长|下降)\s*(?:" + AMT + r")?" + SEP +
        r"(?:(增长|下降|上升|降低)\s*" + PCT + r")?", text)
    if not m:
        return
    direction = _DIRECTION[m.group(3)]
    reason = _reason(text[m.end():])
    e.amount(kind, subject, "change_amount", m.group(4), direction=direction, reason=reason)
    e.percent(kind, subject, "change_pct", m.group(6), direction=direction, reason=reason)


_TOTALS = [
    # (regex of the total's wording, canonical subject)
    (r"财政拨款收入?、?支出?总(?:计|决算)(?:各|均)?为?\s*" + AMT, "财政拨款收支总计"),
    (r"(?<!财政拨款)收入?、?支出?总计(?:各|均)?为?\s*" + AMT, "收支总计"),
    (r"(?<!财政拨款)收入合计\s*" + AMT, "收入合计"),
    (r"(?<!财政拨款)支出合计\s*" + AMT, "支出合计"),
    (r"财政拨款收入中[，,]?一般公共预算财政拨款收入\s*" + AMT, "一般公共预算财政拨款收入"),
    (r"^(?:\d{4}年度)?一般公共预算财政拨款支出\s*" + AMT + r"[，,]占(?:本年支出合计|总支出)",
     "一般公共预算财政拨款支出"),
]


def _general_budget(e: _Emitter, text: str) -> str:
    """Under the 一般公共预算 heading some reports write 财政拨款支出 for 一般公共预算财政拨款支出
    (when there is no other fund): read it as such there, and only there."""
    if e.section and "一般公共预算财政拨款支出" in e.section and "基本支出" not in e.section:
        return re.sub(r"^(.{0,20}?\d{4}年度)?(?<!一般公共预算)财政拨款支出", "一般公共预算财政拨款支出",
                      text)
    return text


def _totals(e: _Emitter, text: str) -> None:
    text = _general_budget(e, text)
    for pattern, subject in _TOTALS:
        m = re.search(pattern, text)
        if m:
            e.amount("total", subject, "amount", m.group(1))
            _change(e, subject, text[m.end():])
            share = re.search(r"占(?:本年支出合计|总支出)的?\s*" + PCT, text)
            if subject == "一般公共预算财政拨款支出" and share:
                e.percent("share", subject, "share_pct", share.group(1), reason="本年支出合计")
            return


def _sub_totals(e: _Emitter, text: str) -> None:
    """'…总收入1668.14万元，其中本年收入1668.14万元' (older layouts)."""
    for word, subject in (("本年收入", "收入合计"), ("本年支出", "支出合计")):
        m = re.search(r"总(?:收入|支出)\s*" + AMT + r"[，,]\s*其中" + word + r"\s*" + AMT, text)
        if m:
            e.amount("total", "收支总计", "amount", m.group(1))
            e.amount("total", subject, "amount", m.group(2))


def _shares(e: _Emitter, text: str) -> None:
    """'其中：财政拨款收入534.74万元，占本年收入100.0%' and 基本/项目 splits."""
    if "占" not in text:
        return
    # '占本年收入100.0%', or only '占99.79%' after '本年收入合计…，其中：'.
    context = ("本年收入" if "收入合计" in text else "本年支出" if "支出合计" in text else None)
    for m in re.finditer(r"([\u4e00-\u9fa5（）()]{2,20}?)\s*" + AMT
                         + r"[，,]\s*占(本年收入|本年支出)?(?:合计)?的?\s*" + PCT, text):
        base = m.group(3) or context
        if base is None:
            continue
        subject = re.sub(r"^(?:\d{4}年度|年度|其中[：:]?)", "", m.group(1)).strip("：:")
        if subject == "一般公共预算财政拨款支出" or "（类）" in subject or "(类)" in subject:
            continue  # a total with its share, or a 类 share: other rules record them
        e.amount("share", subject, "amount", m.group(2), reason=base)
        e.percent("share", subject, "share_pct", m.group(4), reason=base)


def _class_share(e: _Emitter, text: str) -> None:
    """'1.一般公共服务支出类支出387.53万元，占72.5%。'"""
    m = re.match(r"^\d+[.、．]\s*(.+?)类支出\s*" + AMT + r"[，,]\s*占\s*" + PCT, text)
    if m:
        e.amount("class_share", m.group(1), "amount", m.group(2), reason="一般公共预算财政拨款支出")
        e.percent("class_share", m.group(1), "share_pct", m.group(3), reason="一般公共预算财政拨款支出")
        return
    # '主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.73%；…' in one paragraph.
    if "主要用于以下方面" not in text:
        return
    for m in re.finditer(r"([\u4e00-\u9fa5]{2,20}?)[（(]类[)）](?:支出)?\s*" + AMT
                         + r"[，,]\s*占\s*" + PCT, text):
        name = m.group(1).removesuffix("支出") + "支出"
        e.amount("class_share", name, "amount", m.group(2), reason="一般公共预算财政拨款支出")
        e.percent("class_share", name, "share_pct", m.group(3), reason="一般公共预算财政拨款支出")


def _budget_completion(e: _Emitter, text: str) -> None:
    """'一般公共预算财政拨款支出年初预算为507.16万元，支出决算为534.74万元，完成年初预算的105.4%'."""
    text = _general_budget(e, text)
    m = re.search(r"一般公共预算财政拨款支出年初预算为\s*" + AMT + SEP + r"支出决算为\s*" + AMT
                  + SEP + r"完成年初预算的\s*" + PCT, text)
    if not m:
        return
    s = "一般公共预算财政拨款支出"
    e.amount("budget_completion", s, "initial_budget", m.group(1))
    e.amount("budget_completion", s, "final", m.group(2))
    e.percent("budget_completion", s, "completion_pct", m.group(3))
    rest = text[m.end():]
    b = re.search(r"基本支出\s*" + AMT + SEP + r"项目支出\s*" + AMT, rest)
    if b:
        e.amount("budget_completion", "基本支出", "final", b.group(1))
        e.amount("budget_completion", "项目支出", "final", b.group(2))
    head = re.search(r"项目支出主要用于", rest)
    if head:
        for p in re.finditer(r"([\u4e00-\u9fa5]{2,30}?经费)\s*" + AMT, rest[head.end():]):
            e.amount("project_use", p.group(1), "final", p.group(2))


_ITEM = re.compile(
    r"(?P<path>(?:[^（(。]+[（(]类[）)])(?:[^（(。]+[（(]款[）)])(?:[^（(。]+[（(]项[）)]))[。．.]?\s*"
    r"(?:主要用于[^。]{0,200}。\s*)?年初预算为\s*" + AMT + SEP + r"支出决算为\s*" + AMT
    + r"(?:" + SEP + r"完成年初预算的\s*" + PCT + r")?")


def _item_direction(rest: str) -> str | None:
    """How the sentence compares 决算 with 年初预算: above, below, equal (等于, 持平) or about
    (基本持平: within the tolerance the catalogue states for N.item_direction)."""
    # the first comparison word decides (the explanation that follows may use others)
    m = re.search(r"大于|超过(?:年初)?预算|超出(?:年初)?预算|超支"
                  r"|(?P<below>小于|低于(?:年初)?预算|节约)"
                  r"|(?P<about>基本持平|基本相当)"
                  r"|(?P<equal>等于|持平|与(?:年初)?预算数?一致)", rest)
    if m is None:
        return None
    return ("below" if m.group("below") else "about" if m.group("about")
            else "equal" if m.group("equal") else "above")


# What the statements extractor (statements.py) and the prior-year reader (prior_year.py) read
# with the same vocabulary.
stated_direction = _item_direction
DIRECTION_WORDS = _DIRECTION
Emitter = _Emitter
clean_text = _clean


def _items(e: _Emitter, text: str) -> None:
    """'（1）一般公共服务支出（类）群众团体事务（款）行政运行（项）。年初预算为…'."""
    if "项）" not in text and "项)" not in text:
        return  # the regex is costly on long paragraphs; most have no 项 sentence
    matches = list(_ITEM.finditer(text))
    for n, m in enumerate(matches):
        path = re.sub(r"^[（(]?\d+[)）]\s*|^\d+[.、]\s*", "", m.group("path").strip())
        names = [n.strip() for n in re.split(r"[（(][类款项][）)]", path) if n.strip()]
        function_path = "/".join(names)
        # The explanation runs to the next item: '…支出决算为X万元。决算数小于预算数的主要原因：…'.
        rest = text[m.end(): matches[n + 1].start() if n + 1 < len(matches) else len(text)]
        direction = _item_direction(rest)
        reason = _reason(rest)
        kw = dict(function_path=function_path, direction=direction, reason=reason)
        e.amount("item", function_path, "initial_budget", m.group(2), **kw)
        e.amount("item", function_path, "final", m.group(3), **kw)
        e.percent("item", function_path, "completion_pct", m.group(4), **kw)


def _personnel(e: _Emitter, text: str) -> None:
    m = re.search(r"基本支出\s*" + AMT + r"[，,。]?\s*其中", text)
    if m and "一般公共预算财政拨款基本支出" in text:
        e.amount("basic_split", "一般公共预算财政拨款基本支出", "amount", m.group(1))
    for subject in ("人员经费", "公用经费"):
        m = re.search(r"(?:^|其中[:：]|[，,；;]\s*)" + subject + r"\s*" + AMT, text)
        if m:
            e.amount("basic_split", subject, "amount", m.group(1))


_THREE_PUBLIC = [
    (r"“?三公”?经费财政拨款支出(?:全年|年初)?预算为\s*" + AMT + SEP + r"支出决算为\s*" + AMT,
     "三公经费合计"),
    (r"因公出国[（(]境[)）]费全年预算为\s*" + AMT + SEP + r"支出决算为\s*" + AMT, "因公出国（境）费"),
    (r"公务用车购置及运行(?:维护)?费全年预算为\s*" + AMT + SEP + r"支出决算为\s*" + AMT,
     "公务用车购置及运行维护费"),
    (r"公务接待费全年预算为\s*" + AMT + SEP + r"支出决算为\s*" + AMT, "公务接待费"),
]


# Only the 决算 of an item: '因公出国（境）费支出决算4.69万元' / '…费决算为0.00万元'.
_THREE_PUBLIC_FINAL = [
    (r"“?三公”?经费财政拨款支出决算(?:数)?为\s*" + AMT, "三公经费合计"),
    (r"因公出国[（(]境[)）]费(?:支出)?决算(?:数)?为?\s*" + AMT, "因公出国（境）费"),
    (r"公务用车购置及运行(?:维护)?费(?:支出)?决算(?:数)?为?\s*" + AMT, "公务用车购置及运行维护费"),
    (r"公务接待费(?:支出)?决算(?:数)?为?\s*" + AMT, "公务接待费"),
]


def _last_year(e: _Emitter, subject: str, text: str, kind: str) -> None:
    """What a 三公 or 机关运行经费 sentence says of last year (Y.prior_total checks it against
    last year's report): the change ('比2023年度减少3.20万元，下降12.5%', '比上年增加…') or
    last year's figure itself ('上年决算数为25.60万元')."""
    _change(e, subject, text, kind)
    m = re.search(r"上年度?(?:决算数?)?为?\s*" + AMT, text)
    if m:
        e.amount(kind, subject, "prior_amount", m.group(1))


def _three_public(e: _Emitter, text: str) -> None:
    # '“三公”经费财政拨款支出决算数比2023年度减少…' (the MoF template's words)
    m = re.search(r"“?三公”?经费(?:财政拨款)?支出决算数?(?=\s*(?:比|较|与)\s*(?:20\d\d|上年))", text)
    if m:
        _last_year(e, "三公经费合计", text[m.end():], "three_public")
    for pattern, subject in _THREE_PUBLIC:
        m = re.search(pattern, text)
        if m:
            e.amount("three_public", subject, "budget", m.group(1))
            e.amount("three_public", subject, "final", m.group(2))
    for pattern, subject in _THREE_PUBLIC_FINAL:
        m = re.search(pattern, text)
        if m:
            e.amount("three_public", subject, "final", m.group(1))
    m = re.search(r"公务用车购置费支出\s*" + AMT, text)
    if m:
        e.amount("three_public", "公务用车购置费", "final", m.group(1))
        c = re.search(r"购置[（(]?更新[)）]?公务用车\s*(\d+)\s*辆", text)
        if c:
            e.count("three_public", "公务用车购置费", "vehicles_purchased", c.group(1), "辆")
    m = re.search(r"公务用车运行(?:维护)?费支出\s*" + AMT, text)
    if m:
        e.amount("three_public", "公务用车运行维护费", "final", m.group(1))
        c = re.search(r"公务用车保有量为\s*(\d+)\s*辆", text)
        if c:
            e.count("three_public", "公务用车运行维护费", "vehicles_held", c.group(1), "辆")


def _operating_cost(e: _Emitter, text: str) -> None:
    m = re.search(r"机关运行经费(?:支出)?\s*" + AMT, text)
    if m:
        d = re.search(r"比年初预算数?(持平|增加|减少)\s*(?:" + AMT + r")?", text)
        e.amount("operating_cost", "机关运行经费", "amount", m.group(1),
                 direction=_DIRECTION[d.group(1)] if d else None, reason=_reason(text))
        if d and d.group(2):
            e.amount("operating_cost", "机关运行经费", "change_on_budget", d.group(2),
                     direction=_DIRECTION[d.group(1)])
        _last_year(e, "机关运行经费", text[m.end():], "operating_cost")


def _procurement(e: _Emitter, text: str) -> None:
    m = re.search(r"政府采购(?:支出总额|金额)(?:[（(][^）)]{0,20}[）)])?为?\s*" + AMT, text)
    if not m:
        return
    e.amount("procurement", "政府采购支出总额", "amount", m.group(1))
    # '政府采购货物支出X万元' or, in other templates, '货物采购金额X万元'.
    for label, other in (("政府采购货物支出", "货物采购金额"), ("政府采购工程支出", "工程采购金额"),
                         ("政府采购服务支出", "服务采购金额"),
                         ("授予中小企业合同金额", "授予中小企业合同金额")):
        x = re.search(f"(?:{label}|{other})" + r"\s*" + AMT, text)
        if x:
            e.amount("procurement", label, "amount", x.group(1))
    s = re.search(r"占政府采购支出总额的\s*" + PCT, text)
    if s:
        e.percent("procurement", "授予中小企业合同金额", "share_pct", s.group(1),
                  reason="政府采购支出总额")


def _assets(e: _Emitter, text: str) -> None:
    m = re.search(r"共有车辆\s*(\d+)\s*辆", text)
    if not m:
        return
    e.count("assets", "车辆", "count", m.group(1), "辆")
    for kind, n in re.findall(r"([\u4e00-\u9fa5]{2,16}?用车)\s*(\d+)\s*辆", text[m.end():]):
        e.count("assets", kind.removeprefix("其中").lstrip("，,"), "count", n, "辆")
    d = re.search(r"单位价值\s*(\d+)\s*万元以上(?:大型)?设备\s*(\d+)\s*台", text)
    if d:
        e.count("assets", f"单位价值{d.group(1)}万元以上设备", "count", d.group(2), "台")


def _performance(e: _Emitter, text: str) -> None:
    m = re.search(r"共涉及项目\s*(\d+)\s*个" + SEP + r"资金\s*" + AMT + SEP
                  + r"占一般公共预算项目支出总额的\s*" + PCT, text)
    if m:
        s = "项目支出绩效自评"
        e.count("performance", s, "projects", m.group(1), "个")
        e.amount("performance", s, "amount", m.group(2))
        e.percent("performance", s, "share_pct", m.group(3), reason="一般公共预算项目支出总额")
    m = re.search(r"对\s*(\d+)\s*个部门[（(]?单位[)）]?开展整体支出绩效自评" + SEP + r"资金\s*" + AMT, text)
    if m:
        s = "部门整体支出绩效自评"
        e.count("performance", s, "units", m.group(1), "个")
        e.amount("performance", s, "amount", m.group(2))
        r = re.search(r"预算(?:预算)?完成率\s*" + PCT, text)
        if r:
            e.percent("performance", s, "completion_pct", r.group(1))
        a = re.search(r"调整率(低于|高于|不超过|小于)\s*" + PCT, text)
        if a:
            e.percent("performance", s, "adjustment_rate_claim", a.group(2),
                      direction={"低于": "below", "小于": "below", "不超过": "below"}.get(
                          a.group(1), "above"))
    m = re.match(r"^\d+[.、]\s*(.+?)项目(?:绩效自评)?综述[:：][^。]{0,60}?(?:。\s*)?"
                 r"(?:项目)?全年预算数为\s*" + AMT + SEP
                 + r"执行数为\s*" + AMT + SEP + r"完成预算的\s*" + PCT, text)
    if m:
        e.amount("project_evaluation", m.group(1), "budget", m.group(2))
        e.amount("project_evaluation", m.group(1), "executed", m.group(3))
        e.percent("project_evaluation", m.group(1), "rate_pct", m.group(4))


RULES: list[Callable[[_Emitter, str], None]] = [
    _totals, _sub_totals, _shares, _class_share, _budget_completion, _items, _personnel, _three_public,
    _operating_cost, _procurement, _assets, _performance,
]


def _paragraphs(paragraphs: list[Paragraph]) -> Iterator[tuple[str | None, Paragraph]]:
    section = None
    for p in paragraphs:
        if _HEADING.match(p.text) and len(p.text) < 40:
            section = p.text.strip()
        yield section, p


def extract_narrative(paragraphs: list[Paragraph], fiscal_year: int | None,
                      problems: list[Problem] | None = None) -> list[NarrativeFact]:
    """All facts of the 情况说明 paragraphs (paragraphs outside the 9 tables, in order); a
    figure that cannot be taken as printed is a problem in `problems`, not a fact."""
    facts: list[NarrativeFact] = []
    started = False
    for section, p in _paragraphs(paragraphs):
        text = _clean(p.text)
        if not started:
            # The narrative starts at its part heading; facts before it (职责, 机构) are not numbers
            # we audit.
            started = "情况说明" in text or "收入支出决算总体情况" in text
            if not started:
                continue
        e = _Emitter(section, p.text, p.location, problems)
        for rule in RULES:
            rule(e, text)
        facts.extend(e.facts)
    return _dedupe(facts)


def _dedupe(facts: list[NarrativeFact]) -> list[NarrativeFact]:
    """One fact per statement: a figure restated later (a summary paragraph, then the detail)
    is kept where it is first stated; a restatement with a different value is kept too, so
    the audit sees the contradiction."""
    seen: set[tuple] = set()
    out = []
    for f in facts:
        key = (f.fact_kind, f.subject, f.metric, f.amount_wan_yuan, f.percent, f.count_value)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
