"""Plant one reviewer's error in the words of a printed report and say exactly what and where
(issue 14): what a 财政局 or 人大 reviewer checks beyond the arithmetic.

One kind per rule family of `int_audit__eval_statements` and `N.item_direction`:
- `unit_name`: a heading's or a header's unit replaced by a template placeholder or another unit;
- `year`: a heading's or a dated statement's year moved by one;
- `unit_of_measure`: a prose amount written in 元 under the word 万元 (×10,000), or the reverse:
  a 万元 figure followed by the word 元 (÷10,000);
- `prior_year`: the change on last year stated for the 三公 total or 机关运行经费 made to imply
  another last year (its rate recomputed, so the sentence still agrees with itself: only last
  year's report, Y.prior_total, can tell); planted only where last year's report is generated;
- `comparison_word`: 大于↔小于 (or 持平 where the figures differ by 1 万元 or more) in an item
  sentence or the 三公 sentence, 增加/增长↔减少/下降 in a year-on-year sentence whose stated
  rate then cannot hold, or only the rate's word turned (减少X万元，增长Y%);
- `empty_table`: an empty table's sentences removed, a filled table declared empty, or an empty
  table removed from the document with the sentence that would explain it;
- `zero_budget`: an item's 年初预算 printed as 0.00 while its 完成年初预算的X% stays;
- `code_name`: a 功能分类 项 printed with the name of another code.

Every change is far from rounding (a year, a factor of 10,000, a word the figures contradict by
1 万元 or more, 0.1 万元 for the small 三公 amounts), so an audit that misses it, or flags a report without one, is wrong. The PDF
render draws the prose (front matter, 情况说明, 绩效自评表) from the text but the tables from the
model: kinds that change a table (`empty_table`, `code_name`, a table header) are text-only.
"""

from __future__ import annotations

import random
import re
from decimal import ROUND_HALF_UP, Decimal

from dagster_project.generate.model import CENT, UnitYear
from dagster_project.generate.registry import Registry
from dagster_project.generate.render import TENTH, Figure

WORD_KINDS = ["unit_name", "year", "unit_of_measure", "comparison_word", "empty_table",
              "zero_budget", "code_name", "prior_year"]
# Names that are not the unit's: a placeholder of the MoF template, or other real units.
PLACEHOLDER = "XX单位"
OTHER_UNITS = ["国家信访局", "佛山市轨道交通局", "武汉市蔡甸区总工会"]
# The subjects the audit compares with a table (the 绩效自评 amounts are compared with the 自评表).
_NOT_TABLE = {"项目支出绩效自评", "部门整体支出绩效自评"}
_ITEM_WORD = re.compile(r"支出决算数(大于|小于)年初预算数的主要原因：[^。]*")
_THREE_WORD = re.compile(r"“三公”经费支出决算数(大于|小于)预算数")
_CHANGE = re.compile(r"(增加|减少)(\d+\.\d\d)万元，(增长|下降)(\d+\.\d)%")
# what render._on_last_year prints: '比2023年度增加3.20万元，增长12.5%' (no rate from a 0)
_LAST_YEAR = re.compile(r"比(\d{4})年度(增加|减少)(\d+\.\d\d)万元(?:，(增长|下降)(\d+\.\d)%)?")
_SWAP = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长", "大于": "小于",
         "小于": "大于"}


class Site:
    """One place a kind can change: a line, a span in it and what the audit calls it."""

    def __init__(self, line: int, start: int, end: int, label: str, table: str = "N",
                 row_code: str | None = None, extra: dict | None = None) -> None:
        self.line, self.start, self.end = line, start, end
        self.label, self.table, self.row_code, self.extra = label, table, row_code, extra or {}


def candidates(lines: list[str], figures: list[Figure], m: UnitYear, reg: Registry,
               pdf: bool, first_year: int | None = None) -> dict[str, list[Site]]:
    """The sites of each kind in one report; `prior_year` only when last year's report is
    generated too (its year is after `first_year`)."""
    y = m.year
    narrative = prose_start(lines)
    # A PDF draws the front matter and everything from the 情况说明 on from the text; its tables
    # come from the model.
    first_table = lines.index("\t公开01表") - 1 if pdf else len(lines)

    def in_prose(n: int) -> bool:
        return n < first_table or n >= narrative

    out: dict[str, list[Site]] = {k: [] for k in WORD_KINDS}
    by_line: dict[int, list[Figure]] = {}
    for f in figures:
        by_line.setdefault(f.line, []).append(f)
    dated = [re.compile(rf"^第三部分  {re.escape(m.name)}({y})年度$"),
             re.compile(rf"^\s*({y})年度(?:收入合计|支出合计|收、支总计|一般公共预算财政拨款支出\d)"),
             re.compile(rf"^[一二三四五六七八九十]+、({y})年度.+自评表$")]
    first_header = True
    for n, line in enumerate(lines):
        if line.startswith("\t"):
            # (text) the tables' 单位： lines but the first, which the reader files the report under
            if line == f"\t单位：{m.name}":
                if not first_header and not pdf:
                    out["unit_name"].append(Site(n, 4, 4 + len(m.name), m.name, "header"))
                first_header = False
            continue
        if not line or not in_prose(n):
            continue
        # unit names: part headings and the 自评表 headers
        for prefix in ("第一部分  ", "第三部分  ", "单位名称："):
            if line.startswith(prefix + m.name):
                out["unit_name"].append(Site(n, len(prefix), len(prefix) + len(m.name), m.name))
        if n < narrative:
            continue
        # years: the 情况说明's heading, its dated statements and the 自评表 titles
        for pattern in dated:
            hit = pattern.match(line)
            if hit:
                out["year"].append(Site(n, hit.start(1), hit.end(1), str(y)))
        # comparison words of the item and 三公 sentences, and year-on-year sentences with a rate
        item = _item_figures(by_line[n]) if "年初预算为" in line and n in by_line else None
        hit = _ITEM_WORD.search(line) if item else None
        if hit and abs(item["final"] - item["initial"]) >= 1:
            out["comparison_word"].append(Site(n, hit.start(1), hit.end(1), item["label"],
                                               row_code=item["code"]))
        three = _THREE_WORD.search(line) if "三公" in line else None
        if three:
            budget, final = _three_figures(line)
            # 三公 amounts are small: 0.1 万元 is still ten times the printed step
            if abs(final - budget) >= Decimal("0.1"):
                out["comparison_word"].append(Site(n, three.start(1), three.end(1), three.group(0)))
        for c in _CHANGE.finditer(line) if "相比" in line else ():
            f = next((g for g in by_line.get(n, []) if g.column == "change_amount"
                      and g.start == c.start(2)), None)
            if f is None or not f.extra:
                continue
            if _rate_breaks(f.extra, c.group(1) == "增加"):
                out["comparison_word"].append(Site(n, c.start(), c.end(), f.row_label,
                                                   extra={"match": c.group(0)}))
            # the rate's word alone turned: the sentence contradicts itself
            out["comparison_word"].append(Site(n, c.start(3), c.end(3), f.row_label,
                                               extra={"rate_word": True}))
        if item and item.get("pct") and item["initial"] >= 1:
            f = item["initial_fig"]
            out["zero_budget"].append(Site(n, f.start, f.end, item["label"],
                                           row_code=item["code"]))
    for f in figures:
        if (f.kind in ("narrative_amount", "prior_year_total") and f.table == "N"
                and f.column == "amount" and f.row_label not in _NOT_TABLE
                and in_prose(f.line) and Decimal(f.text) >= 10):
            out["unit_of_measure"].append(Site(f.line, f.start, f.end, f.row_label,
                                               row_code=f.row_code))
        if (f.kind == "prior_year_change" and f.column == "change_amount" and in_prose(f.line)
                and first_year is not None and y > first_year):
            hit = _LAST_YEAR.match(lines[f.line], f.start - len(f"比{y - 1}年度增加"))
            if hit:
                out["prior_year"].append(Site(f.line, hit.start(), hit.end(), f.row_label,
                                              extra=f.extra))
    if not pdf:
        out["empty_table"] = _table_sites(lines, narrative)
        out["code_name"] = _code_sites(lines, reg)
    return {k: v for k, v in out.items() if v}


def prose_start(lines: list[str]) -> int:
    """Dated statements are checked in the 情况说明 and after (the tables' titles are the
    model's in a PDF)."""
    return next(i for i, ln in enumerate(lines) if ln.startswith("第三部分"))


def _item_figures(figures: list[Figure]) -> dict | None:
    """An item sentence's 决算, 年初预算 and 完成率 (the figures of one line)."""
    figs = {f.column: f for f in figures if f.kind == "narrative_amount"
            and f.row_code and len(f.row_code) == 7}
    if "final" not in figs or "initial_budget" not in figs:
        return None
    pct = next((f for f in figures if f.column == "completion_pct"), None)
    return {"final": Decimal(figs["final"].text), "initial": Decimal(figs["initial_budget"].text),
            "label": figs["final"].row_label, "code": figs["final"].row_code,
            "initial_fig": figs["initial_budget"], "pct": pct}


def _three_figures(line: str) -> tuple[Decimal, Decimal]:
    m = re.search(r"全年预算为(\d+\.\d\d)万元，支出决算为(\d+\.\d\d)万元", line)
    return (Decimal(m.group(1)), Decimal(m.group(2))) if m else (Decimal(0), Decimal(0))


def _rate_breaks(extra: dict, up: bool) -> bool:
    """With the direction swapped, the stated rate implies another last year: far enough off
    (2 points or more, last year still positive) that no rounding explains it."""
    this, prior = extra["this"], extra["prior"]
    change = abs(this - prior)
    swapped = this + change if up else this - change
    if prior <= 0 or swapped <= 0 or change < 1:
        return False
    return abs(change * 100 / prior - change * 100 / swapped) >= 2


def _table_sites(lines: list[str], narrative: int) -> list[Site]:
    sites = []
    for code, funds in (("07", "政府性基金"), ("08", "国有资本经营"), ("09", "三公")):
        marker = lines.index(f"\t公开{code}表")
        end = next(i for i in range(marker, len(lines)) if lines[i].startswith("\t注："))
        note = end
        declared = next((i for i in range(end, end + 3) if lines[i].startswith("\t本部门")), None)
        # the 情况说明's sentence saying there were none
        said = next((i for i in range(narrative, len(lines)) if funds in lines[i]
                     and re.search(r"无[^。]{0,12}" + funds, lines[i])), None)
        if declared is not None and (said is not None or code == "09"):
            # empty, said so twice: drop both sentences, or the table and the sentence
            sites.append(Site(declared, 0, 0, f"公开{code}表", code,
                              extra={"variant": "undeclared", "said": said, "funds": funds}))
            if code == "08":
                sites.append(Site(marker - 1, 0, 0, f"公开{code}表", code,
                                  extra={"variant": "removed", "said": said, "funds": funds,
                                         "end": declared + 2}))
        elif declared is None:
            sites.append(Site(note, 0, 0, f"公开{code}表", code,
                              extra={"variant": "filled", "funds": funds}))
    return sites


def _code_sites(lines: list[str], reg: Registry) -> list[Site]:
    sites = []
    table = None
    for n in range(lines.index("\t公开02表"), lines.index("\t公开06表")):
        line = lines[n]
        if line.startswith("\t公开") and line.endswith("表"):
            table = line[3:5]
        code = line[1:]
        if (table in ("02", "03", "05") and len(code) == 7 and code.isdigit()
                and lines[n + 1] == "\t" + reg.names.get(code, "")):
            sites.append(Site(n + 1, 1, len(lines[n + 1]), code + " " + reg.names[code], table,
                              row_code=code))
    return sites


def mutate(kind: str, site: Site, lines: list[str], m: UnitYear, reg: Registry,
           rng: random.Random) -> tuple[str, str, str, int]:
    """Change `lines` in place; (original, injected, note, the 0-based line to report)."""
    line = lines[site.line]
    original = line[site.start:site.end]
    if kind == "unit_name":
        others = [u for u in OTHER_UNITS if u not in m.name and m.name not in u]
        new = rng.choice([PLACEHOLDER, *others])
        note = "placeholder" if new == PLACEHOLDER else "another unit"
    elif kind == "year":
        new = str(m.year + rng.choice([-1, 1]))
        note = f"fiscal year {m.year}"
    elif kind == "unit_of_measure" and line[site.end:site.end + 2] == "万元" and rng.random() < 0.5:
        # the reverse: the 万元 figure followed by the word 元 (a ten-thousandth of the table's)
        site.end += 2
        original = line[site.start:site.end]
        new = original.removesuffix("万元") + "元"
        note = "万元 figure printed with 元 (/10,000)"
    elif kind == "unit_of_measure":
        # the amount in 元 under the word 万元 (x10,000)
        new = format((Decimal(original) * 10000).quantize(CENT), "f")
        note = "元 figure printed under 万元 (x10,000)"
    elif kind == "prior_year":
        new, note = _another_last_year(site, original, rng)
    elif kind == "comparison_word":
        if site.extra.get("rate_word") or original in ("大于", "小于") and "三公" in site.label:
            new = _SWAP[original]
            note = "the rate's word turned against the amount's" if site.extra.get("rate_word") \
                else "三公: 大于/小于 swapped against 公开09表"
        elif "match" in site.extra:
            new = re.sub("增加|减少|增长|下降", lambda w: _SWAP[w.group(0)], original)
            note = "year-on-year direction swapped: the stated rate implies another last year"
        elif rng.random() < 0.3:
            site.end = _ITEM_WORD.search(line).end()
            original = line[site.start - 5:site.end]
            site.start -= 5
            new = "支出决算数与年初预算数持平"
            note = "持平 where the figures differ by 1 万元 or more"
        else:
            new = _SWAP[original]
            note = "大于/小于 swapped"
    elif kind == "zero_budget":
        new = "0.00"
        note = "年初预算 printed as 0 with its completion rate kept"
    elif kind == "code_name":
        new = _other_name(site.row_code, reg, rng)
        note = f"{site.row_code} printed with the name of another code"
    else:
        return _empty_table(site, lines, m)
    lines[site.line] = line[:site.start] + new + line[site.end:]
    return original, new, note, site.line


def _another_last_year(site: Site, original: str, rng: random.Random) -> tuple[str, str]:
    """The change restated from a wrong last year (off by 10-30 %, at least 0.2 万元), its rate
    recomputed and its words turned if the sign changed: the sentence is consistent, the
    last year it implies is not last year's report."""
    hit = _LAST_YEAR.fullmatch(original)
    change = Decimal(hit.group(3))
    this = site.extra["this"].quantize(CENT, ROUND_HALF_UP)
    prior = this + change if hit.group(2) == "减少" else this - change
    off = max((prior * Decimal(rng.randint(10, 30)) / 100).quantize(CENT), Decimal("0.2"))
    wrong = prior + off if rng.random() < 0.5 or prior - off <= 0 else prior - off
    if wrong == this:
        wrong += off
    diff = this - wrong
    up = diff > 0
    rate = format((abs(diff) * 100 / wrong).quantize(TENTH, ROUND_HALF_UP), "f")
    new = (f"比{hit.group(1)}年度{'增加' if up else '减少'}{format(abs(diff), 'f')}万元，"
           f"{'增长' if up else '下降'}{rate}%")
    return new, f"implied last year {format(wrong, 'f')} (last year's report: {format(prior, 'f')})"


def _other_name(code: str, reg: Registry, rng: random.Random) -> str:
    own = reg.names[code]
    siblings = sorted(c for c in reg.names if len(c) == 7 and c[:5] == code[:5]
                      and reg.names[c] != own)
    pool = siblings or sorted(c for c in reg.items if reg.names[c] != own)
    return reg.names[rng.choice(pool)]


def _empty_table(site: Site, lines: list[str], m: UnitYear) -> tuple[str, str, str, int]:
    variant, funds, code = site.extra["variant"], site.extra["funds"], site.table
    if variant == "filled":
        original = lines[site.line][1:]
        new = f"注：本部门{m.year}年度无{funds}经费支出，故本表无数据。" if code == "09" else \
            f"注：本部门{m.year}年度无{funds}预算财政拨款收入支出，故本表无数据。"
        lines[site.line] = "\t" + new
        return original, new, f"公开{code}表 holds amounts", site.line
    said = site.extra["said"]
    if said is not None:  # the 情况说明 says where the figures are instead of saying none
        lines[said] = f" 本单位当年{funds}预算财政拨款支出情况见公开{code}表。"
    original = lines[site.line][1:]
    if variant == "undeclared":
        lines[site.line] = "\t注：本表金额单位为万元。"
        return original, "注：本表金额单位为万元。", f"公开{code}表 empty, no sentence", site.line
    del lines[site.line:site.extra["end"] + 1]
    return f"公开{code}表", "", f"公开{code}表 removed with its sentence", site.line
