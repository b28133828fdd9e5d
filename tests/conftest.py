from __future__ import annotations

import os
from pathlib import Path

import pytest

from dagster_project.interpret.facts import ReportFacts
from dagster_project.interpret.report import interpret
from dagster_project.readers.text import read_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "reports" / "caidian-trade-union-2024.txt"

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_facts() -> ReportFacts:
    return interpret(read_text(SEED))


def cell(facts: ReportFacts, table: str, *, code=None, key=None, column=None, group=None,
         label=None):
    """The one cell of a table matching the given row code/key/label and column key."""
    found = [
        c for c in facts.tables[table].cells
        if (code is None or c.row_code == code)
        and (key is None or c.row_key == key)
        and (label is None or c.row_label == label)
        and (column is None or c.column_key == column)
        and (group is None or c.column_group == group)
    ]
    assert len(found) == 1, f"{len(found)} cells match in 公开{table}表: {found[:3]}"
    return found[0]


@pytest.fixture(scope="session", autouse=True)
def dagster_home(tmp_path_factory) -> Path:
    """A Dagster instance of this test process's own, with telemetry off.

    `make test` runs test files on both cores (pytest-xdist): the report partitions and the
    `duckdb` pool live in the instance, so one instance shared by two test processes would let
    one test's run see the other's partitions or wait on its pool slot.
    """
    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def run_pipeline(reports: Path, warehouse: Path) -> None:
    """`juesuan run` on a folder, as an operator runs it; fails the test with its output."""
    import subprocess
    import sys

    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run(
        [str(juesuan), "run", "--reports", str(reports), "--warehouse", str(warehouse)],
        capture_output=True, text=True, check=False, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
