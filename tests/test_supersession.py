"""Issue 11 #14: a file that supersedes the loaded revision of a unit and year says so, in
`raw.ingest_errors` (info; a warning when another file name claims the unit and year) and in
the run summary."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dagster_project.ingest import discover, load_files, read_one
from dagster_project.summary import summarise
from dagster_project.warehouse.load import connect, ensure_schema, load_report

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "reports" / "caidian-trade-union-2024.txt"
UNIT = "武汉市蔡甸区总工会本级"  # the seed's 单位： line (L37); 2024 from its title


def folder_with(tmp_path: Path, name: str, data: bytes, sub: str) -> Path:
    folder = tmp_path / sub
    folder.mkdir()
    (folder / name).write_bytes(data)
    return folder


def test_supersession_is_recorded_and_summarised(tmp_path):
    original = SEED.read_bytes()
    first = folder_with(tmp_path, SEED.name, original, "v1")
    same_name = folder_with(tmp_path, SEED.name, original + b"\n", "v2")  # a corrected revision
    other_name = folder_with(tmp_path, "someone-else.txt", original + b"\n\n", "v3")
    with connect(tmp_path / "w.duckdb") as con:
        load_files(con, first, [SEED.name])
        assert con.execute("select count(*) from raw.ingest_errors where error_kind like "
                           "'supersedes%'").fetchone()[0] == 0
        started = datetime.now(UTC).replace(tzinfo=None)
        outcome = load_files(con, same_name, [SEED.name]).outcomes[0]
        assert (outcome.status, outcome.revision) == ("loaded", 2)
        rows = con.execute("select error_kind, severity, is_fatal, message from "
                           "raw.ingest_errors where error_kind like 'supersedes%'").fetchall()
        assert rows == [("supersedes", "info", False,
                         f"{SEED.name} (revision 2) supersedes {SEED.name} (revision 1) as the "
                         f"report of {UNIT} 2024")]
        summary = summarise(con, same_name, discover(same_name), since=started)
        assert f"SUPERSEDED (info): {SEED.name} (revision 2) supersedes" in summary.render()

        started = datetime.now(UTC).replace(tzinfo=None)
        load_files(con, other_name, ["someone-else.txt"])
        [(kind, severity, message)] = con.execute(
            "select error_kind, severity, message from raw.ingest_errors "
            "where recorded_at >= ? and error_kind like 'supersedes%'", [started]).fetchall()
        assert (kind, severity) == ("supersedes_other_file", "warning")
        assert message.startswith(f"someone-else.txt (revision 3) supersedes {SEED.name} "
                                  f"(revision 2)") and "different file name" in message
        rendered = summarise(con, other_name, discover(other_name), since=started).render()
        assert "SUPERSEDED (warning): someone-else.txt (revision 3)" in rendered
        assert "(revision 1)" not in rendered  # only what this run superseded


def test_one_by_one_load_records_it_too(tmp_path):
    """The per-report fallback (`load_report`) says the same as the chunked load."""
    a = folder_with(tmp_path, "a.txt", SEED.read_bytes(), "a")
    b = folder_with(tmp_path, "b.txt", SEED.read_bytes() + b"\n", "b")
    with connect(tmp_path / "w.duckdb") as con:
        ensure_schema(con)
        for folder in (a, b):
            result = read_one(discover(folder)[0])
            load_report(con, result.facts, str(result.source.path))
        [(kind, severity)] = con.execute(
            "select error_kind, severity from raw.ingest_errors "
            "where error_kind like 'supersedes%'").fetchall()
        assert (kind, severity) == ("supersedes_other_file", "warning")
