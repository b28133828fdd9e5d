"""A report published as several files (北京's 附件1 情况说明 beside its 附件2 报表): one report,
grouped by the unit, year and kind each file's own text names (the unit compared through the
registry of abbreviations, seeds/reference/unit_name_abbreviations.csv); a part arriving
without the file that holds its tables loads alone, its tables indeterminate, with a located
warning, and becomes a part of the report that file makes once it arrives."""

from __future__ import annotations

import pytest

from dagster_project.ingest import discover, failed_shas, load_results, loaded_shas, read_one
from dagster_project.interpret.report import interpret
from dagster_project.readers import read_document
from dagster_project.summary import summarise
from dagster_project.warehouse.load import connect, ensure_schema

# The 情况说明 of a budget whose tables are in a second file: what 北京's 附件1 says, under the
# unit and year of the seed report (its budget is the seed with 决算 written 预算).
NOTE = ("武汉市蔡甸区总工会本级2024年度部门预算情况说明\n\n"
        "一、部门主要职责\n\n蔡甸区总工会是全区各级工会的领导机关。\n\n"
        "二、2024年度部门预算收支情况\n\n收支预算总计1,000.00万元。\n\n"
        "附件：武汉市蔡甸区总工会本级2024年度部门预算报表\n")


@pytest.fixture
def files(tmp_path, seed_path):
    """Two folders: the 情况说明 alone, then with the file of tables beside it."""
    note_only, both = tmp_path / "note-only", tmp_path / "both"
    for folder in (note_only, both):
        folder.mkdir()
        (folder / "a-note.txt").write_text(NOTE, "utf-8")
    (both / "b-tables.txt").write_text(seed_path.read_text("utf-8").replace("决算", "预算"),
                                       "utf-8")
    return note_only, both


def _load(con, folder):
    return {o.file_name: o for o in load_results(con, [read_one(s) for s in discover(folder)]).outcomes}


def test_a_part_is_read_as_one_part_of_a_report(tmp_path):
    path = tmp_path / "a-note.txt"
    path.write_text(NOTE, "utf-8")
    facts = interpret(read_document(path))
    assert (facts.report_kind, facts.unit_name, facts.fiscal_year) == (
        "部门预算", "武汉市蔡甸区总工会本级", 2024)
    assert facts.tables_elsewhere == "附件：武汉市蔡甸区总工会本级2024年度部门预算报表"
    assert not facts.fatal
    [part] = [p for p in facts.problems if p.kind == "tables_in_other_file"]
    assert str(part.location) == "a-note.txt:L11"  # the line naming the other file


def test_the_part_alone_loads_then_joins_its_partner(files, tmp_path):
    note_only, both = files
    con = connect(tmp_path / "w.duckdb")
    ensure_schema(con)
    outcomes = _load(con, note_only)
    # Alone, the 情况说明 is the report of its unit and year: loaded, never failed.
    assert outcomes["a-note.txt"].status == "loaded"
    alone = outcomes["a-note.txt"].report_id
    assert con.execute("select count(*) from raw.ingest_errors where is_fatal").fetchall() == [
        (0,)]
    [(where, severity, message)] = con.execute(
        "select source_location, severity, message from raw.ingest_errors "
        "where error_kind = 'partner_file_missing'").fetchall()
    assert (where, severity) == ("a-note.txt:L11", "warning")  # the line naming the other file
    assert "武汉市蔡甸区总工会本级 2024" in message and "附件：" in message
    assert con.execute("select report_id, unit_name, fiscal_year, report_kind, is_superseded "
                       "from raw.reports").fetchall() == [
        (alone, "武汉市蔡甸区总工会本级", 2024, "部门预算", False)]
    # Its tables are indeterminate (in the other file), never missing nor zero.
    statuses = con.execute("select distinct status from raw.report_tables where report_id = ?",
                           [alone]).fetchall()
    assert statuses == [("unreadable",)]
    assert con.execute("select count(*) from raw.table_cells").fetchall() == [(0,)]
    summary = summarise(con, note_only).render()
    assert "loaded: 1" in summary and "failed: 0" in summary
    note_sha = discover(note_only)[0].sha256
    assert note_sha in loaded_shas(con) and note_sha not in failed_shas(con)

    outcomes = _load(con, both)  # the file of tables arrives (listed after the note)
    assert outcomes["b-tables.txt"].status == "loaded"
    assert outcomes["a-note.txt"].status == "unchanged"
    report_id = outcomes["b-tables.txt"].report_id
    # The note is now a part of the report the tables make; its lone report is superseded by it,
    # not a revision of it (no supersession warning).
    assert con.execute("select report_id, file_name, unit_name, fiscal_year, report_kind "
                       "from raw.report_parts").fetchall() == [
        (report_id, "a-note.txt", "武汉市蔡甸区总工会本级", 2024, "部门预算")]
    assert con.execute("select report_id, is_superseded, superseded_by from raw.reports "
                       "order by is_superseded").fetchall() == [
        (report_id, False, None), (alone, True, report_id)]
    assert con.execute("select count(*) from raw.ingest_errors where error_kind in "
                       "('partner_file_missing', 'supersedes_other_file')").fetchall() == [(0,)]
    [(message,)] = con.execute("select message from raw.ingest_errors "
                               "where error_kind = 'part_of_report'").fetchall()
    assert "a-note.txt" in message and "b-tables.txt" in message
    assert note_sha in loaded_shas(con)
    first_line = summarise(con, both).render().splitlines()[0]
    assert first_line.startswith("reports in folder: 2, loaded: 2 (")
    assert first_line.endswith("1 as a part of a report in several files), failed: 0")
    # The report's facts keep their own file: every cell is the tables file's.
    assert con.execute("select distinct split_part(source_location, ':', 1) "
                       "from raw.table_cells").fetchall() == [("b-tables.txt",)]
    # Loading again changes nothing.
    again = _load(con, both)
    assert {o.status for o in again.values()} == {"unchanged"}
    assert con.execute("select count(*) from raw.report_parts").fetchall() == [(1,)]


def test_a_part_arriving_after_its_report_joins_it(files, tmp_path):
    _note_only, both = files
    con = connect(tmp_path / "w.duckdb")
    ensure_schema(con)
    tables = [s for s in discover(both) if s.path.name == "b-tables.txt"]
    [loaded] = load_results(con, [read_one(s) for s in tables]).outcomes
    cells = con.execute("select count(*) from raw.table_cells").fetchall()
    outcomes = _load(con, both)
    assert outcomes["a-note.txt"].status == "loaded"
    assert outcomes["a-note.txt"].report_id == loaded.report_id
    # Nothing already loaded is lost or duplicated; the report is queued for the next build.
    assert con.execute("select count(*) from raw.table_cells").fetchall() == cells
    assert con.execute("select count(*) from raw.build_queue where report_id = ?",
                       [loaded.report_id]).fetchall() == [(1,)]
    [(message,)] = con.execute("select message from raw.ingest_errors "
                               "where error_kind = 'part_of_report'").fetchall()
    assert "b-tables.txt" in message


def test_a_part_of_another_unit_does_not_join(files, tmp_path):
    _note_only, both = files
    (both / "a-note.txt").write_text(NOTE.replace("蔡甸区", "江夏区"), "utf-8")
    con = connect(tmp_path / "w.duckdb")
    ensure_schema(con)
    outcomes = _load(con, both)
    assert outcomes["b-tables.txt"].status == "loaded"
    # 江夏区's note loads alone as its own unit's report, waiting for its own tables.
    assert outcomes["a-note.txt"].status == "loaded"
    assert outcomes["a-note.txt"].report_id != outcomes["b-tables.txt"].report_id
    assert con.execute("select count(*) from raw.report_parts").fetchall() == [(0,)]
    [(message,)] = con.execute("select message from raw.ingest_errors "
                               "where error_kind = 'partner_file_missing'").fetchall()
    assert "武汉市江夏区总工会本级" in message


def test_a_part_naming_its_unit_by_an_abbreviation_joins(files, tmp_path):
    # 江苏's 情况说明 names the unit 江苏省委办公厅, its tables 中共江苏省委办公厅 (2018) or
    # 中国共产党江苏省委员会办公厅 (2017): one unit by the registry's general rules (中共 =
    # 中国共产党, 省委 = 省委员会, a place's 委员会 is the party's).
    _note_only, both = files
    (both / "a-note.txt").write_text(NOTE.replace("武汉市蔡甸区总工会本级", "江苏省委办公厅"),
                                     "utf-8")
    tables = (both / "b-tables.txt").read_text("utf-8")
    for name in ("中共江苏省委办公厅", "中国共产党江苏省委员会办公厅"):
        (both / "b-tables.txt").write_text(tables.replace("武汉市蔡甸区总工会本级", name),
                                           "utf-8")
        con = connect(tmp_path / f"{name}.duckdb")
        ensure_schema(con)
        outcomes = _load(con, both)
        assert outcomes["a-note.txt"].report_id == outcomes["b-tables.txt"].report_id
        assert con.execute("select file_name, unit_name from raw.report_parts").fetchall() == [
            ("a-note.txt", "江苏省委办公厅")]
        # Each file keeps the name it prints.
        assert con.execute("select unit_name from raw.reports").fetchall() == [(name,)]
        con.close()
    # Another unit of the same words is not the same unit: 江苏省政协办公厅.
    (both / "b-tables.txt").write_text(tables.replace("武汉市蔡甸区总工会本级", "江苏省政协办公厅"),
                                       "utf-8")
    con = connect(tmp_path / "other.duckdb")
    ensure_schema(con)
    outcomes = _load(con, both)
    assert outcomes["a-note.txt"].report_id != outcomes["b-tables.txt"].report_id
