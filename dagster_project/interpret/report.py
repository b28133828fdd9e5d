"""The one interpreter: a neutral Document in, ReportFacts out, whatever the source format."""

from __future__ import annotations

import re

from dagster_project.document import Cell, Document, Location, Paragraph
from dagster_project.interpret.facts import Problem, ReportFacts, TableFact
from dagster_project.interpret.narrative import extract_narrative
from dagster_project.interpret.performance import extract_evaluations
from dagster_project.interpret.segment import merge_regions, segment
from dagster_project.interpret.statements import extract_statements
from dagster_project.interpret.tables import parse_region

STANDARD_CODES = [f"{i:02d}" for i in range(1, 10)]
_YEAR = re.compile(r"(20\d{2})\s*年度?")
_UNIT_NAME = re.compile(r"^(?:金额|编制|填报)?(?:单位|部门)(?:名称)?[:：]\s*(.+)$")
# The cover: "西南大学 2023 年度部门决算", "上海市普陀区财政局2024年度部门决算".
_NEXT_LABEL = re.compile(r"\s{2,}|(?<=.)(?=(?:金额)?单位[:：]|(?:编制|填报)日期|日期[:：]|"
                         r"保密审查情况|审查情况|(?:部门)?(?:主要)?负责人审签|审签情况|联系人|联系电话)")
_COVER = re.compile(r"^(.{2,40}?)\s*(?:20\d{2})\s*年度?\s*(?:部门|单位)决算")
_SUBORDINATE = re.compile(r"和\s*(\d+)\s*个下属(?:单位|预算单位)")
_OVERVIEW = re.compile(r"第一部分\s*(.+?)(?:部门|单位)?概况")


def _texts(doc: Document) -> list[tuple[str, Location]]:
    out: list[tuple[str, Location]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append((block.text, block.location))
        else:
            for row in block.rows:
                out.extend((c.text, c.location) for c in row if c.text)
    return out


def _unit_name(texts: list[tuple[str, Location]]) -> str | None:
    for text, _loc in texts:
        m = _UNIT_NAME.match(text.strip())
        name = m.group(1).strip() if m else ""
        if name and name not in ("万元", "元") and not re.match(r"^(金额)?单位", name):
            # The name ends at a wide gap or where the next label of the line begins.
            return _NEXT_LABEL.split(name)[0].strip()
    for text, _loc in texts:
        m = _OVERVIEW.search(text)
        if m:
            return m.group(1).strip()
    for text, _loc in texts[:40]:
        m = _COVER.match(text.strip())
        if m:
            return re.sub(r"\s+", "", m.group(1))
    return None


def _fiscal_year(texts: list[tuple[str, Location]]) -> int | None:
    for text, _loc in texts:
        if "决算" in text:
            m = _YEAR.search(text)
            if m:
                return int(m.group(1))
    return None


# How a document names itself: 部门决算 / 单位预算 …, or its tables (预算01表, 决算01表).
_KIND = re.compile(r"(?:部门|单位)(?:综合)?(预算|决算)|^(预算|决算)\s*\d{1,2}\s*表")
_FINAL_KIND = re.compile(r"(?<!预)(部门|单位)决算")


def _report_kind(texts: list[tuple[str, Location]]) -> str | None:
    """部门决算 or 单位决算 as the document calls itself first (its cover and title); None when
    it first calls itself a budget (部门预算, 部门综合预算). File names lie: the text decides."""
    for text, _loc in texts[:60]:
        m = _KIND.search(text)
        if m and "预算" in (m.group(1), m.group(2)):
            return None
        if m:
            break
    for text, _loc in texts[:200]:
        if "单位决算" in text and "部门决算" not in text:
            return "单位决算"
        if "部门决算" in text:
            return "部门决算"
    return "部门决算"


def interpret(doc: Document) -> ReportFacts:
    texts = _texts(doc)
    subordinate = next((int(m.group(1)) for t, _ in texts if (m := _SUBORDINATE.search(t))), None)
    facts = ReportFacts(
        file_name=doc.file_name,
        sha256=doc.sha256,
        file_format=doc.format,
        encoding=doc.encoding,
        pages=doc.pages,
        unit_name=_unit_name(texts),
        fiscal_year=_fiscal_year(texts),
        report_kind=_report_kind(texts),
        subordinate_units=subordinate,
    )
    segments = segment(doc)
    regions = merge_regions(segments.regions)
    where = Location(doc.file_name)
    if not regions and doc.pages_without_text:
        pages = doc.pages_without_text
        facts.problems.append(Problem(
            "scanned_pdf",
            f"no standard table found and {len(pages)} of {doc.pages} pages have no text layer "
            f"(first: p.{pages[0]}; scanned images?); OCR is not supported",
            Location(doc.file_name, page=pages[0]), fatal=True))
        return facts
    if facts.report_kind is None:
        facts.problems.append(Problem(
            "not_final_accounts",
            "the document names itself a budget (部门预算, 预算NN表) before any 决算: budgets are "
            "not read as final accounts", where, fatal=True))
        return facts
    if not regions:
        facts.problems.append(Problem(
            "not_a_report",
            "no standard 部门决算 table (公开01表 … 公开09表) found: not a final-accounts report",
            where, fatal=True))
        return facts
    for code in STANDARD_CODES:
        region = regions.get(code)
        if region is None or not (region.rows or region.declarations):
            # Never printed, or only named (a contents page, a mention in the text).
            facts.tables[code] = TableFact(code, None, "missing", None, None, None)
            continue
        table, problems = parse_region(region)
        if region.repeats:
            table, problems = _compare_copies(table, problems, region)
        facts.tables[code] = table
        facts.problems.extend(problems)
    if facts.unit_name is None:
        facts.problems.append(Problem("not_a_report", "no unit name (单位：…) found", where, True))
    if facts.fiscal_year is None:
        facts.problems.append(Problem("not_a_report", "no fiscal year (YYYY年度…决算) found",
                                      where, True))
    prose = [i for i in segments.others if isinstance(i, Paragraph)]
    facts.narrative = extract_narrative(prose, facts.fiscal_year)
    facts.evaluations, perf_problems = extract_evaluations(segments.others)
    facts.problems.extend(perf_problems)
    _check_completeness(facts, doc, _ends_in_table(doc, segments.others))
    # after the completeness check: a title's year is no 情况说明 (a truncated file has none)
    facts.narrative.extend(extract_statements(doc))
    return facts


def _figures(table: TableFact) -> list[tuple]:
    return sorted((c.row_code or "", c.row_key or "", c.row_label or "", c.column_group,
                   c.column_key or c.column_label, str(c.value_wan_yuan)) for c in table.cells)


def _compare_copies(table: TableFact, problems: list[Problem], region
                    ) -> tuple[TableFact, list[Problem]]:
    """A table printed more than once: identical copies are read once; copies that differ
    leave no way to tell which is right, so the table is unreadable and its identities
    indeterminate."""
    where = ", ".join(str(r.location) for r in region.repeats)
    name = f"公开{table.table_code}表"
    if all(_figures(parse_region(r)[0]) == _figures(table) for r in region.repeats):
        return table, [*problems, Problem(
            "repeated_table", f"{name} is printed {len(region.repeats) + 1} times with the same "
            f"figures (again at {where}); read once", region.location, fatal=False)]
    reason = (f"{name} is printed {len(region.repeats) + 1} times with different figures "
              f"(first at {region.location}, again at {where}); which copy is right is unknown")
    return (TableFact(table.table_code, table.title, "unreadable", table.declaration,
                      table.amount_unit, table.location, reason=reason),
            [*problems, Problem("repeated_table", reason, region.location, fatal=False)])


def _ends_in_table(doc: Document, others: list) -> bool:
    """Does the document stop inside one of the 9 tables (a file cut short)?"""
    last = doc.blocks[-1]
    last_item = last if isinstance(last, Paragraph) else last.rows[-1]
    return not (others and others[-1] is last_item)


def _last_location(doc: Document) -> Location:
    last = doc.blocks[-1]
    if isinstance(last, Paragraph):
        return last.location
    row: list[Cell] = last.rows[-1]
    return row[-1].location


def _check_completeness(facts: ReportFacts, doc: Document, ends_in_table: bool) -> None:
    missing = [c for c, t in facts.tables.items() if t.status == "missing"]
    if missing and doc.pages_without_text:
        pages = doc.pages_without_text
        span = ", ".join(str(p) for p in pages[:12]) + (" …" if len(pages) > 12 else "")
        facts.problems.append(Problem(
            "scanned_pdf",
            f"tables {', '.join('公开' + c + '表' for c in missing)} not found and pages {span} "
            f"have no text layer (scanned images?); OCR is not supported",
            Location(doc.file_name, page=pages[0]), fatal=True))
    elif missing and ends_in_table and not facts.narrative:
        facts.problems.append(Problem(
            "truncated",
            f"the report ends after {len(STANDARD_CODES) - len(missing)} of the 9 tables and "
            f"before the 情况说明: tables {', '.join('公开' + c + '表' for c in missing)} missing; "
            f"the file looks truncated",
            _last_location(doc), fatal=True))
    elif missing:
        facts.problems.append(Problem(
            "missing_table",
            f"tables not in the document: {', '.join('公开' + c + '表' for c in missing)}",
            Location(doc.file_name), fatal=False))
