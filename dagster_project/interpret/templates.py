"""Which tables a document must print: its template, decided from the tables it prints.

The registry `seeds/reference/document_templates.csv` lists each template's tables, which of
them it requires, and the tables that identify it (`identifies`), each optionally with the
words its printed title must say (`title_mark`, a regular expression searched in the title as
printed). A document's template is the most specific one that fits what it prints: every
table it prints is one of the template's, and every table identifying the template is printed
(under a title that says what `title_mark` asks: the university's 决算 prints its 财政拨款 table
as 财政拨款支出决算表, for every fund, where the 2015 template prints 一般公共预算财政拨款支出
决算表). A phase's template with no identifying table holds every table of the phase and fits
any document: it is the default. A document missing a required table is still judged by the
template its other tables identify, never by a smaller one that would excuse the gap: only
identifying tables choose a template.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from dagster_project.config import PROJECT_ROOT


@dataclass(frozen=True)
class Template:
    name: str
    phase: str
    tables: frozenset[str]
    required: frozenset[str]
    marks: frozenset[str]
    # An identifying table's title words: (table code, pattern) pairs.
    title_marks: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def is_marked_by(self, printed: set[str], titles: dict[str, str | None]) -> bool:
        """Are its identifying tables printed, each under a title saying its mark?"""
        return self.marks <= printed and all(
            pattern.search((titles.get(code) or "").replace(" ", ""))
            for code, pattern in self.title_marks)


@cache
def templates(phase: str) -> list[Template]:
    rows: dict[str, list[dict]] = {}
    path = PROJECT_ROOT / "seeds" / "reference" / "document_templates.csv"
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["document_phase"] == phase:
                rows.setdefault(row["template"], []).append(row)
    return [Template(name, phase, frozenset(r["table_code"] for r in rs),
                     frozenset(r["table_code"] for r in rs if r["required"] == "1"),
                     frozenset(r["table_code"] for r in rs if r["identifies"] == "1"),
                     tuple((r["table_code"], re.compile(r["title_mark"])) for r in rs
                           if r["identifies"] == "1" and r.get("title_mark")))
            for name, rs in rows.items()]


def template_of(phase: str, printed: set[str],
                titles: dict[str, str | None] | None = None) -> Template:
    """The most specific template that fits the tables a document prints (see the module);
    `titles` are the printed titles of those tables, by code."""
    titles = titles or {}
    fitting = [t for t in templates(phase)
               if printed <= t.tables and t.is_marked_by(printed, titles)]
    default = [t for t in templates(phase) if not t.marks]
    return max(fitting or default, key=lambda t: len(t.marks) + len(t.title_marks))
