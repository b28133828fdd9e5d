"""Plant one known error in a printed report and say exactly what and where.

Every change is far beyond rounding (at least 1 万元, or several percentage points and more
than the rounding interval of the ratio), so an audit that misses it, or that flags a report
without one, is wrong. Three kinds are made internally consistent on purpose, so that only the
identities they target can catch them: a prior-year total (the stated change on last year and
its percentage agree with each other but not with last year's report), a 公开01表 line (an
amount moved between two 类 lines: 01 still adds up, only the other tables disagree) and a
unit's line (an amount moved between two 公开06表 lines of a consolidated report: every
identity inside the report still holds, only 本级 + Σ units does not).
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from dagster_project.generate import inject_words
from dagster_project.generate.model import CENT, UnitYear
from dagster_project.generate.registry import Registry
from dagster_project.generate.render import Figure

MANIFEST_FIELDS = ["file", "unit", "year", "kind", "table_code", "row_code", "row_label",
                   "column", "original", "injected", "expected_family", "line", "note"]

FAMILY = {"table_cell": "within_table", "narrative_amount": "text_vs_table",
          "narrative_percent": "text_vs_table", "indicator": "performance",
          "evaluation_rate": "performance", "prior_year_total": "across_years",
          "unit_line": "across_units", "moved_line": "across_tables"}
# Only departments' reports can hold a consolidation error, only second years a prior-year one.
RARE = {"across_units": 4, "across_years": 2}
# Narrative statements the audit compares with the 绩效自评表 rather than the tables.
PERFORMANCE_SUBJECTS = {"项目支出绩效自评", "部门整体支出绩效自评"}
_QUANTITY = re.compile(r"^(≥|≧)?(\d+)(\S*)$")
TENTH = Decimal("0.1")


@dataclass
class Injection:
    file: str
    unit: str
    year: int
    kind: str
    table_code: str
    row_code: str | None
    row_label: str | None
    column: str
    original: str
    injected: str
    expected_family: str
    line: int  # 1-based line in the file
    note: str = ""

    def row(self) -> dict:
        d = asdict(self)
        return {k: ("" if d[k] is None else d[k]) for k in MANIFEST_FIELDS}


def _amount_delta(rng: random.Random, value: Decimal) -> Decimal:
    """At least 1 万元, up to about a third of the value (50 万元 at most)."""
    high = max(Decimal(1), min(value * Decimal("0.3"), Decimal(50)))
    d = Decimal(1) + (high - 1) * Decimal(rng.randint(0, 1000)) / 1000
    return d.quantize(CENT, ROUND_HALF_UP)


def _new_amount(rng: random.Random, text: str) -> str:
    value = Decimal(text)
    d = _amount_delta(rng, value)
    new = value + d if rng.random() < 0.5 or value - d < 0 else value - d
    return format(new.quantize(CENT), "f")


def _ratio_tolerance(extra: dict | None, decimals: int) -> Decimal:
    """How far rounding alone may move a printed percentage (the audit's interval, roughly)."""
    if not extra or not extra.get("den"):
        return Decimal(5)
    num, den = abs(extra["num"]), abs(extra["den"])
    h = Decimal("0.005")
    ratio = num * 100 / den
    spread = ratio * (h / den) + (h * 100 / den) + (ratio * h / num if num else 0)
    return spread + Decimal(1) / 10 ** decimals


def _new_percent(rng: random.Random, text: str, extra: dict | None) -> str:
    decimals = len(text.split(".")[1]) if "." in text else 0
    value = Decimal(text)
    shift = max(Decimal(2), 3 * _ratio_tolerance(extra, decimals)) + rng.randint(0, 30) / Decimal(10)
    new = value - shift if value - shift >= 0 and rng.random() < 0.5 else value + shift
    return format(new.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP), "f")


def _replace(lines: list[str], f: Figure, new: str) -> None:
    line = lines[f.line]
    lines[f.line] = line[: f.start] + new + line[f.end:]


def _candidates(figures: list[Figure], m: UnitYear, role: str, first_year: int) -> dict:
    kinds: dict[str, list] = {}
    for f in figures:
        if f.kind == "table_cell" and f.table in ("02", "03", "05", "06", "07") and f.text:
            kinds.setdefault("table_cell", []).append(f)
        elif (f.kind in ("narrative_amount", "narrative_percent") and f.column != "project_use"
              or f.kind == "evaluation_rate"):
            kinds.setdefault(f.kind, []).append(f)
        elif f.kind == "indicator" and f.extra and f.extra["reason"] == "无":
            t = _QUANTITY.match(f.extra["target"])
            a = _QUANTITY.match(f.text)
            if t and a and t.group(3) == a.group(3) and not a.group(1) and int(t.group(2)) >= 2:
                kinds.setdefault("indicator", []).append(f)
        elif f.kind == "prior_year_total" and m.year > first_year and f.column == "change_amount":
            kinds.setdefault("prior_year_total", []).append(f)
    classes = [f for f in figures if f.table == "01" and f.row_code and Decimal(f.text) > 2]
    if len(classes) >= 2:
        kinds["moved_line"] = classes
    if role == "部门":
        goods = [f for f in figures if f.table == "06" and f.row_code and f.row_code[:3] == "302"
                 and Decimal(f.text) > Decimal("1.5")]
        if len(goods) >= 2:
            kinds["unit_line"] = goods
    return kinds


# What `--inject-kinds` plants: the numbers (the audit's identities), the words a reviewer
# reads (issue 14: inject_words.py), or both.
INJECT_KINDS = ("numbers", "words", "all")


def inject(text: str, figures: list[Figure], rng: random.Random, file: str, m: UnitYear,
           role: str, first_year: int, kinds_of: str = "numbers", reg: Registry | None = None,
           pdf: bool = False) -> tuple[str, Injection | None]:
    lines = text.split("\n")
    kinds = _candidates(figures, m, role, first_year) if kinds_of != "words" else {}
    words = (inject_words.candidates(lines, figures, m, reg, pdf, first_year)
             if kinds_of != "numbers" else {})
    if not kinds and not words:
        return text, None
    # A family first, then a kind of it: every family gets about as many injections as the
    # reports that can hold one allow (consolidation needs a department, prior years a 2nd year).
    families = sorted({FAMILY[k] for k in kinds} | set(words))
    family = rng.choices(families, [RARE.get(f, 1) for f in families])[0]
    if family in words:
        site = rng.choice(words[family])
        original, new, note, line = inject_words.mutate(family, site, lines, m, reg, rng)
        injection = Injection(file, m.name, m.year, family, site.table, site.row_code, site.label,
                              family, original, new, family, line + 1, note)
        return "\n".join(lines), injection
    kind = rng.choice(sorted(k for k in kinds if FAMILY[k] == family))
    f = rng.choice(kinds[kind])
    note = ""
    if kind in ("table_cell", "narrative_amount"):
        new = _new_amount(rng, f.text)
        _replace(lines, f, new)
        if f.row_label in PERFORMANCE_SUBJECTS:
            family = "performance"
    elif kind in ("narrative_percent", "evaluation_rate"):
        value = f.text.removesuffix("%")
        new = _new_percent(rng, value, f.extra) + ("%" if f.text.endswith("%") else "")
        _replace(lines, f, new)
        if f.row_label in PERFORMANCE_SUBJECTS:
            family = "performance"
    elif kind == "indicator":
        t = _QUANTITY.match(f.extra["target"])
        target = int(t.group(2))
        new = f"{target - max(1, target // 5)}{t.group(3)}"
        _replace(lines, f, new)
        note = f"target {f.extra['target']} (project {f.extra['project']})"
    elif kind == "prior_year_total":
        new, note = _prior_year(lines, f, figures, rng)
    else:
        f, new, note = _moved(lines, kinds[kind], rng)
        kind = "unit_line" if kind == "unit_line" else "table_cell"
    injection = Injection(file, m.name, m.year, kind, f.table, f.row_code, f.row_label, f.column,
                          f.text, new, family, f.line + 1, note)
    return "\n".join(lines), injection


def _prior_year(lines: list[str], f: Figure, figures: list[Figure],
                rng: random.Random) -> tuple[str, str]:
    """Change the stated change on last year and its percentage together, consistently."""
    this_fig = next(g for g in figures if g.line == f.line and g.column == "amount")
    pct_fig = next((g for g in figures if g.line == f.line and g.column == "change_pct"), None)
    this = Decimal(this_fig.text)
    change = Decimal(f.text)
    decrease = "减少" in lines[f.line][this_fig.end: f.start]
    new_change = change + _amount_delta(rng, max(this / 10, Decimal(1)))
    prior = this + new_change if decrease else this - new_change
    if prior <= 0:  # keep last year's implied total positive
        new_change = change + 1
        prior = this + new_change if decrease else this - new_change
    new = format(new_change.quantize(CENT), "f")
    if pct_fig is not None:
        rate = format((new_change * 100 / prior).quantize(TENTH, ROUND_HALF_UP), "f")
        _replace(lines, pct_fig, rate)  # right of the amount: replace it first
    _replace(lines, f, new)
    return new, f"implied prior-year total {format(prior.quantize(CENT), 'f')}"


def _moved(lines: list[str], lines_of: list[Figure], rng: random.Random) -> tuple[Figure, str, str]:
    """Move an amount between two lines of one table: its totals still hold."""
    a, b = rng.sample(lines_of, 2)
    room = Decimal(b.text) - Decimal("0.5")
    d = min(_amount_delta(rng, Decimal(a.text)), room).quantize(CENT)
    d = max(d, Decimal(1))
    new_a = format((Decimal(a.text) + d).quantize(CENT), "f")
    new_b = format((Decimal(b.text) - d).quantize(CENT), "f")
    _replace(lines, a, new_a)
    _replace(lines, b, new_b)
    return a, new_a, f"moved {d} 万元 from 公开{b.table}表 {b.row_code} ({b.text} -> {new_b})"
