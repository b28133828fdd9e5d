"""Reading findings back: the `juesuan findings` listing and the HTML audit report per report."""

from __future__ import annotations

import html
import re
from pathlib import Path

import duckdb

SEVERITY_ORDER = ["error", "warning", "indeterminate", "info"]
FAMILY_NAMES = {
    "within_table": "表内等式 Within a table",
    "across_tables": "表间等式 Across tables",
    "text_vs_table": "文字与表格 Text against tables",
    "performance": "绩效 Performance",
    "across_years": "跨年度 Across years",
    "across_units": "跨单位 Across units",
    "across_documents": "预算与决算 Budget against final accounts",
    "rounding": "舍入差异 Rounding (not errors)",
}
COLUMNS = ["finding_id", "report_id", "unit_name", "fiscal_year", "rule_id", "rule_family",
           "severity", "table_code", "row_code", "row_label", "column_label", "source_location",
           "message"]


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def query_findings(con: duckdb.DuckDBPyConnection, unit: str | None = None,
                   year: int | None = None, severity: str | None = None,
                   report_ids: list[str] | None = None) -> list[dict]:
    where, params = [], []
    if report_ids is not None:
        where.append("list_contains(?, report_id)")
        params.append(report_ids)
    for column, value in (("unit_name", unit), ("fiscal_year", year), ("severity", severity)):
        if value is not None:
            # --unit matches a part of the name, literally: % and _ in it are not wildcards.
            where.append(f"{column} {'like' if column == 'unit_name' else '='} ?"
                         + (" escape '\\'" if column == "unit_name" else ""))
            params.append(f"%{_like_literal(value)}%" if column == "unit_name" else value)
    sql = (f"select {', '.join(COLUMNS)} from marts.audit_findings "
           f"{'where ' + ' and '.join(where) if where else ''} "
           "order by unit_name, fiscal_year, case severity when 'error' then 0 when 'warning' "
           "then 1 when 'indeterminate' then 2 else 3 end, rule_family, rule_id, source_location")
    return [dict(zip(COLUMNS, row, strict=True)) for row in con.execute(sql, params).fetchall()]


def render_text(findings: list[dict]) -> str:
    lines = []
    for f in findings:
        lines.append(f"[{f['severity']}] {f['unit_name']} {f['fiscal_year']} {f['rule_id']} "
                     f"@ {f['source_location'] or '—'}")
        lines.append(f"    {f['message']}")
    return "\n".join(lines)


def render_html(report: dict, findings: list[dict]) -> str:
    """One self-contained HTML page: findings grouped by family, each with its location."""
    esc = html.escape
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITY_ORDER}
    parts = [
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>",
        f"<title>审计报告 {esc(report['unit_name'])} {report['fiscal_year']}</title>",
        "<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
        "td,th{border-bottom:1px solid #ddd;padding:.3em .6em;vertical-align:top;text-align:left}"
        "table{border-collapse:collapse;width:100%}.error{color:#b00}.warning{color:#a60}"
        ".indeterminate{color:#555}.info{color:#080}code{font-size:90%}</style></head><body>",
        f"<h1>{esc(report['unit_name'])} {report['fiscal_year']}年度 审计结果</h1>",
        f"<p>文件 <code>{esc(report['file_name'])}</code> · SHA-256 <code>{esc(report['sha256'])}</code>"
        f" · 第 {report['revision']} 版</p>",
        "<p>" + " · ".join(f"<span class='{s}'>{s} {n}</span>" for s, n in counts.items()) + "</p>",
    ]
    for family, title in FAMILY_NAMES.items():
        rows = [f for f in findings if f["rule_family"] == family]
        if not rows:
            continue
        parts.append(f"<h2>{esc(title)} ({len(rows)})</h2><table><tr><th>级别</th><th>规则</th>"
                     "<th>位置</th><th>说明</th></tr>")
        for f in sorted(rows, key=lambda f: SEVERITY_ORDER.index(f["severity"])):
            parts.append(
                f"<tr><td class='{f['severity']}'>{f['severity']}</td><td><code>"
                f"{esc(f['rule_id'])}</code></td><td><code>{esc(f['source_location'] or '—')}"
                f"</code></td><td>{esc(f['message'])}</td></tr>")
        parts.append("</table>")
    if not findings:
        parts.append("<p>没有发现问题。No findings.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


# A unit name comes from the document: in a file name it keeps only letters (Chinese ones
# included), digits, '-' and '_', and at most 60 of them, so a name can never leave the folder
# (`../`, `/`), hold a NUL or outgrow the file system's 255 bytes.
_UNSAFE = re.compile(r"[^\w-]+")


def html_name(report: dict) -> str:
    slug = _UNSAFE.sub("_", str(report["unit_name"] or ""))[:60].strip("_") or "report"
    return f"{slug}-{report['fiscal_year']}-{report['report_id']}.html"


# The names of the pages this warehouse's runs wrote, one per line. A run deletes only pages
# named here: the folder may hold anyone's files, and never another warehouse's pages.
LEDGER = ".pages-written"


def _ledger(folder: Path) -> set[str]:
    path = folder / LEDGER
    return set(path.read_text(encoding="utf-8").split("\n")) - {""} if path.exists() else set()


def _write_aside(path: Path, text: str) -> None:
    """Written to a temp file and renamed: a run killed mid-write leaves no half page behind."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_html_reports(con: duckdb.DuckDBPyConnection, folder: Path,
                       rebuilt: set[str] | None = None) -> list[Path]:
    """One page per current report revision; returns the pages written.

    `rebuilt`: the reports an incremental build recomputed. Only their pages (and those of
    reports whose page is missing or empty, as a run killed while writing could leave) are
    written then; 10,000 unchanged pages are not. Pages this warehouse wrote for revisions that
    are no longer current are removed either way; no other file is.
    """
    folder.mkdir(parents=True, exist_ok=True)
    cols = ["report_id", "unit_name", "fiscal_year", "file_name", "sha256", "revision"]
    reports = [dict(zip(cols, r, strict=True)) for r in con.execute(
        f"select {', '.join(cols)} from raw.reports where not is_superseded").fetchall()]
    current = {html_name(r) for r in reports}
    for stale in _ledger(folder) - current:
        (folder / stale).unlink(missing_ok=True)
    complete = {p.name for p in folder.glob("*.html") if p.stat().st_size > 0}
    if rebuilt is not None:
        reports = [r for r in reports if r["report_id"] in rebuilt or html_name(r) not in complete]
    # All findings in one query, in the listing's order, then split by report: a query per
    # report scanned every finding each time (75 s on 10,000 reports, growing as N²).
    by_report: dict[str, list[dict]] = {}
    ids = None if rebuilt is None else [r["report_id"] for r in reports]
    for finding in query_findings(con, report_ids=ids):
        by_report.setdefault(finding["report_id"], []).append(finding)
    paths = []
    for report in reports:
        path = folder / html_name(report)
        if path.resolve().parent != folder.resolve():
            continue  # html_name keeps names in the folder; never write anywhere else
        _write_aside(path, render_html(report, by_report.get(report["report_id"], [])))
        paths.append(path)
    _write_aside(folder / LEDGER, "\n".join(sorted(current)) + "\n")
    return paths
