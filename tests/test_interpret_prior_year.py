"""What a budget's prose says of last year's budget, read as the registry words it
(seeds/reference/prior_year_statements.csv), on the real 上海 万里街道 2025 budget
(tests/fixtures/budgets): figures read by hand from its p.6 and p.30."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest

from dagster_project.document import Paragraph
from dagster_project.interpret.report import interpret
from dagster_project.readers.pdf import read_pdf

WANLI_2025 = Path(__file__).resolve().parent / "fixtures" / "budgets" / "shanghai-putuo-wanli-2025.pdf"


@pytest.fixture(scope="module")
def doc():
    return read_pdf(WANLI_2025)


def _stated(facts) -> dict[str, tuple]:
    by_subject: dict[str, dict] = {}
    for f in facts.narrative:
        if f.fact_kind == "prior_year":
            by_subject.setdefault(f.subject, {})[f.metric] = f
    return {s: (m["amount"].amount_wan_yuan, m["change_amount"].amount_wan_yuan,
                m["change_amount"].direction, str(m["amount"].location).split(":")[1])
            for s, m in by_subject.items()}


def test_the_budgets_statements_on_last_year(doc):
    assert _stated(interpret(doc)) == {
        # p.6: 财政拨款收入18,976.76万元，比2024年预算增加3,355.65万元 (and the same for the
        # 一般公共预算拨款支出预算)
        "财政拨款收入": (D("18976.76"), D("3355.65"), "increase", "p.6"),
        "一般公共预算拨款支出预算": (D("18976.76"), D("3355.65"), "increase", "p.6"),
        # p.30: “三公”经费预算数为37.91万元，比2024年预算减少10万元, and its parts
        "“三公”经费预算数": (D("37.91"), D("10"), "decrease", "p.30"),
        "因公出国（境）费": (D("0"), D("0"), "flat", "p.30"),
        "公务用车购置及运行费": (D("36.56"), D("10"), "decrease", "p.30"),
        "公务用车购置费": (D("15"), D("10"), "decrease", "p.30"),
        "公务用车运行费": (D("21.56"), D("0.00"), "flat", "p.30"),
        "公务接待费": (D("1.35"), D("0.00"), "flat", "p.30"),
    }


def test_a_sentence_without_a_change_on_last_year_is_not_read(doc):
    # the 三公 sentence with its comparison removed says nothing of 2024
    blocks = list(doc.blocks)
    at = next(i for i, b in enumerate(blocks)
              if isinstance(b, Paragraph) and "“三公”经费预算数为37.91万元，比2024年预算减少10万元" in b.text)
    blocks[at] = replace(blocks[at], text=blocks[at].text.replace("，比2024年预算减少10万元", ""))
    stated = _stated(interpret(replace(doc, blocks=blocks)))
    assert "“三公”经费预算数" not in stated and "财政拨款收入" in stated
