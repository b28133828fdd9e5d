"""What a budget's prose says of last year's budget (issue 12 item 5): "财政拨款收入18,976.76万元，
比2024年预算增加3,355.65万元", "“三公”经费预算数为37.91万元，比2024年预算减少10万元".

Which sentences, and which figure of last year's budget each restates, is the registry's
(seeds/reference/prior_year_statements.csv: a subject, the words that open its sentence, the
table, row and column last year's budget prints it in); adding a place's wording is adding a
line. Each statement becomes two facts of kind `prior_year`: this year's `amount` and the
`change_amount` on last year (direction increase / decrease / flat: 持平 is a change of 0), or
last year's figure itself (`prior_amount`, "上年预算数为…"). Y.prior_total checks the figure they
imply against last year's budget, and is indeterminate when that budget is not loaded.
"""

from __future__ import annotations

import csv
import re
from functools import cache

from dagster_project.config import PROJECT_ROOT
from dagster_project.document import Paragraph
from dagster_project.interpret.facts import NarrativeFact, Problem
from dagster_project.interpret.narrative import AMT, DIRECTION_WORDS, Emitter, clean_text

REGISTRY = PROJECT_ROOT / "seeds" / "reference" / "prior_year_statements.csv"
# '…万元，比2024年预算增加3,355.65万元' / '…万元。比2024年预算持平' / '比上年预算减少…'
_ON_LAST_YEAR = (r"\s*[，,。；;]?\s*(?:比|较)\s*(?:20\d\d\s*年度?|上年度?)\s*(?:预算|年初预算)数?"
                 r"\s*(增加|减少|持平)\s*(?:" + AMT + r")?")
_PRIOR_STATED = r"[^。；;]{0,12}?上年(?:预算)?数?为?\s*" + AMT


@cache
def _statements(phase: str) -> list[tuple[str, re.Pattern, re.Pattern]]:
    with REGISTRY.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["document_phase"] == phase]
    return [(r["subject"],
             re.compile("(?:" + r["sentence_pattern"] + r")\s*" + AMT + _ON_LAST_YEAR),
             re.compile("(?:" + r["sentence_pattern"] + r")\s*" + AMT + _PRIOR_STATED))
            for r in rows]


def extract_prior_year(paragraphs: list[Paragraph], phase: str,
                       problems: list[Problem] | None = None) -> list[NarrativeFact]:
    """The registry's statements on last year in a document's prose, each located at its
    paragraph; the first statement of a subject counts (a summary restated later is the same)."""
    facts: list[NarrativeFact] = []
    seen: set[str] = set()
    for p in paragraphs:
        text = clean_text(p.text)
        if "上年" not in text and not re.search(r"比\s*20\d\d\s*年", text):
            continue
        e = Emitter(None, p.text, p.location, problems)
        for subject, change, prior in _statements(phase):
            if subject in seen:
                continue
            m = change.search(text)
            if m:
                direction = DIRECTION_WORDS[m.group(2)]
                e.amount("prior_year", subject, "amount", m.group(1))
                if direction == "flat":  # no change: 0, printed as precisely as the amount
                    places = len(m.group(1).split(".")[1]) - 2 if "." in m.group(1) else 0
                    zero = "0." + "0" * places if places else "0"
                    e.amount("prior_year", subject, "change_amount", zero + "万元",
                             direction=direction)
                else:
                    e.amount("prior_year", subject, "change_amount", m.group(3),
                             direction=direction)
                seen.add(subject)
                continue
            m = prior.search(text)
            if m:
                e.amount("prior_year", subject, "amount", m.group(1))
                e.amount("prior_year", subject, "prior_amount", m.group(2))
                seen.add(subject)
        facts.extend(e.facts)
    return facts
