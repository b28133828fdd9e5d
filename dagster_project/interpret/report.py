"""The one interpreter: a neutral Document in, ReportFacts out, whatever the source format."""

from __future__ import annotations

import re

from dagster_project.document import Cell, Document, Location, Paragraph
from dagster_project.interpret.facts import Problem, ReportFacts, TableFact
from dagster_project.interpret.layout import TABLE_KINDS, table_codes, table_name
from dagster_project.interpret.narrative import extract_narrative
from dagster_project.interpret.pairs import not_read, recode_by_header
from dagster_project.interpret.performance import extract_evaluations
from dagster_project.interpret.prior_year import extract_prior_year
from dagster_project.interpret.segment import merge_regions, segment
from dagster_project.interpret.statements import extract_statements
from dagster_project.interpret.tables import parse_region
from dagster_project.interpret.templates import template_of

_YEAR = re.compile(r"(20\d{2})\s*年度?")
# "单位：…", "部门名称：…", 烟台's "部门（单位）：…".
_UNIT_NAME = re.compile(
    r"^(?:金额|编制|填报|预算)?(?:单位|部门)(?:[（(](?:单位|部门)[)）])?(?:名称)?[:：]\s*(.+)$")
# The cover: "西南大学 2023 年度部门决算", "上海市普陀区财政局2024年度部门决算".
_NEXT_LABEL = re.compile(r"\s{2,}|(?<=.)(?=(?:金额)?单位[:：]|(?:编制|填报)日期|日期[:：]|"
                         r"保密审查情况|审查情况|(?:部门)?(?:主要)?负责人审签|审签情况|联系人|联系电话)")
_COVER = re.compile(r"^(.{2,40}?)\s*(?:20\d{2})\s*年度?\s*(?:部门|单位)(?:综合)?(?:决算|预算)")
# A cover printed over two lines: the name, then "2026年度部门预算信息公开".
_COVER_TITLE = re.compile(r"^(?:20\d{2}\s*)?年度?\s*(?:部门|单位)(?:综合)?(?:决算|预算)")
# The year first: "2026年烟台市商务局部门预算", "2018年度江苏省高级人民法院预算公开".
_COVER_YEAR_FIRST = re.compile(
    r"^20\d{2}\s*年度?\s*(.{4,40}?)(?:部门|单位)?(?:综合)?(?:决算|预算)(?:信息)?(?:公开)?$")
_COVER_NAME_YEAR = re.compile(r"^(\S.{3,40}?)\s*20\d{2}\s*年度?$")
_COVER_KIND = re.compile(r"^(?:部门|单位)(?:综合)?(?:决算|预算)$")
# 项目 only as a label ("项目", "项目支出"), never inside a name (北京市重大项目建设指挥部办公室).
_NOT_A_NAME = re.compile(r"收入|支出|合计|总计|预算|科目|^项目|项目$|金额|编码|代码|^第.{1,3}部分|目录|"
                         r"说明")
_NAME_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{4,40}$")
_ATTACHED_TABLES = re.compile(
    r"^(?:详)?见?附件\d?[:：].{2,60}(预算|决算)(公开)?(报表|表格?)$|^具体公开表样附后$"
    r"|^.{0,30}(公开表|表样)附后。?$")
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
            # The name ends at a wide gap or where the next label of the line begins; 西安
            # marks the department's consolidated figures "西安市审计局（汇总）": the
            # department is 西安市审计局.
            return re.sub(r"[（(]汇总[)）]$", "", _NEXT_LABEL.split(name)[0].strip())
    for text, _loc in texts:
        m = _OVERVIEW.search(text)
        if m and m.group(1).strip() not in ("单位", "部门", "本单位", "本部门"):
            return m.group(1).strip()
    for i, (text, _loc) in enumerate(texts[:40]):
        m = _COVER.match(text.strip())
        if m and not _NOT_A_NAME.search(m.group(1)):
            # "北京市信访办公室部门2026年度部门预算": the name, not its 部门.
            return re.sub(r"(?<=.{4})部门$", "", re.sub(r"\s+", "", m.group(1)))
        m = _COVER_YEAR_FIRST.match(text.strip())
        name = re.sub(r"\s+", "", m.group(1)) if m else ""
        if m and _NAME_LINE.match(name) and not _NOT_A_NAME.search(name):
            return name
        m = _COVER_NAME_YEAR.match(text.strip())
        if m and i + 1 < len(texts) and re.match(r"(?:部门|单位)(?:综合)?(?:决算|预算)",
                                                 texts[i + 1][0].strip()):
            # "北京市文化和旅游局2026年度" over "部门预算信息公开".
            name = re.sub(r"\s+", "", m.group(1))
            if _NAME_LINE.match(name) and not _NOT_A_NAME.search(name):
                return name
        if i and _COVER_TITLE.match(text.strip()):
            name = re.sub(r"\s+", "", texts[i - 1][0])
            if _NAME_LINE.match(name) and not _NOT_A_NAME.search(name):
                return name
        if i and _COVER_KIND.match(text.strip()):
            # "2026年度 / 福州经济技术开发区生态 / 环境局 / 单位预算": the name wraps between
            # the year and the kind.
            # "2026年度福州市民政局(本级) / 单位预算": the year and the name on one line.
            m = re.fullmatch(r"\s*20\d{2}\s*年度?\s*(\S.{3,40})", texts[i - 1][0])
            name = re.sub(r"\s+", "", m.group(1)) if m else ""
            if m and _NAME_LINE.match(name) and not _NOT_A_NAME.search(name):
                return name
            parts = []
            for previous, _ in reversed(texts[max(0, i - 4):i]):
                if re.fullmatch(r"\s*20\d{2}\s*年度?\s*", previous):
                    name = "".join(reversed(parts))
                    if _NAME_LINE.match(name) and not _NOT_A_NAME.search(name):
                        return name
                    break
                parts.append(re.sub(r"\s+", "", previous))
    # Last: a 部门名称 | name pair in a table (北京's 部门整体支出绩效目标表 in a file of tables only).
    for (label, _loc), (value, _vloc) in zip(texts, texts[1:], strict=False):
        name = re.sub(r"\s+", "", value)
        if re.fullmatch(r"(?:部门|单位)名称[:：]?|预算单位[:：]?", label.strip()) \
                and _NAME_LINE.match(name) and not _NOT_A_NAME.search(name):
            return name
    return None


def _fiscal_year(texts: list[tuple[str, Location]], phase: str) -> int | None:
    """The year of the title: the first year on a line that names the phase (决算 / 预算)."""
    for text, _loc in texts:
        if phase in text:
            m = _YEAR.search(text)
            if m:
                return int(m.group(1))
    for i, (text, _loc) in enumerate(texts[:10]):
        # A cover title set apart: "年部门预算情况说明" with its "2026" on the next line.
        if re.fullmatch(r"\s*20\d{2}\s*", text) and any(
                t.strip().startswith("年") and phase in t for t, _ in texts[max(0, i - 1):i + 2]):
            return int(text)
    for text, _loc in texts:
        # A title's year on a line of its own: "（2026年度）" under 北京's 绩效目标表 title.
        m = re.fullmatch(r"\s*[（(]\s*(20\d{2})\s*年度?\s*[)）]\s*", text)
        if m:
            return int(m.group(1))
    return None


# How a document names itself: 部门决算 / 单位预算 …, or its tables (预算01表, 决算01表).
_KIND = re.compile(r"(部门|单位)(?:综合)?(预算|决算)|^(预算|决算)\s*\d{1,2}\s*表")


def document_kind(texts: list[tuple[str, Location]]) -> str | None:
    """部门预算, 单位预算, 部门决算 or 单位决算, as the document first calls itself (its cover and
    title, or its tables: 预算01表); None when it never says. File names lie: the text decides.
    "预算单位：…" (the unit's label) is not a kind."""
    for text, _loc in texts[:60]:
        m = _KIND.search(text)
        if not m:
            continue
        if m.group(3):
            phase, scope = m.group(3), None
        else:
            scope, phase = m.group(1), m.group(2)
        if phase == "预算":
            return f"{scope or '部门'}预算"
        break
    else:
        return None
    # A 决算 names itself 部门决算 somewhere on its cover or in its contents.
    for text, _loc in texts[:200]:
        if "单位决算" in text and "部门决算" not in text:
            return "单位决算"
        if "部门决算" in text:
            return "部门决算"
    return "部门决算"


def phase_of(kind: str) -> str:
    """预算 (the budget approved in spring) or 决算 (the final accounts of the year)."""
    return kind[-2:]


def interpret(doc: Document) -> ReportFacts:
    texts = _texts(doc)
    subordinate = next((int(m.group(1)) for t, _ in texts if (m := _SUBORDINATE.search(t))), None)
    kind = document_kind(texts)
    where = Location(doc.file_name)
    segments = None
    if kind is None:
        # No title says which document this is: the tables' own titles do (支出决算表 or
        # 支出预算总表): the phase whose titles name more tables, 决算 on a tie as before.
        best = 0
        for phase in ("决算", "预算"):
            found = segment(doc, phase)
            titled = sum(1 for r in merge_regions(found.regions).values() if r.title)
            if titled > best:
                kind, segments, best = f"部门{phase}", found, titled
    phase = phase_of(kind) if kind else "决算"
    facts = ReportFacts(
        file_name=doc.file_name,
        sha256=doc.sha256,
        file_format=doc.format,
        encoding=doc.encoding,
        pages=doc.pages,
        unit_name=_unit_name(texts),
        fiscal_year=_fiscal_year(texts, phase),
        report_kind=kind,
        subordinate_units=subordinate,
    )
    segments = segments or segment(doc, phase)
    regions = recode_by_header(merge_regions(segments.regions), phase)
    if not regions and doc.pages_without_text:
        pages = doc.pages_without_text
        facts.problems.append(Problem(
            "scanned_pdf",
            f"no standard table found and {len(pages)} of {doc.pages} pages have no text layer "
            f"(first: p.{pages[0]}; scanned images?); OCR is not supported",
            Location(doc.file_name, page=pages[0]), fatal=True))
        return facts
    if kind is None:
        facts.problems.append(Problem(
            "unknown_document_kind",
            "the document does not say which document it is (部门预算, 单位预算, 部门决算 or "
            "单位决算 in its title) and prints none of their tables", where, fatal=True))
        return facts
    if not regions:
        attachment = _attachment(texts)
        if attachment is not None:
            # 北京 publishes the 情况说明 and the tables as two files (附件1, 附件2): this file is
            # one part of a report, loaded with the file that holds its tables (grouped by unit,
            # year and kind: ingest.attach_parts), or named as waiting for it.
            facts.tables_elsewhere = attachment[0][:120]
            if facts.unit_name is None:
                # No cover: the sentence names the unit ("附件：北京市人民政府办公厅2026年度部门
                # 预算报表").
                m = re.search(r"[:：](.{4,40}?)(?:部门)?20\d{2}\s*年", attachment[0])
                name = re.sub(r"\s+", "", m.group(1)) if m else ""
                if m and _NAME_LINE.match(name) and not _NOT_A_NAME.search(name):
                    facts.unit_name = name
            facts.problems.append(Problem(
                "tables_in_other_file",
                f"a {kind} whose tables are not in this file: it says they are in another "
                f"({attachment[0][:60]})", attachment[1], fatal=False, severity="info"))
            # Loaded alone (the other file not collected), its tables are indeterminate, never
            # missing nor zero: the document has them, elsewhere.
            for code in table_codes(phase):
                if TABLE_KINDS[code].required:
                    facts.tables[code] = TableFact(
                        code, None, "unreadable", None, None, attachment[1],
                        reason=f"in another file ({attachment[0][:60]}), not read with this one",
                        required=True)
            _require_identity(facts, where, phase)
            return facts
        names = "公开01表 … 公开09表" if phase == "决算" else "收支总表, 收入总表, 支出总表 …"
        facts.problems.append(Problem(
            "not_a_report",
            f"a {kind} with no standard table ({names}) found in it", where, fatal=True))
        return facts
    for code in table_codes(phase):
        region = regions.get(code)
        if region is None or not (region.rows or region.declarations):
            # Never printed, or only named (a contents page, a mention in the text).
            facts.tables[code] = TableFact(code, None, "missing", None, None, None)
            continue
        other = not_read(code, phase)
        if other is not None:
            # A table the registry knows and does not read, with why (西安's 支出总表 by unit
            # and funding source): declared as what it is, never an unreadable table.
            facts.tables[code] = TableFact(code, region.title, "declared_other", None, None,
                                           region.location, reason=other)
            continue
        table, problems = parse_region(region)
        if region.repeats:
            table, problems = _compare_copies(table, problems, region)
        facts.tables[code] = table
        facts.problems.extend(problems)
    _apply_template(facts, phase)
    _require_identity(facts, where, phase)
    prose = [i for i in segments.others if isinstance(i, Paragraph)]
    if phase == "决算":
        # The 情况说明 of a 决算; a budget's prose is read only for what it says of last year.
        facts.narrative = extract_narrative(prose, facts.fiscal_year, facts.problems)
    # a 决算's 绩效自评表, a budget's 绩效目标表
    facts.evaluations, perf_problems = extract_evaluations(segments.others, phase)
    facts.problems.extend(perf_problems)
    # what the prose says of last year's document, as the registry words it for this phase
    facts.narrative.extend(extract_prior_year(prose, phase, facts.problems))
    _check_completeness(facts, doc, _ends_in_table(doc, segments.others), phase)
    if phase == "决算":
        # after the completeness check: a title's year is no 情况说明 (a truncated file has none)
        facts.narrative.extend(extract_statements(doc))
    return facts


def _apply_template(facts: ReportFacts, phase: str) -> None:
    """Which tables the document must print, by the template its printed tables identify. A
    table the template has but does not require (政府性基金 where the unit has none), not
    printed, is not recorded: nothing expects it. A table the template does not have at all
    (the 教育部 template's 决算 has no 财政拨款收入支出决算总表) is recorded as missing and not
    required: no finding says it is missing, and an identity that needs it is indeterminate,
    never read as 0."""
    printed = {c for c, t in facts.tables.items() if t.status != "missing"}
    template = template_of(phase, printed, {c: facts.tables[c].title for c in printed})
    facts.template = template.name
    for code in list(facts.tables):
        if code in template.tables - template.required and code not in printed:
            del facts.tables[code]
            continue
        facts.tables[code].required = code in template.required
        if code not in template.tables and code not in printed:
            facts.tables[code].reason = f"the {template.name} template prints no such table"


def _attachment(texts: list[tuple[str, Location]]) -> tuple[str, Location] | None:
    """The sentence saying the tables are in another file ("附件：某某局2026年度部门预算报表"),
    also when it wraps onto a second line ("…2026年度部" / "门预算报表")."""
    for i, (text, loc) in enumerate(texts):
        t = text.strip()
        if _ATTACHED_TABLES.search(t):
            return t, loc
        if re.match(r"^(?:详)?见?附件\d?[:：]", t) and i + 1 < len(texts):
            joined = t + texts[i + 1][0].strip()
            if _ATTACHED_TABLES.search(joined):
                return joined, loc
    return None


def _require_identity(facts: ReportFacts, where: Location, phase: str) -> None:
    """A report is known by its unit and year (and kind): without them it cannot be loaded,
    nor a part of it grouped with the others."""
    if facts.unit_name is None:
        facts.problems.append(Problem("not_a_report", "no unit name (单位：…) found", where, True))
    if facts.fiscal_year is None:
        facts.problems.append(Problem("not_a_report", f"no fiscal year (YYYY年度…{phase}) found",
                                      where, True))


def _figures(table: TableFact) -> list[tuple]:
    return sorted((c.row_code or "", c.row_key or "", c.row_label or "", c.column_group,
                   c.column_key or c.column_label, str(c.value_wan_yuan)) for c in table.cells)


def _compare_copies(table: TableFact, problems: list[Problem], region
                    ) -> tuple[TableFact, list[Problem]]:
    """A table printed more than once: identical copies are read once; copies that differ
    leave no way to tell which is right, so the table is unreadable and its identities
    indeterminate."""
    where = ", ".join(str(r.location) for r in region.repeats)
    name = table_name(table.table_code)
    if all(_figures(parse_region(r)[0]) == _figures(table) for r in region.repeats):
        return table, [*problems, Problem(
            "repeated_table", f"{name} is printed {len(region.repeats) + 1} times with the same "
            f"figures (again at {where}); read once", region.location, fatal=False,
            severity="info")]
    reason = (f"{name} is printed {len(region.repeats) + 1} times with different figures "
              f"(first at {region.location}, again at {where}); which copy is right is unknown")
    return (TableFact(table.table_code, table.title, "unreadable", table.declaration,
                      table.amount_unit, table.location, reason=reason),
            [*problems, Problem("repeated_table", reason, region.location, fatal=False)])


def _ends_in_table(doc: Document, others: list) -> bool:
    """Does the document stop inside one of its tables (a file cut short)?"""
    last = doc.blocks[-1]
    last_item = last if isinstance(last, Paragraph) else last.rows[-1]
    return not (others and others[-1] is last_item)


def _last_location(doc: Document) -> Location:
    last = doc.blocks[-1]
    if isinstance(last, Paragraph):
        return last.location
    row: list[Cell] = last.rows[-1]
    return row[-1].location


def _check_completeness(facts: ReportFacts, doc: Document, ends_in_table: bool,
                        phase: str = "决算") -> None:
    missing = [c for c, t in facts.tables.items() if t.status == "missing" and t.required]
    required = sum(1 for t in facts.tables.values() if t.required)
    names = ", ".join(table_name(c) for c in missing)
    if missing and doc.pages_without_text:
        pages = doc.pages_without_text
        span = ", ".join(str(p) for p in pages[:12]) + (" …" if len(pages) > 12 else "")
        facts.problems.append(Problem(
            "scanned_pdf",
            f"tables {names} not found and pages {span} "
            f"have no text layer (scanned images?); OCR is not supported",
            Location(doc.file_name, page=pages[0]), fatal=True))
    elif missing and ends_in_table and not facts.narrative and phase == "决算":
        facts.problems.append(Problem(
            "truncated",
            f"the report ends after {required - len(missing)} of the {required} tables and "
            f"before the 情况说明: tables {names} missing; "
            f"the file looks truncated",
            _last_location(doc), fatal=True))
    elif missing:
        facts.problems.append(Problem(
            "missing_table",
            f"tables not in the document: {names}",
            Location(doc.file_name), fatal=False))
