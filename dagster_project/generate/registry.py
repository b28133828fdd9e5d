"""The classification registries the generator draws codes and names from."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache

from dagster_project.config import PROJECT_ROOT

REFERENCE = PROJECT_ROOT / "seeds" / "reference"

# 项 too specific to a kind of unit to pick at random (lotteries, land compensation) ...
EXCLUDED_ITEMS = {"2296008", "2120801"}
# ... but paid from government funds by some units of a kind: 款 of the unit -> fund 项.
GOV_FUND_ITEMS = {"21401": "2120801", "20106": "2296008"}


@dataclass
class Sector:
    kuan: str  # the 款 a unit of this kind runs on
    running_item: str  # its 行政运行 / 事业运行 项
    project_items: list[str] = field(default_factory=list)


@dataclass
class Registry:
    names: dict[str, str]  # code -> name, 类/款/项
    items: list[str]  # every 项
    sectors: list[Sector]
    economic: dict[str, list[tuple[str, str]]]  # 类 -> [(款 code, name)] in registry order
    economic_names: dict[str, str]

    def path(self, item: str) -> str:
        """'类名/款名/项名' as the 情况说明 item sentences and the audit name it."""
        return "/".join(self.names[c] for c in (item[:3], item[:5], item))


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def load() -> Registry:
    functions = _rows("function_codes.csv")
    names = {r["function_code"]: r["function_name"] for r in functions}
    items = sorted(r["function_code"] for r in functions
                   if r["function_level"] == "3" and r["function_code"] not in EXCLUDED_ITEMS)
    sectors = []
    for kuan in sorted({i[:5] for i in items}):
        children = [i for i in items if i[:5] == kuan]
        running = next((i for i in children if names[i] in ("行政运行", "事业运行")), None)
        if running is None or kuan[:3] in ("208", "210", "221"):
            continue
        # The 情况说明 names a 项 as '类名（类）款名（款）项名（项）': a name with brackets of its
        # own (政府办公厅（室）…) cannot be read back from that sentence.
        if any(b in names[c] for c in [kuan[:3], kuan, *children] for b in "（("):
            continue
        others = [i for i in children if i != running and names[i] not in ("事业运行",)]
        if others:
            sectors.append(Sector(kuan, running, others))
    economic: dict[str, list[tuple[str, str]]] = {}
    economic_names = {}
    for r in _rows("economic_codes.csv"):
        economic_names[r["economic_code"]] = r["economic_name"]
        if r["economic_level"] == "2":
            economic.setdefault(r["parent_code"], []).append((r["economic_code"], r["economic_name"]))
    return Registry(names, items, sectors, economic, economic_names)
