"""What the seed says about itself (interpret/statements.py), read by hand from the text: the
unit every title and header names, the year of every title and dated statement, the funds it
says it had none of. The audit judges them (tests/test_audit_statements.py)."""

from __future__ import annotations

from dagster_project.interpret.report import interpret
from dagster_project.interpret.statements import extract_statements
from dagster_project.readers.text import read_text


def _by_line(facts, kind):
    return {(f.location.line, f.subject, f.metric) for f in facts if f.fact_kind == kind}


def test_units_named_by_headings_and_headers(seed_path):
    facts = extract_statements(read_text(seed_path))
    named = _by_line(facts, "named_unit")
    assert (1, "武汉市蔡甸区总工会本级", "heading") in named  # 第一部分 …概况
    assert (1846, "武汉市蔡甸区总工会", "heading") in named  # 第三部分 …2024年度
    assert (37, "武汉市蔡甸区总工会本级", "table_header") in named  # 单位：… (公开01表)
    # 单位名称：蔡甸区总工会             填报日期：2025.4.9 (绩效自评表): the name ends at the gap
    assert (2086, "蔡甸区总工会", "table_header") in named
    # nine tables print 单位：…, three 绩效自评表 单位名称：…, two part headings
    assert len(named) == 14
    assert _by_line(facts, "member_unit") == {(30, "武汉市蔡甸区总工会本级", "member")}


def test_years_of_titles_and_statements(seed_path):
    facts = extract_statements(read_text(seed_path))
    years = {(f.location.line, int(f.count_value), f.metric) for f in facts
             if f.fact_kind == "named_year"}
    assert (274, 2024, "fiscal_year") in years  # 2024年度收入决算表
    assert (1851, 2024, "fiscal_year") in years and (1851, 2023, "prior_year") in years
    assert (1951, 2024, "fiscal_year") in years  # 截至2024年12月31日
    # 填报日期：2025.4.9 is a date of filing, not a year the report is about
    assert all(y in (2023, 2024) for _, y, _ in years)
    assert {y for _, y, m in years if m == "prior_year"} == {2023}


def test_no_funds_sentences(seed_path):
    facts = extract_statements(read_text(seed_path))
    assert _by_line(facts, "no_funds") == {(1924, "07", "declared"), (1927, "08", "declared")}


def test_statements_come_after_the_narrative_and_leave_it_unchanged(seed_path):
    facts = interpret(read_text(seed_path))
    kinds = [f.fact_kind for f in facts.narrative]
    first = kinds.index("named_unit")
    said = {"named_unit", "named_year", "no_funds", "member_unit", "comparison"}
    assert not said & set(kinds[:first - 1])
    assert all(k in said for k in kinds[first:])


def test_comparison_words(seed_path):
    # The seed states its change on last year as amount and rate five times (L1851, 1854, 1858,
    # 1861, 1869: 减少18.10万元，下降3.3%); its 三公 sentence (L1932) compares no figures in words.
    facts = extract_statements(read_text(seed_path))
    said = {(f.location.line, f.subject, f.metric, f.direction) for f in facts
            if f.fact_kind == "comparison"}
    assert said == {(n, "较上年增减", "amount_vs_rate", "decrease/decrease")
                    for n in (1851, 1854, 1858, 1861, 1869)}


def test_three_public_comparisons_name_their_part(tmp_path):
    # Sentences as 佛山 2019 (p.26) and 国家信访局 2024 (p.24) print them, and one about a part;
    # "决算为X万元，完成预算的Y%" compares in figures, not words, and is not a comparison word.
    report = tmp_path / "r.txt"
    report.write_text("\n".join([
        "2019 年度“三公”经费支出决算大于预算数的主要情况：我局为2019年新成立单位。",
        "公务接待费支出决算数小于预算数，主要原因是厉行节约。",
        "其中：因公出国（境）费支出决算为4.69万元，完成预算的15.63%。",
        "机关运行经费支出2266.65万元，比2023年度决算数增加318.58万元，增长16.35%。",
    ]) + "\n", "utf-8")
    said = {(f.location.line, f.subject, f.metric, f.direction)
            for f in extract_statements(read_text(report)) if f.fact_kind == "comparison"}
    assert said == {(1, "total", "vs_budget", "above"), (2, "reception", "vs_budget", "below"),
                    (4, "较上年增减", "amount_vs_rate", "increase/increase")}
