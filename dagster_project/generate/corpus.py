"""Plan a corpus (units, departments, years), build and print every report, write the files.

Layout of the output folder:

    DIR/reports/<nnnnn>-<role>-<year>.txt   the reports (`juesuan run --reports DIR/reports`)
    DIR/unit_hierarchy.csv                  departments and their members, the columns of
                                            seeds/reference/unit_hierarchy.csv
                                            (`juesuan run --hierarchy DIR/unit_hierarchy.csv`)
    DIR/manifest.csv, DIR/manifest.json     every injected error (empty without injections)
    DIR/units.csv                           every report: file, unit, year, role, department

With --format pdf the reports are text-layer PDFs (`pdf_render.py`) in the named layouts of
`layouts.py`, and two more files hold the truth the fidelity benchmark compares with:

    DIR/cells.csv                           every printed value cell of the 9 tables: file,
                                            table, row and column keys, printed text, value
    DIR/tables.csv                          every report's layout and the status a reader
                                            should give each table (present | declared_empty)

Everything is derived from --seed: the same arguments write the same bytes.
"""

from __future__ import annotations

import csv
import json
import os
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dagster_project.generate.inject import MANIFEST_FIELDS, Injection, inject
from dagster_project.generate.layouts import Layout
from dagster_project.generate.model import (
    GENERIC_CORES,
    PROJECT_CORES,
    UnitPlan,
    UnitYear,
    build,
    consolidate,
)
from dagster_project.generate.registry import GOV_FUND_ITEMS, Registry, load
from dagster_project.generate.render import render

CITIES = ["武汉市", "宜昌市", "襄阳市", "荆州市", "上海市", "南京市", "苏州市", "杭州市", "宁波市",
          "合肥市", "福州市", "厦门市", "南昌市", "济南市", "青岛市", "郑州市", "长沙市", "广州市",
          "佛山市", "南宁市", "成都市", "重庆市", "贵阳市", "昆明市", "西安市", "兰州市", "太原市",
          "石家庄市", "沈阳市", "长春市"]
DISTRICTS = ["", "东湖区", "西城区", "南湖区", "北塘区", "江岸区", "蔡甸区", "普陀区", "高新区",
             "新城区", "滨江区", "青山区", "城关区", "开发区", "临江区", "河西区", "望城区", "花溪区",
             "龙泉区", "金水区"]
AGENCIES = {
    "20106": ["财政局"],
    "20129": ["总工会", "妇女联合会", "残疾人联合会", "科学技术协会", "工商业联合会", "共青团委员会"],
    "20140": ["信访局"],
    "21401": ["交通运输局", "公路事业发展中心", "港航事业发展中心"],
}
MEMBER_SUFFIXES = ["机关服务中心", "信息中心", "事务服务中心", "培训中心", "档案馆", "综合保障中心",
                   "宣传教育中心", "执法大队"]


@dataclass
class Entity:
    """A reporting entity: one report per year."""

    plan: UnitPlan | None  # None for a department's consolidated report
    name: str
    role: str  # 独立 | 部门 | 本级 | 下属单位
    department: str | None = None
    members: list[Entity] = field(default_factory=list)


def _name(i: int) -> tuple[str, int]:
    """A unique place for the i-th agency of its kind."""
    place = CITIES[i % len(CITIES)] + DISTRICTS[(i // len(CITIES)) % len(DISTRICTS)]
    round_ = i // (len(CITIES) * len(DISTRICTS))
    return place, round_


def plan_corpus(n: int, seed: int, reg: Registry, first_place: int = 0) -> list[Entity]:
    """n reports a year: standalone units and departments (consolidated + 本级 + units).

    Names are unique within a corpus; corpora planned with first_place values further apart
    than their sizes have no name in common, so they can be loaded into one warehouse.
    """
    rng = random.Random(f"plan:{seed}")
    entities: list[Entity] = []
    used: dict[str, int] = {}
    counter = 0

    def new_plan(name: str, role: str, sector, used_cores: set[str]) -> UnitPlan:
        nonlocal counter
        counter += 1
        admin = role in ("独立", "本级") and "中心" not in name
        cores = [c for c in PROJECT_CORES.get(sector.kuan, []) + GENERIC_CORES
                 if c not in used_cores and not any(c.startswith(u) or u.startswith(c)
                                                    for u in used_cores)]
        rng.shuffle(cores)
        chosen = cores[: rng.randint(1, 4)]
        used_cores.update(chosen)
        # From a district trade union (about 20 staff, 535 万元) to a national bureau (22,000 万元).
        fund = GOV_FUND_ITEMS.get(sector.kuan)
        staff = rng.choice([6, 9, 12, 18, 25, 35, 50, 80, 120, 200, 400])
        return UnitPlan(index=counter, name=name, sector=sector, administrative=admin, role=role,
                        subordinate_units=0, staff=staff, retirees=rng.randint(0, staff // 3),
                        vehicles=rng.choice([0, 0, 0, 1, 1, 2, 3]) if staff >= 9 else 0,
                        non_fiscal=not admin and rng.random() < 0.6,
                        project_names=[c + "经费" for c in chosen],
                        seed=rng.randrange(1 << 30),
                        gov_fund_item=fund if fund in reg.names and rng.random() < 0.35 else None)

    while sum(1 + len(e.members) for e in entities) < n:
        left = n - sum(1 + len(e.members) for e in entities)
        sector = rng.choice(reg.sectors)
        agency = rng.choice(AGENCIES.get(sector.kuan, [reg.names[sector.kuan] + "管理局"]))
        k = used.get(agency, first_place)
        used[agency] = k + 1
        place, round_ = _name(k)
        name = place + agency + (f"第{round_ + 1}分局" if round_ else "")
        # The first entity of a corpus of 4 or more is a department, so every corpus that can
        # hold one has one; later ones come at random.
        units = 2 if not entities and left >= 4 else rng.choice([0, 0, 0, 0, 2, 3])
        if units and left >= units + 2:
            cores: set[str] = set()
            own = Entity(new_plan(name + "本级", "本级", sector, cores), name + "本级", "本级", name)
            suffixes = rng.sample(MEMBER_SUFFIXES, units)
            subs = [Entity(new_plan(name + s, "下属单位", sector, cores), name + s, "下属单位", name)
                    for s in suffixes]
            entities.append(Entity(None, name, "部门", None, [own, *subs]))
        else:
            entities.append(Entity(new_plan(name, "独立", sector, set()), name, "独立"))
    return entities


@dataclass
class Written:
    file: str
    unit: str
    year: int
    role: str
    department: str | None
    text: str


def models(entities: list[Entity], years: range, seed: int,
           reg: Registry) -> Iterator[tuple[Entity, UnitYear]]:
    """(entity, exact model) for every report, year by year, members before their department."""
    previous: dict[str, UnitYear] = {}
    for year in years:
        for e in entities:
            if e.role == "部门":
                models = []
                for member in e.members:
                    rng = random.Random(f"{seed}:{member.plan.seed}:{year}")
                    mm = build(member.plan, reg, year, previous.get(member.name), rng)
                    previous[member.name] = mm
                    models.append(mm)
                    yield member, mm
                yield e, consolidate(e.name, models, len(e.members) - 1)
            else:
                rng = random.Random(f"{seed}:{e.plan.seed}:{year}")
                mm = build(e.plan, reg, year, previous.get(e.name), rng)
                previous[e.name] = mm
                yield e, mm


CELL_FIELDS = ["file", "table_code", "column_group", "row_code", "row_key", "row_label",
               "column_key", "printed_text", "value_wan_yuan"]
ROLE_SLUG = {"独立": "unit", "部门": "dept", "本级": "own", "下属单位": "sub"}


@dataclass
class _Job:
    """A share of the entities, written by one process."""

    reports_dir: Path
    entities: list[Entity]
    index: dict[str, int]
    years: range
    seed: int
    inject_rate: float
    layouts: list[Layout] | None = None  # None: the text format
    inject_kinds: str = "numbers"  # numbers | words | all (inject.INJECT_KINDS)


def _write(job: _Job) -> tuple[list[tuple], list[Injection], list[tuple], list[tuple]]:
    reg = load()
    listing: list[tuple] = []
    injections: list[Injection] = []
    cells: list[tuple] = []
    tables: list[tuple] = []
    for e, m in models(job.entities, job.years, job.seed, reg):
        text, figures = render(m, reg)
        stem = f"{job.index[e.name]:05d}-{ROLE_SLUG[e.role]}-{m.year}"
        file = stem + (".pdf" if job.layouts else ".txt")
        # One generator per report: whether and what it injects does not depend on the others,
        # so the corpus is the same however many processes write it.
        rng = random.Random(f"inject:{job.seed}:{stem}.txt")
        original = text
        if job.inject_rate and rng.random() < job.inject_rate:
            text, injection = inject(text, figures, rng, file, m, e.role, job.years.start,
                                     job.inject_kinds, reg, pdf=bool(job.layouts))
            if injection is not None:
                injections.append(injection)
        if job.layouts:
            from dagster_project.generate.pdf_render import render_pdf

            # The k-th report of the corpus (by file order) gets the k-th layout of a
            # seed-shuffled cycle: every layout is used, whatever process writes the file.
            order = list(range(len(job.layouts)))
            random.Random(f"layouts:{job.seed}").shuffle(order)
            k = (job.index[e.name] - 1) * len(job.years) + (m.year - job.years.start)
            layout = job.layouts[order[k % len(order)]]
            overrides = _table_overrides(original, text, figures)
            data, truths, grids = render_pdf(m, reg, layout, text, overrides)
            (job.reports_dir / file).write_bytes(data)
            for code, t, printed in truths:
                cells.append((file, code, t.column_group, t.row_code or "", t.row_key or "",
                              t.row_label or "", t.column_key, printed,
                              format(t.value_wan_yuan.normalize(), "f")
                              if t.value_wan_yuan else "0"))
            tables.extend((file, layout.name, g.code, g.status) for g in grids)
        else:
            (job.reports_dir / file).write_text(text, encoding="utf-8")
        listing.append((file, e.name, m.year, e.role, e.department or ""))
    return listing, injections, cells, tables


def _table_overrides(original: str, injected: str, figures: list) -> dict:
    """The table figures an injection changed in the text, keyed as `pdf_tables` keys cells."""
    if original == injected:
        return {}
    from decimal import Decimal

    before, after = original.split("\n"), injected.split("\n")
    changed = {i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b}
    out = {}
    for f in figures:
        if f.line not in changed or f.kind != "table_cell" or not after[f.line].startswith("\t"):
            continue
        value = Decimal(after[f.line][1:])
        if f.table == "01":
            key = ("01", f.row_code, "function_class", "amount") if f.row_code \
                else ("01", None, f.extra["key"], "amount")
        elif f.table == "06":
            key = ("06", f.row_code, None, "amount")
        elif f.table == "09":
            continue  # never injected (not a candidate of inject.py)
        else:
            key = (f.table, f.row_code, None, f.extra["key"])
        out[key] = value
    return out


def generate(out: Path, units: int, years: range, inject_rate: float = 0.0,
             seed: int = 0, first_place: int = 0, workers: int | None = None,
             layouts: list[Layout] | None = None, inject_kinds: str = "numbers"
             ) -> dict[str, int]:
    """Write the corpus; `layouts` (a list of `layouts.Layout`) writes PDFs in those layouts;
    `inject_kinds` says what an injection changes: numbers, words (issue 14) or all."""
    reg = load()
    entities = plan_corpus(units, seed, reg, first_place)
    reports_dir = out / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    index = {e.name: i for i, e in enumerate(_flatten(entities), 1)}
    workers = workers or os.cpu_count() or 1
    if units * len(years) < (40 if layouts else 400):
        workers = 1  # starting processes costs more than it saves
    jobs = [_Job(reports_dir, entities[w::workers], index, years, seed, inject_rate, layouts,
                 inject_kinds)
            for w in range(workers)]
    if workers == 1:
        results = [_write(jobs[0])]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_write, jobs))
    listing = sorted((row for r in results for row in r[0]), key=lambda r: (r[2], r[0]))
    injections = sorted((i for r in results for i in r[1]), key=lambda i: (i.year, i.file))
    if layouts:
        _write_csv(out / "cells.csv", CELL_FIELDS, sorted((c for r in results for c in r[2]), key=lambda c: c[0]))
        _write_csv(out / "tables.csv", ["file", "layout", "table_code", "status"],
                   sorted((t for r in results for t in r[3]), key=lambda t: t[0]))
    _write_csv(out / "units.csv", ["file", "unit", "year", "role", "department"], listing)
    hierarchy = [(e.name, m.name, m.role) for e in entities for m in e.members]
    _write_csv(out / "unit_hierarchy.csv",
               ["department_unit_name", "member_unit_name", "member_role"], hierarchy)
    rows = [i.row() for i in injections]
    _write_csv(out / "manifest.csv", MANIFEST_FIELDS, [[r[k] for k in MANIFEST_FIELDS] for r in rows])
    (out / "manifest.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    return {"reports": len(listing), "injections": len(injections), "departments":
            sum(1 for e in entities if e.role == "部门")}


def _flatten(entities: list[Entity]) -> Iterator[Entity]:
    for e in entities:
        yield e
        yield from e.members


def _write_csv(path: Path, header: list[str], rows: list) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
