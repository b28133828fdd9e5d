"""When two files name one unit differently: the comparison form of a unit's name.

A department publishing its budget as several files may name itself one way in the 情况说明
(江苏省委办公厅) and another in the file of tables (中共江苏省委办公厅, 中国共产党江苏省委员会
办公厅). The general abbreviation rules of Chinese unit names (中共 = 中国共产党, 省委 = 省委员会
…) live in the registry `seeds/reference/unit_name_abbreviations.csv`, never a list of units:
two names are one unit when their comparison forms are equal. Used to group the parts of one
report; the name each file prints is what is stored.
"""

from __future__ import annotations

import csv
import re
from functools import cache

from dagster_project.config import PROJECT_ROOT

_REGISTRY = PROJECT_ROOT / "seeds" / "reference" / "unit_name_abbreviations.csv"


@cache
def _rules() -> list[tuple[re.Pattern[str], str]]:
    with _REGISTRY.open(encoding="utf-8") as f:
        return [(re.compile(r["pattern"]), r["replacement"]) for r in csv.DictReader(f)]


def comparison_form(name: str | None) -> str | None:
    """The name with the registry's abbreviation rules applied in order, spaces removed."""
    if name is None:
        return None
    form = re.sub(r"\s+", "", name)
    for pattern, replacement in _rules():
        form = pattern.sub(replacement, form)
    return form


def same_unit(a: str | None, b: str | None) -> bool:
    return a is not None and comparison_form(a) == comparison_form(b)
