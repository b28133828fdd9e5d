"""Warming, in the background, what the first finding pick would otherwise pay for.

Measured (benchmarks/RESULTS.md, dashboards, session 8): the first pick after the server
starts spent 0.3-0.4 s of server time that later picks do not - the finding's two queries
(the first connection to this copy of the BI file), the first page rendered by pdfium and
its PNG encoding - on top of the browser still loading the findings grid's code. Once per
copy of the BI file, after a view's script has run, a thread asks the findings list's first
questions and renders the pages of the first listed findings into the caches the pick reads
(data.query's answers, source.page_png), so a pick of one of them finds them ready.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from dagster_project.dashboards import queries
from dagster_project.dashboards.data import bi_file
from dagster_project.dashboards.findings import default_severities, pages_to_show
from dagster_project.dashboards.source import page_png

FIRST = 5  # findings of the list warmed: those a reader most likely opens first
_WARMED: set[tuple] = set()
_LOCK = threading.Lock()
log = logging.getLogger(__name__)


def warm_first_findings() -> threading.Thread | None:
    """Start warming the current copy of the BI file, unless it is warmed already or there is
    nothing published; the thread, for a caller that waits (tests)."""
    path = bi_file()
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    with _LOCK:
        if key in _WARMED:
            return None
        _WARMED.add(key)
    thread = threading.Thread(target=_warm, name="warm-first-findings", daemon=True)
    thread.start()
    return thread


def _warm() -> None:
    try:
        found = queries.findings(default_severities(), [], [], [], [])
        for finding_id in found["finding_id"][:FIRST]:
            finding = queries.finding(finding_id).iloc[0]
            cells = queries.finding_cells(finding_id)
            if finding.file_format == "pdf" and Path(finding.file_path).exists():
                for page_no, boxes in pages_to_show(finding, cells).items():
                    page_png(finding.file_path, page_no, boxes)
    except Exception:  # noqa: BLE001 - warming is an optimisation: the pick computes it anyway
        log.warning("warming the first findings failed", exc_info=True)
