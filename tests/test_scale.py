"""A thousand reports through `juesuan run` with the default settings.

The small corpora of the other tests never reach DuckDB's memory budget; this one does (two audit
models built at once outgrew it at 1,000 generated reports, and the run failed). A real
`juesuan run` (Dagster, dbt, GX) on a generated corpus without injected errors.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

JUESUAN = Path(sys.executable).with_name("juesuan")


@pytest.mark.e2e
def test_a_thousand_reports_build_with_the_default_settings(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([str(JUESUAN), "generate", "--units", "200", "--years", "2020-2024",
                    "--seed", "1", "--out", str(corpus)], check=True, capture_output=True)
    assert len(list((corpus / "reports").iterdir())) == 1000
    env = {k: v for k, v in os.environ.items()
           if k not in ("JUESUAN_DBT_THREADS", "JUESUAN_DUCKDB_MEMORY", "JUESUAN_FULL_REFRESH")}
    warehouse = tmp_path / "w.duckdb"
    result = subprocess.run(
        [str(JUESUAN), "run", "--reports", str(corpus / "reports"), "--warehouse",
         str(warehouse), "--hierarchy", str(corpus / "unit_hierarchy.csv")],
        capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.reports").fetchall() == [(1000,)]
        assert con.execute("select mode, succeeded, complete from raw.dbt_builds"
                           ).fetchall() == [("full", True, True)]
        # no error was injected: the audit finds none
        assert con.execute("select count(*) from marts.audit_findings "
                           "where severity in ('error', 'warning')").fetchall() == [(0,)]
        assert con.execute("select count(*) from marts.fct_unit_year_summary"
                           ).fetchall() == [(1000,)]
