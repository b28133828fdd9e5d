"""Issue 11 #7 and #13: a warehouse's audit pages are its own, and a broken page is repaired.

The pages are written by `write_html_reports` from a warehouse's `raw.reports` and
`marts.audit_findings`; here both are built by hand (two units, one finding), so what is asserted
is only the page bookkeeping: which files a run writes, keeps and deletes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from dagster_project.audit.report import COLUMNS, html_name, write_html_reports
from dagster_project.config import audit_dir

REPORTS = [
    {"report_id": "r1", "unit_name": "甲局", "fiscal_year": 2024, "file_name": "a.txt",
     "sha256": "s1", "revision": 1},
    {"report_id": "r2", "unit_name": "乙局", "fiscal_year": 2024, "file_name": "b.txt",
     "sha256": "s2", "revision": 1},
]


def warehouse(path: Path, reports: list[dict]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists raw; create schema if not exists marts")
    con.execute("create or replace table raw.reports (report_id varchar, unit_name varchar, "
                "fiscal_year integer, file_name varchar, sha256 varchar, revision integer, "
                "is_superseded boolean)")
    con.execute(f"create or replace table marts.audit_findings "
                f"({', '.join(f'{c} varchar' for c in COLUMNS)})")
    for r in reports:
        con.execute("insert into raw.reports values (?, ?, ?, ?, ?, ?, false)",
                    [r[k] for k in ("report_id", "unit_name", "fiscal_year", "file_name",
                                    "sha256", "revision")])
    return con


def test_two_warehouses_in_one_folder_have_their_own_pages(tmp_path, monkeypatch):
    folders = []
    for name, reports in (("a", REPORTS[:1]), ("b", REPORTS[1:])):
        monkeypatch.setenv("JUESUAN_WAREHOUSE", str(tmp_path / f"{name}.duckdb"))
        folders.append(audit_dir())
        with warehouse(tmp_path / f"{name}.duckdb", reports) as con:
            write_html_reports(con, audit_dir())
    # Before: both wrote to tmp_path/audit, and the second run deleted the first one's page.
    assert folders == [tmp_path / "a.audit", tmp_path / "b.audit"]
    assert [p.name for p in folders[0].glob("*.html")] == [html_name(REPORTS[0])]
    assert [p.name for p in folders[1].glob("*.html")] == [html_name(REPORTS[1])]


def test_a_superseded_page_is_removed_but_no_other_file(tmp_path):
    folder = tmp_path / "audit"
    with warehouse(tmp_path / "w.duckdb", REPORTS) as con:
        write_html_reports(con, folder)
        (folder / "notes.html").write_text("keep me", encoding="utf-8")
        con.execute("update raw.reports set is_superseded = true where report_id = 'r2'")
        write_html_reports(con, folder, rebuilt=set())
    names = {p.name for p in folder.glob("*.html")}
    assert names == {html_name(REPORTS[0]), "notes.html"}


def test_an_empty_page_left_by_a_killed_run_is_rewritten(tmp_path):
    folder = tmp_path / "audit"
    with warehouse(tmp_path / "w.duckdb", REPORTS) as con:
        write_html_reports(con, folder)
        page = folder / html_name(REPORTS[0])
        page.write_bytes(b"")  # what kill -9 between open and write left before pages were renamed
        (folder / html_name(REPORTS[1])).unlink()
        # An incremental run that rebuilt no report: before, it left both pages broken.
        written = write_html_reports(con, folder, rebuilt=set())
    assert sorted(p.name for p in written) == sorted(html_name(r) for r in REPORTS)
    assert "甲局" in page.read_text(encoding="utf-8")


def test_the_cli_writes_pages_beside_its_own_warehouse(tmp_path, seed_path):
    # Two warehouses in one folder, each loaded from the seed by the real pipeline: each gets
    # `<stem>.audit/` and `<stem>.dbt-target/`, and neither run touches the other's.
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / seed_path.name).write_bytes(seed_path.read_bytes())
    juesuan = Path(sys.executable).with_name("juesuan")
    (tmp_path / "dh").mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh")}
    for name in ("one", "two"):
        proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse",
                               str(tmp_path / f"{name}.duckdb")], capture_output=True, text=True,
                              env=env, check=False)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    for name in ("one", "two"):
        assert len(list((tmp_path / f"{name}.audit").glob("*.html"))) == 1
        assert (tmp_path / f"{name}.dbt-target" / "run_results.json").exists()
    assert not (tmp_path / "audit").exists()
