"""What a report says about itself: the unit it names, the year it dates, the funds it says it had
none of. A reviewer checks these words as well as the numbers (issue 14).

Each statement is a `NarrativeFact` (one raw table for everything the text states) of its own
kind, located at its paragraph; the audit (`int_audit__eval_statements`) judges it in SQL:
- `named_unit`: a unit named by the cover, a title, a heading or a table header
  (单位：/编制单位：/单位名称：). `metric` says which; `subject` is the name as printed.
- `member_unit`: a unit listed in the 单位构成 (机构设置) part: naming it is not a finding.
- `named_year`: a year in a title or heading, the year a dated statement opens with, or the
  year a comparison is made with. `metric` is the year it must be: `fiscal_year`, or
  `prior_year` where the words compare (与2023年度相比, 比2023年度决算数).
- `no_funds`: a sentence saying the unit had no funds of a kind that one table reports
  (`subject` is the table code): a missing table it explains is not a warning.
- `comparison`: a comparison word the audit checks against figures (`N.item_direction`, issue
  14): `metric` `vs_budget` is a 三公 part's 决算 said to be above/below/equal to its 预算
  (`subject` the part, as 公开09表's column keys name it: total, outbound, vehicle_total,
  vehicle_purchase, vehicle_operation, reception; `direction` above/below/equal/about);
  `amount_vs_rate` is a change on last year stated twice, as an amount and as a rate
  (减少18.10万元，增长3.3%): `direction` is "amount word/rate word" (increase/decrease).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from dagster_project.amounts import normalise_text
from dagster_project.document import Document, Location, Paragraph
from dagster_project.interpret.facts import NarrativeFact
from dagster_project.interpret.narrative import DIRECTION_WORDS, stated_direction

# A unit's name: it may hold digits (测试单位001), never start with one (that is a year).
_NAME = r"[\u4e00-\u9fa5A-Za-zＸｘ×*＊（）()][\u4e00-\u9fa5A-Za-z0-9Ｘｘ×*＊（）()]{1,39}?"
_YEAR = r"(20\d\d)\s*年"
_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]")
# The cover and part headings: "国家信访局2024年度部门决算", "2019年佛山市轨道交通局部门决算",
# "第三部分 武汉市蔡甸区总工会2024年度…", "第一部分 武汉市蔡甸区总工会本级概况".
_TITLES = [
    re.compile(r"^(?:第[一二三四五六七八九十]部分\s*)?(?P<name>" + _NAME + r")\s*" + _YEAR
               + r"度?\s*(?:部门|单位)(?:综合)?决算"),
    re.compile(r"^(?:第[一二三四五六七八九十]部分\s*)?" + _YEAR + r"度?\s*(?P<name>" + _NAME
               + r")\s*(?:部门|单位)(?:综合)?决算"),
    re.compile(r"^第[一二三四五六七八九十]部分\s*(?P<name>" + _NAME + r")\s*" + _YEAR + r"度?\s*$"),
    re.compile(r"^第[一二三四五六七八九十]部分\s*(?P<name>" + _NAME + r")(?:部门|单位)?概况\s*$"),
]
# A table header: "单位：武汉市蔡甸区总工会本级", "编制单位：…", "单位名称：蔡甸区总工会  填报日期：…".
_HEADER = re.compile(r"^(?:编制|填报)?单位(?:名称)?[:：]\s*(?P<name>\S.*)$")
_HEADER_END = re.compile(r"\s{2,}|(?<=.)(?=(?:金额)?单位[:：]|(?:编制|填报)日期|日期[:：]|联系)")
_MEMBERS_START = re.compile(r"机构设置|单位构成")
_COMPARED = re.compile(r"(?:与|比|较|同比)\s*" + _YEAR + r"度?")
_AS_OF = re.compile(r"截[至止]\s*" + _YEAR + r"\s*12\s*月\s*31\s*日")
# A dated statement opens with its year: "2024年度收入合计…", "国家信访局2024年度本年收入合计…".
_OPENING_YEAR = re.compile(r"^[^\d。；;]{0,30}?" + _YEAR + r"度")
_ANY_YEAR = re.compile(_YEAR + r"(?!\s*\d{1,2}\s*月)度?")
# A heading dated by the report's year: a title, a table's or a part's; a plan for next year
# (2025年工作计划) is dated otherwise, and a heading of neither kind is not checked.
_DATED_HEADING = re.compile(r"决算|预算|表|说明|情况|自评|绩效|部分")
_PLAN = re.compile(r"计划|打算|安排|展望|规划|思路")
# The funds a table reports, and how a sentence says there were none (the MoF template's words).
_NO_FUNDS = [
    ("07", re.compile(r"(?:无|没有|未发生)[^。；;]{0,12}政府性基金")),
    ("08", re.compile(r"(?:无|没有|未发生)[^。；;]{0,12}国有资本经营")),
    ("09", re.compile(r"(?:无|没有|未发生)[^。；;]{0,12}“?三公”?经费")),
]


# A 三公 part and how the sentence compares its 决算 with its 预算: "“三公”经费支出决算数小于预算数",
# "公务接待费支出决算大于预算". The part names map to 公开09表's column keys.
_THREE_PARTS = [
    ("outbound", r"因公出国[（(]境[)）]费"),
    ("vehicle_total", r"公务用车购置及运行(?:维护)?费"),
    ("vehicle_purchase", r"公务用车购置费"),
    ("vehicle_operation", r"公务用车运行(?:维护)?费"),
    ("reception", r"公务接待费"),
    ("total", r"“?三公”?经费"),
]
_VS_BUDGET = re.compile(
    r"(?P<part>" + "|".join(f"(?P<{k}>{p})" for k, p in _THREE_PARTS) + r")"
    r"(?:财政拨款)?(?:支出)?决算数?(?P<word>[^。，,；;]{0,6}?)(?:年初|全年)?预算数?")
_AMOUNT_VS_RATE = re.compile(
    r"(?P<a>增加|减少)\s*\d[\d,]*(?:\.\d+)?\s*万元[，,、]?\s*(?P<r>增长|下降|上升|降低)\s*\d[\d,]*(?:\.\d+)?\s*%")


def _comparisons(text: str, loc: Location) -> list[NarrativeFact]:
    out = []
    for m in _VS_BUDGET.finditer(text):
        direction = stated_direction(m.group("word"))
        if direction is not None:
            part = next(k for k, _ in _THREE_PARTS if m.group(k))
            out.append(NarrativeFact(None, "comparison", part, "vs_budget", m.group(0), text, loc,
                                     direction=direction))
    for m in _AMOUNT_VS_RATE.finditer(text):
        out.append(NarrativeFact(None, "comparison", "较上年增减", "amount_vs_rate", m.group(0),
                                 text, loc, direction=DIRECTION_WORDS[m.group("a")] + "/"
                                 + DIRECTION_WORDS[m.group("r")]))
    return out


def _is_heading(text: str) -> bool:
    """A title, heading or table title: a short line that is not a sentence."""
    return len(text) <= 60 and "。" not in text and not re.search(r"\d\s*万元", text)


def _paragraphs(doc: Document) -> Iterator[tuple[str, Location, bool]]:
    """Each paragraph, and each table cell (flagged) where a header line may sit."""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            yield normalise_text(block.text).strip(), block.location, False
        else:
            for row in block.rows:
                for c in row:
                    yield normalise_text(c.text).strip(), c.location, True


def _fact(kind: str, subject: str, metric: str, printed: str, sentence: str, loc: Location,
          year: int | None = None) -> NarrativeFact:
    return NarrativeFact(None, kind, subject, metric, printed, sentence, loc,
                         count_value=None if year is None else Decimal(year),
                         decimals=None if year is None else 0)


def _names(text: str, loc: Location, first_title: bool) -> list[NarrativeFact]:
    m = _HEADER.match(text)
    if m:
        name = _HEADER_END.split(m.group("name"))[0].strip()
        if name and not re.match(r"^(?:万元|元|金额|单位)", name):
            return [_fact("named_unit", name, "table_header", name, text, loc)]
        return []
    if not _is_heading(text) or text.endswith(("：", ":")):
        return []  # "纳入…部门决算编制范围的单位包括：" introduces a list: not a title
    for pattern in _TITLES:
        m = pattern.match(text)
        if m and not _ORDINAL.match(m.group("name")):
            name = re.sub(r"\s+", "", m.group("name"))
            metric = "cover" if first_title and not text.startswith("第") else "heading"
            return [_fact("named_unit", name, metric, name, text, loc)]
    return []


def _years(text: str, loc: Location) -> list[NarrativeFact]:
    out: dict[tuple[int, str], NarrativeFact] = {}

    def add(year: str, metric: str, printed: str) -> None:
        out.setdefault((int(year), metric),
                       _fact("named_year", printed, metric, printed, text, loc, int(year)))

    compared = {m.start(1) for m in _COMPARED.finditer(text)}
    for m in _COMPARED.finditer(text):
        add(m.group(1), "prior_year", m.group(0))
    for m in _AS_OF.finditer(text):
        add(m.group(1), "fiscal_year", m.group(0))
    if _is_heading(text) and _DATED_HEADING.search(text) and not _PLAN.search(text):
        for m in _ANY_YEAR.finditer(text):
            if m.start(1) not in compared:
                add(m.group(1), "fiscal_year", m.group(0))
    else:
        m = _OPENING_YEAR.match(text)
        if m and m.start(1) not in compared:
            add(m.group(1), "fiscal_year", m.group(0).lstrip())
    return list(out.values())


def extract_statements(doc: Document) -> list[NarrativeFact]:
    """Every unit name, year and no-funds statement of the document's paragraphs, in order."""
    facts: list[NarrativeFact] = []
    in_members = False
    first_title = True
    for text, loc, is_cell in _paragraphs(doc):
        if not text:
            continue
        if is_cell:
            # in a table only a header line (单位：…) is a statement about the report
            facts.extend(f for f in _names(text, loc, False) if f.metric == "table_header")
            continue
        named = _names(text, loc, first_title)
        if any(f.metric in ("cover", "heading") for f in named):
            first_title = False
        facts.extend(named)
        facts.extend(_years(text, loc))
        facts.extend(_comparisons(text, loc))
        if _MEMBERS_START.search(text) and len(text) <= 40:
            in_members = True
        elif in_members and _is_heading(text) and (
                re.match(r"^(?:第.部分|[一二三四五六七八九十]+、)", text) or "决算" in text):
            in_members = False  # the list ends at the next heading or table title
        elif in_members and re.fullmatch(r"[\u4e00-\u9fa5（）()][\u4e00-\u9fa50-9（）()]{1,39}", text):
            facts.append(_fact("member_unit", text, "member", text, text, loc))
        for code, pattern in _NO_FUNDS:
            if pattern.search(text):
                facts.append(_fact("no_funds", code, "declared", text, text, loc))
    return facts
