"""Hostile files mixed into a folder of good reports (issue 11): does every good report load,
is every hostile file an ingest error with its reason, and do memory and time stay bounded?

Usage: python benchmarks/bench_hostile.py [--good 100] [--memory-mb 1024] [--seconds 60]
       [--max-pages 500] [--out DIR]

Writes `--good` generated text reports (the generator's, 2 years) and the hostile files below
into one folder, runs `juesuan run` on it as an operator would (the limits set through their
environment variables), samples the resident memory of the run's whole process tree every
0.2 s, then checks the warehouse. The hostile files:

- PDF decompression bombs: one FlateDecode stream expanding to 1 GiB and to 4 GiB;
- a 2,000-page PDF (empty pages);
- a report whose 单位： line holds a path traversal and terminal escapes; a file name with
  escapes; a report with 公开01表 printed twice (identical: loads, with an info finding);
- a UTF-16 copy of a good report (loads), a binary file, an empty file, a truncated report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.hostile_files import bomb_pdf, many_pages_pdf  # noqa: E402

SEED = ROOT / "seeds" / "reports" / "caidian-trade-union-2024.txt"
SEED_UNIT = "武汉市蔡甸区总工会本级"


def hostile_files(folder: Path) -> dict[str, str]:
    """Write the hostile files; file name -> what should become of it ('load' or 'fail')."""
    seed = SEED.read_text("utf-8")
    lines = seed.split("\n")
    (folder / "bomb-1gib.pdf").write_bytes(bomb_pdf(1024))
    (folder / "bomb-4gib.pdf").write_bytes(bomb_pdf(4096))
    (folder / "pages-2000.pdf").write_bytes(many_pages_pdf(2000))
    (folder / "traversal-unit.txt").write_text(
        seed.replace(SEED_UNIT, "../../../tmp/\x1b[2J\x1b[1;1Hpwned"), "utf-8")
    (folder / "escape-\x1b[31mname.txt").write_text(seed.replace(SEED_UNIT, "转义文件名单位"),
                                                    "utf-8")
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "公开01表")
    end = next(i for i, ln in enumerate(lines) if ln.strip() == "公开02表")
    twice = lines[:end] + lines[start:end] + lines[end:]
    (folder / "table-twice.txt").write_text(
        "\n".join(twice).replace(SEED_UNIT, "重复表格单位"), "utf-8")
    (folder / "utf16.txt").write_bytes(seed.replace(SEED_UNIT, "UTF16单位").encode("utf-16"))
    (folder / "binary.txt").write_bytes(os.urandom(4096) + b"\x00" * 16)
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.txt").write_text(
        "\n".join(lines[: len(lines) // 3]).replace(SEED_UNIT, "截断单位"), "utf-8")
    return {"bomb-1gib.pdf": "fail", "bomb-4gib.pdf": "fail", "pages-2000.pdf": "fail",
            "traversal-unit.txt": "load", "escape-\x1b[31mname.txt": "load",
            "table-twice.txt": "load", "utf16.txt": "load", "binary.txt": "fail",
            "empty.pdf": "fail", "truncated.txt": "fail"}


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (MB), from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            statm = Path(f"/proc/{entry}/statm").read_text().split()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = int(statm[1]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--good", type=int, default=100)
    parser.add_argument("--memory-mb", type=int, default=1024)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-pages", type=int, default=500)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    from dagster_project.generate.corpus import generate

    generate(out / "corpus", args.good // 2, range(2023, 2025), seed=11)
    folder = out / "corpus" / "reports"
    good = sorted(p.name for p in folder.iterdir())
    expected = hostile_files(folder)
    env = {**os.environ, "JUESUAN_PARSE_MEMORY_MB": str(args.memory_mb),
           "JUESUAN_PARSE_SECONDS": str(args.seconds), "JUESUAN_MAX_PAGES": str(args.max_pages)}
    env.pop("DAGSTER_HOME", None)
    warehouse = out / "w.duckdb"
    started = time.monotonic()
    run = subprocess.Popen([sys.executable, "-m", "dagster_project.cli", "run", "--reports",
                            str(folder), "--warehouse", str(warehouse), "--hierarchy",
                            str(out / "corpus" / "unit_hierarchy.csv")], env=env, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    while run.poll() is None:
        peak = max(peak, tree_rss_mb(run.pid))
        time.sleep(0.2)
    stdout, stderr = run.communicate()
    seconds = time.monotonic() - started
    (out / "run-stdout.txt").write_text(stdout, "utf-8")
    print(json.dumps({"exit_code": run.returncode, "seconds": round(seconds, 1),
                      "peak_tree_rss_mb": round(peak)}), flush=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = {r[0] for r in con.execute("select file_name from raw.reports").fetchall()}
        errors = {}
        for name, kind, message in con.execute(
                "select file_name, error_kind, message from raw.ingest_errors where is_fatal "
                "order by 1").fetchall():
            errors.setdefault(name, f"{kind}: {message}")
    rows = []
    for name, fate in expected.items():
        got = "load" if name in loaded else "fail"
        rows.append({"file": name.encode("unicode_escape").decode(), "expected": fate,
                     "got": got, "reason": errors.get(name, "")[:110]})
    result = {
        "good_reports": len(good), "good_loaded": sum(n in loaded for n in good),
        "hostile_as_expected": sum(r["expected"] == r["got"] for r in rows),
        "hostile": len(rows), "exit_code": run.returncode, "seconds": round(seconds, 1),
        "peak_tree_rss_mb": round(peak), "memory_limit_mb": args.memory_mb,
        "failed_without_reason": [r["file"] for r in rows if r["got"] == "fail"
                                  and not r["reason"]],
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    print("| file | expected | got | reason |\n|---|---|---|---|")
    for r in rows:
        print(f"| `{r['file']}` | {r['expected']} | {r['got']} | {r['reason']} |")
    if run.returncode not in (0, 4):
        print(stderr[-3000:], file=sys.stderr)


if __name__ == "__main__":
    main()
