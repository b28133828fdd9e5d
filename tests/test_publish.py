"""The published BI file: a copy of the marts, renamed over the old one; readers never block it."""

from __future__ import annotations

import os
from decimal import Decimal

import duckdb

from dagster_project.publish import publish


def _warehouse(path, amount: str):
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.fct_x (unit_name varchar, amount_wan_yuan decimal(20, 6))")
    con.execute("insert into marts.fct_x values ('某单位', ?)", [amount])
    con.execute("create or replace table marts.\"it's\" (n integer)")
    con.execute("create or replace view marts.v_not_copied as select 1 as n")
    # every printed cell: kept in the warehouse only (publish.WAREHOUSE_ONLY)
    con.execute("create or replace table marts.fct_table_cells (cell_id varchar)")
    con.execute("insert into marts.fct_table_cells values ('c1'), ('c2')")
    con.execute("create schema if not exists intermediate")
    con.execute("create or replace table intermediate.int_not_copied (n integer)")
    return con


def test_publish_copies_the_marts_with_their_types(tmp_path):
    con = _warehouse(tmp_path / "w.duckdb", "1234.56")
    target = tmp_path / "it's a dir" / "bi.duckdb"
    result = publish(con, target, source="w.duckdb")
    con.close()
    assert result.tables == {"fct_x": 1, "it's": 0}
    bi = duckdb.connect(str(target), read_only=True)
    # DECIMAL stays DECIMAL: no amount passes through float on the way to the dashboards
    assert bi.execute("select amount_wan_yuan from marts.fct_x").fetchall() == [(Decimal("1234.56"),)]
    assert bi.execute("select data_type from information_schema.columns "
                      "where table_name = 'fct_x' and column_name = 'amount_wan_yuan'"
                      ).fetchall() == [("DECIMAL(20,6)",)]
    tables = {r[0] for r in bi.execute("select table_schema || '.' || table_name "
                                       "from information_schema.tables").fetchall()}
    assert tables == {"marts.fct_x", "marts.it's", "main.publication"}
    assert bi.execute("select source_warehouse, table_name, row_count from publication "
                      "where not_published_because is null order by table_name"
                      ).fetchall() == [("w.duckdb", "fct_x", 1), ("w.duckdb", "it's", 0)]
    # the table left out is named in the file, with why, so a BI user knows where it is
    (kept, because), = bi.execute("select table_name, not_published_because from publication "
                                  "where row_count is null").fetchall()
    assert kept == "fct_table_cells" and "warehouse" in because
    bi.close()
    # only the file itself: no temp file or WAL left beside it
    assert sorted(p.name for p in target.parent.iterdir()) == ["bi.duckdb"]


def test_a_reader_never_blocks_a_publish_and_keeps_its_snapshot(tmp_path):
    target = tmp_path / "bi.duckdb"
    con = _warehouse(tmp_path / "w.duckdb", "1.00")
    publish(con, target)
    reader = duckdb.connect(str(target), read_only=True)
    assert reader.execute("select amount_wan_yuan from marts.fct_x").fetchall()[0][0] == Decimal("1.00")
    # the warehouse changes and is published again while the reader still holds the old file
    con.execute("update marts.fct_x set amount_wan_yuan = 2.00")
    publish(con, target)
    assert reader.execute("select amount_wan_yuan from marts.fct_x").fetchall()[0][0] == Decimal("1.00")
    reader.close()
    fresh = duckdb.connect(str(target), read_only=True)
    assert fresh.execute("select amount_wan_yuan from marts.fct_x").fetchall()[0][0] == Decimal("2.00")
    fresh.close()
    con.close()


def test_a_crashed_publish_leaves_the_previous_file(tmp_path):
    target = tmp_path / "bi.duckdb"
    con = _warehouse(tmp_path / "w.duckdb", "1.00")
    publish(con, target)
    # the half-written temp file of a publish that died (its name carries the pid)
    stale = tmp_path / f"bi.duckdb.tmp-{os.getpid()}"
    stale.write_bytes(b"not a database")
    reader = duckdb.connect(str(target), read_only=True)
    assert reader.execute("select count(*) from marts.fct_x").fetchall() == [(1,)]
    reader.close()
    con.execute("insert into marts.fct_x values ('另一单位', 3.00)")
    publish(con, target)
    con.close()
    assert not stale.exists()
    bi = duckdb.connect(str(target), read_only=True)
    assert bi.execute("select count(*) from marts.fct_x").fetchall() == [(2,)]
    bi.close()


def test_the_bi_file_asset_is_downstream_of_every_mart_and_the_audit():
    """Dagster shows when the BI file was last published: an asset after the marts it copies
    and the audit reports (a run that failed to audit does not publish)."""
    import dagster as dg

    from dagster_project.definitions import build_definitions

    graph = build_definitions().resolve_asset_graph()
    bi = dg.AssetKey("bi_file")
    parents = graph.get(bi).parent_keys
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    # the marts the dashboards read are among them (dbt's names, one name end to end)
    assert {dg.AssetKey(["marts", t]) for t in ("dim_reports", "audit_findings",
                                                "audit_finding_cells", "fct_unit_year_summary",
                                                "fct_expenditure_by_function")} <= marts
    assert marts <= parents
    assert dg.AssetKey("audit_reports") in parents
    assert graph.get(bi).group_name == "publish"


def _built(con, mode: str, rebuilt: list[str]) -> None:
    """What a dbt build leaves for the publisher: its ledger row and its rebuild list."""
    con.execute("create table if not exists raw.dbt_builds (started_at timestamp, "
                "finished_at timestamp, mode varchar, succeeded boolean, complete boolean)")
    con.execute("insert into raw.dbt_builds values (now(), now() + interval 1 second * "
                "(select count(*) from raw.dbt_builds), ?, true, true)", [mode])
    con.execute("create or replace table intermediate.int_reports_to_rebuild (report_id varchar)")
    con.executemany("insert into intermediate.int_reports_to_rebuild values (?)",
                    [(r,) for r in rebuilt])


def _marts(path):
    con = duckdb.connect(str(path))
    for schema in ("raw", "intermediate", "marts"):
        con.execute(f"create schema if not exists {schema}")
    # per report (dbt: incremental), and rebuilt whole (dbt: table)
    con.execute("create table marts.fct_r (report_id varchar, amount_wan_yuan decimal(20, 6))")
    con.execute("insert into marts.fct_r values ('r1', 1.00), ('r2', 2.00), ('r2', 2.50)")
    con.execute("create table marts.dim_codes as select 'c1' as code")
    _built(con, "full", ["r1", "r2"])
    return con


def _rows(path, table):
    with duckdb.connect(str(path), read_only=True) as bi:
        return sorted(bi.execute(f"select * from marts.{table}").fetchall())


def test_after_an_incremental_build_only_the_rebuilt_reports_are_replaced(tmp_path):
    con = _marts(tmp_path / "w.duckdb")
    target = tmp_path / "bi.duckdb"
    assert publish(con, target, incremental={"fct_r"}).mode == "full"  # nothing published yet
    # an incremental build: r2 revised (one row now), r3 added; the code dimension rebuilt
    con.execute("delete from marts.fct_r where report_id = 'r2'")
    con.execute("insert into marts.fct_r values ('r2', 20.00), ('r3', 3.00)")
    con.execute("insert into marts.dim_codes values ('c2')")
    _built(con, "incremental", ["r2", "r3"])
    result = publish(con, target, incremental={"fct_r"})
    assert result.mode == "incremental", result.reason
    assert _rows(target, "fct_r") == [("r1", Decimal("1.00")), ("r2", Decimal("20.00")),
                                      ("r3", Decimal("3.00"))]
    assert _rows(target, "dim_codes") == [("c1",), ("c2",)]
    assert result.tables == {"dim_codes": 2, "fct_r": 3}
    # published again with no build since: a full copy (nothing says what changed)
    assert publish(con, target, incremental={"fct_r"}).mode == "full"
    con.close()


def test_an_incremental_publish_needs_the_build_just_before(tmp_path):
    con = _marts(tmp_path / "w.duckdb")
    target = tmp_path / "bi.duckdb"
    publish(con, target, incremental={"fct_r"})
    # two builds since the last publish (one did not publish): the first one's reports would
    # be missed, so everything is copied
    con.execute("update marts.fct_r set amount_wan_yuan = 9 where report_id = 'r1'")
    _built(con, "incremental", ["r1"])
    con.execute("insert into marts.fct_r values ('r3', 3.00)")
    _built(con, "incremental", ["r3"])
    result = publish(con, target, incremental={"fct_r"})
    assert result.mode == "full"
    assert ("r1", Decimal("9.00")) in _rows(target, "fct_r")
    # a rebuild list that does not explain the warehouse (a row outside it changed): the row
    # counts differ after the replacement, so the copy starts over in full
    con.execute("insert into marts.fct_r values ('r4', 4.00)")
    _built(con, "incremental", ["r3"])
    result = publish(con, target, incremental={"fct_r"})
    assert result.mode == "full" and result.tables["fct_r"] == 5
    # no temp file (the abandoned incremental one included) or WAL left beside the BI file
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("bi")) == ["bi.duckdb"]
    con.close()


def test_a_full_publish_of_the_bundled_reports_equals_the_warehouse_marts(tmp_path):
    """The real pipeline on the bundled reports, then a full publish into a new BI file: every
    published mart holds exactly the warehouse's rows (`EXCEPT ALL` both ways), every mart but
    the warehouse-only ones is there, and the file was renamed into place whole (no temp file
    or write-ahead log beside it)."""
    from pathlib import Path

    from dagster_project.publish import WAREHOUSE_ONLY, mart_tables
    from tests.conftest import run_pipeline

    reports = Path(__file__).resolve().parents[1] / "seeds" / "reports"
    warehouse = tmp_path / "w.duckdb"
    run_pipeline(reports, warehouse)
    target = tmp_path / "published" / "bi.duckdb"
    con = duckdb.connect(str(warehouse))
    try:
        result = publish(con, target, source=str(warehouse))
        assert result.mode == "full"
        published = set(mart_tables(con)) - set(WAREHOUSE_ONLY)
        assert set(result.tables) == published and "audit_findings" in published
        con.execute(f"attach '{target}' as bi (read_only)")
        for table in sorted(published):
            for a, b in ((f'marts."{table}"', f'bi.marts."{table}"'),
                         (f'bi.marts."{table}"', f'marts."{table}"')):
                assert con.execute(f"select count(*) from (select * from {a} except all "
                                   f"select * from {b})").fetchall() == [(0,)], (table, a)
        # the four bundled files are four reports (seeds/reports), each in the BI file
        assert con.execute("select count(*) from bi.marts.dim_reports").fetchall() == [(4,)]
        con.execute("detach bi")
    finally:
        con.close()
    assert sorted(p.name for p in target.parent.iterdir()) == ["bi.duckdb"]
