"""Names from hostile documents never become paths or terminal control sequences (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.audit.report import html_name
from dagster_project.cli import printable


@pytest.mark.parametrize("unit", [
    "../../../tmp/pwned", "/etc/passwd", "a/b\\c", "局\x00名", "名" * 300, "", None, "..",
])
def test_a_page_name_stays_in_its_folder(tmp_path, unit):
    name = html_name({"unit_name": unit, "fiscal_year": 2024, "report_id": "0123456789abcdef"})
    page = tmp_path / name
    assert page.resolve().parent == tmp_path.resolve()
    assert "/" not in name and "\\" not in name and "\x00" not in name and ".." not in name
    assert len(name.encode()) <= 255 and name.endswith("-2024-0123456789abcdef.html")
    page.write_text("ok", encoding="utf-8")  # the file system accepts it


def test_a_chinese_unit_name_is_kept_readable():
    assert html_name({"unit_name": "武汉市蔡甸区总工会本级", "fiscal_year": 2024,
                      "report_id": "f7d48334de422e9b"}) == "武汉市蔡甸区总工会本级-2024-f7d48334de422e9b.html"


def test_control_characters_are_printed_escaped():
    forged = "某局\x1b[2J\x1b[H\r已通过全部审核\x07"
    shown = printable(f"{forged}\n下一行\t完")
    assert "\x1b" not in shown and "\r" not in shown and "\x07" not in shown
    assert shown == "某局\\x1b[2J\\x1b[H\\x0d已通过全部审核\\x07\n下一行\t完"


def test_one_unreadable_file_does_not_stop_the_folder(tmp_path, seed_path, monkeypatch):
    # Issue 11 #5. As root every permission bit is ignored, so the I/O error is raised by the
    # file system call itself for one file; DuckDB, the reader and the loader are the real ones.
    import shutil

    import duckdb

    from dagster_project.ingest import discover, load_files, report_key
    from dagster_project.warehouse.load import ensure_schema

    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(seed_path, folder / "good.txt")
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4 unreadable")
    real_read_bytes = Path.read_bytes

    def read_bytes(self):
        if self.name == "bad.pdf":
            raise OSError(5, "Input/output error", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    sources = discover(folder)
    assert sorted(s.path.name for s in sources) == ["bad.pdf", "good.txt"]
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(con)
    summary = load_files(con, folder, [report_key(folder, s.path) for s in sources])
    assert {o.file_name: o.status for o in summary.outcomes} == {
        "bad.pdf": "failed", "good.txt": "loaded"}
    [(kind, message)] = con.execute(
        "select error_kind, message from raw.ingest_errors where file_name = 'bad.pdf'").fetchall()
    assert kind == "unreadable_file" and "Input/output error" in message


def test_a_hierarchy_path_is_data_not_sql(tmp_path, seed_path):
    # Issue 11 #6: a quote in the --hierarchy path closed the SQL literal it was pasted into.
    # A path that would have read another file into the warehouse is read as a path.
    import os
    import shutil
    import subprocess
    import sys

    import duckdb

    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(seed_path, reports)
    odd = tmp_path / "o'brien', header = true) union select 'x','y','z' from (select 1"
    odd.mkdir()
    hierarchy = odd / "h.csv"
    hierarchy.write_text("department_unit_name,member_unit_name,member_role\n"
                         "武汉市蔡甸区总工会,武汉市蔡甸区总工会本级,本级\n", "utf-8")
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dh")}
    (tmp_path / "dh").mkdir()
    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse",
                           str(tmp_path / "w.duckdb"), "--hierarchy", str(hierarchy)],
                          capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rows = con.execute("select department_unit_name, member_unit_name, member_role "
                           "from staging.stg_reference__unit_hierarchy").fetchall()
    assert ("武汉市蔡甸区总工会", "武汉市蔡甸区总工会本级", "本级") in rows
    assert ("x", "y", "z") not in rows


def test_unit_filter_is_literal(tmp_path):
    # Issue 11 #15: `--unit %` matched every unit; % and _ are now plain characters.
    import duckdb

    from dagster_project.audit.report import COLUMNS, query_findings

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts")
    con.execute(f"create table marts.audit_findings ({', '.join(f'{c} varchar' for c in COLUMNS)})")
    for unit in ("甲局", "乙_局", "丙%局"):
        con.execute("insert into marts.audit_findings (finding_id, unit_name, severity) "
                    "values (?, ?, 'error')", [unit, unit])
    assert [f["unit_name"] for f in query_findings(con, unit="%")] == ["丙%局"]
    assert [f["unit_name"] for f in query_findings(con, unit="_")] == ["乙_局"]
    assert [f["unit_name"] for f in query_findings(con, unit="局")] == ["丙%局", "乙_局", "甲局"]
