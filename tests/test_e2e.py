"""End to end: the real Dagster job, real DuckDB file, real dbt build; and the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

pytestmark = pytest.mark.e2e


def test_dagster_job_materialises_into_a_temporary_warehouse(tmp_path, seed_path, monkeypatch):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(seed_path, reports)
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("JUESUAN_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("JUESUAN_REPORTS", str(reports))
    from dagster_project.definitions import build_definitions

    defs = build_definitions()
    result = defs.resolve_job_def("juesuan_job").execute_in_process(
        instance=dg.DagsterInstance.ephemeral())
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"source_reports", "raw/table_cells", "raw/reports"} <= materialized
    assert any(k.startswith("staging/stg_raw__") for k in materialized)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select unit_name, fiscal_year from raw.reports").fetchall() == \
            [("武汉市蔡甸区总工会本级", 2024)]
        # The staging view built by dbt reads the same cells.
        assert con.execute("select count(*) from staging.stg_raw__table_cells").fetchall()[0][0] == 600


def test_cli_run_summarises_and_signals_failed_reports(tmp_path, seed_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(seed_path, reports)
    (reports / "broken.txt").write_text("\n".join(seed_path.read_text("utf-8").split("\n")[:900]),
                                        "utf-8")
    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse",
                           str(tmp_path / "w.duckdb")], capture_output=True, text=True, check=False)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "reports in folder: 2, loaded: 1, failed: 1" in proc.stdout
    assert "FAILED broken.txt" in proc.stdout and "[truncated] broken.txt:L" in proc.stdout
    assert "table_cells 600" in proc.stdout
