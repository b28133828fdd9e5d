"""The raw layer: atomic, idempotent loads, revisions, and bad input recorded with its place."""

from __future__ import annotations

import copy
import shutil

import pytest

from dagster_project.ingest import discover, failed_shas, load_results, read_one
from dagster_project.warehouse.load import RAW_TABLES, connect, ensure_schema, load_report


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from raw.{t}").fetchall()[0][0] for t in RAW_TABLES}


def load_folder(folder, db):
    con = connect(db)
    ensure_schema(con)
    summary = load_results(con, [read_one(f) for f in discover(folder)])
    return con, summary


@pytest.fixture
def reports(tmp_path, seed_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(seed_path, folder / seed_path.name)
    return folder


def test_loading_twice_changes_nothing(reports, tmp_path):
    con, first = load_folder(reports, tmp_path / "w.duckdb")
    assert [o.status for o in first.outcomes] == ["loaded"]
    before = counts(con)
    snapshot = con.execute("select * from raw.table_cells order by all").fetchall()
    second = load_results(con, [read_one(f) for f in discover(reports)])
    assert [o.status for o in second.outcomes] == ["unchanged"]
    assert counts(con) == before
    assert con.execute("select * from raw.table_cells order by all").fetchall() == snapshot
    assert before["table_cells"] == 600 and before["reports"] == 1


def test_changed_file_is_a_new_revision(reports, tmp_path, seed_path):
    con, _ = load_folder(reports, tmp_path / "w.duckdb")
    text = seed_path.read_text("utf-8").replace("主要原因是预算人员减少", "主要原因是人员减少", 1)
    (reports / "caidian-trade-union-2024-corrected.txt").write_text(text, "utf-8")
    summary = load_results(con, [read_one(f) for f in discover(reports)])
    assert sorted(o.status for o in summary.outcomes) == ["loaded", "unchanged"]
    rows = con.execute("select file_name, revision, is_superseded, superseded_by, report_id "
                       "from raw.reports order by revision").fetchall()
    assert [(r[1], r[2]) for r in rows] == [(1, True), (2, False)]
    assert rows[0][3] == rows[1][4]  # the old revision names the one that superseded it
    assert con.execute("select count(*) from raw.table_cells").fetchall()[0][0] == 1200


def test_failed_load_leaves_nothing_of_the_report(reports, tmp_path):
    con = connect(tmp_path / "w.duckdb")
    ensure_schema(con)
    result = read_one(discover(reports)[0])
    facts = copy.deepcopy(result.facts)
    facts.tables["03"].cells.append(facts.tables["03"].cells[0])  # duplicate key: insert fails
    with pytest.raises(Exception, match="(?i)constraint|duplicate"):
        load_report(con, facts, "x")
    assert counts(con) == {t: 0 for t in RAW_TABLES}


def _bad_inputs(folder, seed_path):
    lines = seed_path.read_text("utf-8").split("\n")
    # Line 634 is the cell "\t343.75" (基本支出 of 2012901 in 公开03表): drop it.
    assert lines[633] == "\t343.75"
    (folder / "column-mismatch.txt").write_text("\n".join(lines[:633] + lines[634:]), "utf-8")
    (folder / "truncated.txt").write_text("\n".join(lines[:1000]), "utf-8")
    (folder / "notes.txt").write_text("会议纪要\n\n今天讨论了工会工作。\n", "utf-8")
    (folder / "garbage.txt").write_bytes("部门决算\n".encode() + b"\xff\xfe\xfd\x80\x81\n")
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04")


def test_bad_reports_are_recorded_and_the_good_one_loads(reports, tmp_path, seed_path):
    _bad_inputs(reports, seed_path)
    con, summary = load_folder(reports, tmp_path / "w.duckdb")
    status = {o.file_name: o.status for o in summary.outcomes}
    # A row that does not fit its header makes that one table unreadable, not the report.
    assert status == {"caidian-trade-union-2024.txt": "loaded", "column-mismatch.txt": "loaded",
                      "truncated.txt": "failed", "notes.txt": "failed", "garbage.txt": "failed",
                      "budget.xlsx": "failed"}
    errors = {f: (k, loc, m) for f, k, loc, m in con.execute(
        "select file_name, error_kind, source_location, message from raw.ingest_errors "
        "where is_fatal").fetchall()}
    assert "column-mismatch.txt" not in errors
    tables = dict(con.execute(
        "select t.table_code, t.status || ' ' || coalesce(t.status_reason, '') "
        "from raw.report_tables t join raw.reports r using (report_id) "
        "where r.file_name = 'column-mismatch.txt'").fetchall())
    assert tables["03"].startswith("unreadable ") and "column-mismatch.txt:L632" in tables["03"]
    assert "行政运行" in tables["03"]
    assert tables["05"].startswith("present") and tables["01"].startswith("present")
    # Nothing of the unreadable table reached the warehouse as if it were read.
    assert con.execute(
        "select count(*) from raw.table_cells c join raw.reports r using (report_id) "
        "where r.file_name = 'column-mismatch.txt' and c.table_code = '03'").fetchall() == [(0,)]
    kind, loc, message = errors["truncated.txt"]
    assert kind == "truncated" and loc.startswith("truncated.txt:L") and "公开05表" in message
    # It names itself no document kind and prints no table of one.
    assert errors["notes.txt"][0] == "unknown_document_kind"
    assert errors["garbage.txt"][0] == "encoding" and errors["garbage.txt"][1] == "garbage.txt:L2"
    assert errors["budget.xlsx"][0] == "not_a_report"
    # Nothing of a failed report reached the warehouse.
    assert {r[0] for r in con.execute("select file_name from raw.reports").fetchall()} == {
        "caidian-trade-union-2024.txt", "column-mismatch.txt"}
    # Recording the same failures again adds no duplicate rows.
    before = counts(con)["ingest_errors"]
    load_results(con, [read_one(f) for f in discover(reports)])
    assert counts(con)["ingest_errors"] == before


def test_two_revisions_in_one_batch(reports, tmp_path, seed_path):
    text = seed_path.read_text("utf-8").replace("主要原因是预算人员减少", "主要原因是人员减少", 1)
    (reports / "z-corrected.txt").write_text(text, "utf-8")
    con, summary = load_folder(reports, tmp_path / "w.duckdb")
    assert [o.status for o in summary.outcomes] == ["loaded", "loaded"]
    rows = con.execute("select file_name, revision, is_superseded from raw.reports "
                       "order by revision").fetchall()
    assert rows == [("caidian-trade-union-2024.txt", 1, True), ("z-corrected.txt", 2, False)]


def test_a_report_that_breaks_its_chunk_fails_alone(reports, tmp_path, seed_path):
    # Three reports in one chunk; the second repeats a cell key, so the chunk's insert fails
    # and the chunk is loaded again report by report.
    for name, unit in (("b.txt", "武汉市蔡甸区总工会甲"), ("c.txt", "武汉市蔡甸区总工会乙")):
        (reports / name).write_text(seed_path.read_text("utf-8").replace(
            "武汉市蔡甸区总工会本级", unit), "utf-8")
    results = [read_one(f) for f in discover(reports)]
    assert [r.source.path.name for r in results] == ["b.txt", "c.txt", seed_path.name]
    bad = results[1].facts
    bad.tables["03"].cells.append(bad.tables["03"].cells[0])
    con = connect(tmp_path / "w.duckdb")
    ensure_schema(con)
    summary = load_results(con, results)
    assert [o.status for o in summary.outcomes] == ["loaded", "failed", "loaded"]
    assert "duplicate key in raw.table_cells" in summary.outcomes[1].message
    assert con.execute("select file_name from raw.reports order by 1").fetchall() == [
        ("b.txt",), (seed_path.name,)]
    # Nothing of the failed report, all of the others (600 cells each, read by hand).
    assert con.execute("select count(*) from raw.table_cells").fetchall() == [(1200,)]
    assert con.execute("select error_kind, file_name from raw.ingest_errors where is_fatal"
                       ).fetchall() == [("load_failed", "c.txt")]
    # Its bytes are not remembered as failed: a failed insert is retried on the next run.
    assert results[1].source.sha256 not in failed_shas(con)
