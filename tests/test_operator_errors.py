"""Issue 11 (#9, #15): an unlucky operator gets one-line errors and the documented exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "reports" / "caidian-trade-union-2024.txt"


def juesuan(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dagster_project.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env=env)


def hold(code: str, *args: str) -> subprocess.Popen:
    """A second process running `code` (which prints 'ready' once it holds what it holds)."""
    proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


@pytest.fixture
def reports(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    return folder


def test_a_second_run_exits_3_naming_the_holder(tmp_path, reports):
    warehouse = tmp_path / "w.duckdb"
    first = hold("import sys, time\nfrom pathlib import Path\n"
                 "from dagster_project.run_lock import run_lock\n"
                 "with run_lock(Path(sys.argv[1])):\n    print('ready', flush=True)\n"
                 "    time.sleep(60)\n", str(warehouse))
    try:
        second = juesuan("run", "--reports", str(reports), "--warehouse", str(warehouse))
    finally:
        first.kill()
        first.wait()
    assert second.returncode == 3, second.stderr
    [line] = second.stderr.strip().splitlines()
    assert f"process {first.pid}" in line and "another run" in line
    assert not warehouse.exists()  # it touched nothing


def test_the_lock_goes_with_its_holder(tmp_path):
    """A killed run's lock file does not block the next run (flock is the process's)."""
    from dagster_project.run_lock import RunLocked, run_lock

    warehouse = tmp_path / "w.duckdb"
    first = hold("import sys, time\nfrom pathlib import Path\n"
                 "from dagster_project.run_lock import run_lock\n"
                 "with run_lock(Path(sys.argv[1])):\n    print('ready', flush=True)\n"
                 "    time.sleep(60)\n", str(warehouse))
    with pytest.raises(RunLocked), run_lock(warehouse):
        pass
    first.kill()
    first.wait()
    with run_lock(warehouse) as path:
        assert path.read_text().strip() == str(__import__("os").getpid())


def test_findings_while_a_run_holds_the_warehouse_exits_3(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    writer = hold("import sys, time, duckdb\ncon = duckdb.connect(sys.argv[1])\n"
                  "print('ready', flush=True)\ntime.sleep(60)\n", str(warehouse))
    try:
        result = juesuan("findings", "--warehouse", str(warehouse))
    finally:
        writer.kill()
        writer.wait()
    assert result.returncode == 3, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "in use" in result.stderr


# --- #15: the smaller ones -------------------------------------------------------------------


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_a_corrupt_warehouse_is_one_line(tmp_path, reports):
    warehouse = tmp_path / "w.duckdb"
    warehouse.write_bytes(b"not a DuckDB file\n" * 1000)
    for command in (["findings"], ["run", "--reports", str(reports)]):
        result = juesuan(*command, "--warehouse", str(warehouse))
        assert result.returncode == 2
        assert "cannot open the warehouse" in one_line(result) and "not a valid DuckDB" in \
            result.stderr


def test_a_bad_dagster_home_is_one_line(tmp_path, reports):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "no-such-folder")}
    result = juesuan("run", "--reports", str(reports), "--warehouse", str(tmp_path / "w.duckdb"),
                     env=env)
    assert result.returncode == 2
    assert "DAGSTER_HOME" in one_line(result) and "no-such-folder" in result.stderr


def test_reports_pointing_at_a_file(tmp_path, reports):
    result = juesuan("run", "--reports", str(reports / SEED.name), "--warehouse",
                     str(tmp_path / "w.duckdb"))
    assert result.returncode == 2 and "is a file, not a folder" in one_line(result)


@pytest.mark.parametrize("years", ["2023-20230", "2023-2100", "1-2"])
def test_generate_years_has_bounds(tmp_path, years):
    result = juesuan("generate", "--units", "1", "--years", years, "--out", str(tmp_path / "c"))
    assert result.returncode == 2 and "--years" in one_line(result)
    assert not (tmp_path / "c").exists()


def test_a_utf16_report_is_read(tmp_path):
    from dagster_project.readers.text import read_text

    path = tmp_path / "utf16.txt"
    path.write_bytes(SEED.read_text("utf-8").encode("utf-16"))  # with its byte-order mark
    doc = read_text(path)
    assert doc.encoding == "utf-16"
    assert any("单位：武汉市蔡甸区总工会本级" in getattr(b, "text", "") for b in doc.blocks) or \
        "武汉市蔡甸区总工会本级" in str(doc.blocks[:40])


def test_symlinked_subfolders_are_followed_once(tmp_path):
    from dagster_project.ingest import report_paths

    top, other = tmp_path / "top", tmp_path / "other"
    top.mkdir()
    other.mkdir()
    (top / "a.txt").write_text("a")
    (other / "b.txt").write_text("b")
    (top / "linked").symlink_to(other, target_is_directory=True)
    (top / "again").symlink_to(other, target_is_directory=True)  # the same folder twice
    (top / "loop").symlink_to(top, target_is_directory=True)  # a loop
    found = [p.relative_to(top).as_posix() for p in report_paths(top)]
    assert sorted(found) in (["a.txt", "again/b.txt"], ["a.txt", "linked/b.txt"])


@pytest.mark.parametrize(("printed", "reason"), [
    ("534.7400001", "7 decimals"),
    ("\u0665\u0663\u0664.\u0667\u0664", "non-ASCII digits"),  # 534.74 in Arabic-Indic digits
])
def test_amounts_that_cannot_be_kept_as_printed_are_located(tmp_path, printed, reason):
    """An amount with more decimals than kept, or in another script's digits, makes its table
    unreadable with the cell's place; the rest of the report loads."""
    from dagster_project.interpret.report import interpret
    from dagster_project.readers.text import read_text

    lines = SEED.read_text("utf-8").split("\n")
    assert lines[60] == "\t534.74"  # L61: 公开01表's 一般公共预算财政拨款收入 (read by hand)
    lines[60] = "\t" + printed
    report = tmp_path / SEED.name
    report.write_text("\n".join(lines), "utf-8")
    facts = interpret(read_text(report))
    assert facts.tables["01"].status == "unreadable"
    [problem] = [p for p in facts.problems if p.kind == "unreadable_table"]
    assert "bad_amount" in problem.message and reason in problem.message
    assert str(problem.location).endswith(":L61")
    assert not [p for p in facts.problems if p.fatal]
    assert facts.tables["02"].status == "present"


def test_parse_amount_refuses_what_it_would_round_or_guess():
    from decimal import Decimal

    from dagster_project.amounts import SuspectAmount, parse_amount, to_wan_yuan

    assert parse_amount("534.740000").value == Decimal("534.74")  # 6 decimals: kept
    for text in ("0.0000001", "\u0661\u0662", "\u0967\u0968.5"):  # 7 decimals; Arabic, Devanagari
        with pytest.raises(SuspectAmount):
            parse_amount(text)
    assert to_wan_yuan(Decimal("12345.67"), "元") == Decimal("1.234567")
    with pytest.raises(SuspectAmount):
        to_wan_yuan(Decimal("12345.678"), "元")  # 1.2345678 万元
