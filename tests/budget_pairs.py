"""Helpers for the tests that pair a real budget with a 决算 (test_budget_marts,
test_budget_across_documents, test_budget_performance_targets): the seed 决算 filed under a
budget's unit and year, and a warehouse built by the real pipeline from a set of files."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.conftest import run_pipeline

FIXTURES = Path(__file__).parent / "fixtures" / "budgets"
SEED = Path(__file__).parents[1] / "seeds" / "reports" / "caidian-trade-union-2024.txt"


def seed_final_as(unit: str, year: int) -> str:
    """The seed 决算 (2024, its prior year 2023) under another unit's name, in every form the
    seed prints it, as that unit's 决算 of `year` (its prior year `year - 1`)."""
    text = SEED.read_text("utf-8")
    text = (text.replace("武汉市蔡甸区总工会本级", unit).replace("武汉市蔡甸区总工会", unit)
            .replace("蔡甸区总工会", unit))
    return (text.replace("2024", "\0year\0").replace("2023", str(year - 1))
            .replace("\0year\0", str(year)))


def pipeline_warehouse(tmp: Path, fixtures: list[str | Path], texts: dict[str, str]):
    """`juesuan run` on the named budget fixtures and the given text reports; a read-only
    connection to the warehouse."""
    reports = tmp / "reports"
    reports.mkdir()
    for name in fixtures:
        # a fixture's name, or the path of a file elsewhere (seeds/reports)
        shutil.copy(name if isinstance(name, Path) else FIXTURES / name, reports)
    for name, text in texts.items():
        (reports / name).write_text(text, "utf-8")
    db = tmp / "w.duckdb"
    run_pipeline(reports, db)
    return duckdb.connect(str(db), read_only=True)
