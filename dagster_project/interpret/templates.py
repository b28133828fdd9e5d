"""Which tables a document must print: its template, decided from the tables it prints.

The registry `seeds/reference/document_templates.csv` lists each template's tables, which of
them it requires, and the tables that identify it (`identifies`). A document's template is
the most specific one that fits what it prints: every table it prints is one of the
template's, and every table identifying the template is printed (the university's four
tables: 财政拨款支出预算表 printed, and none of the local template's 财政拨款收支总表,
一般公共预算 or 三公 tables). A phase's template with no identifying table holds every table of
the phase and fits any document: it is the default. A document missing a required table is
still judged by the template its other tables identify, never by a smaller one that would
excuse the gap: only identifying tables choose a template.
"""

from __future__ import annotations

import csv
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
                     frozenset(r["table_code"] for r in rs if r["identifies"] == "1"))
            for name, rs in rows.items()]


def template_of(phase: str, printed: set[str]) -> Template:
    """The most specific template that fits the tables a document prints (see the module)."""
    fitting = [t for t in templates(phase) if printed <= t.tables and t.marks <= printed]
    default = [t for t in templates(phase) if not t.marks]
    return max(fitting or default, key=lambda t: len(t.marks))
