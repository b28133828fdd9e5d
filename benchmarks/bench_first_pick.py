"""The first finding pick after the dashboards' server starts, where its time goes.

For each run: a fresh Streamlit server over the BI file, Chromium visits 总览, 比较部门 and
审核发现 (as bench_dashboards.py does), then opens the first four findings of the list. Each
pick is split into: opening the picker (the browser's own work, including code it is still
loading for the view), the click, the details shown, and the source shown (the page image
loaded, or the cited line marked). With --idle the picks wait until the page has made no
request for 0.5 s and 2 s more (the view's code all loaded): what is left is the pick's own.

Usage: python benchmarks/bench_first_pick.py --bi data/bi.duckdb [--runs 3] [--idle]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser import CHROMIUM, CHROMIUM_ARGS, App  # noqa: E402 - the repo root first

PICKER = "打开一条发现，查看原文位置"
SHOWN = ("() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')]"
         ".some(i => i.complete && i.naturalWidth > 0)"
         " || document.querySelector('mark[data-cited-line]')"
         " || document.body.innerText.includes('没有可定位')")


def _settled(page) -> None:
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=120_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)


def one_run(bi: Path, idle: bool) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-first-pick-") as home:
        app = App(bi, Path(home))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                for path in ("", "compare", "findings"):
                    page.goto(f"{app.url}/{path}")
                    _settled(page)
                if idle:
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(2000)
                picks = []
                for n in range(4):
                    t0 = time.perf_counter()
                    page.get_by_role("combobox", name=PICKER).click()
                    option = page.get_by_role("option").nth(n)
                    t1 = time.perf_counter()
                    option.click()
                    t2 = time.perf_counter()
                    expect(page.get_by_text("发现详情")).to_be_visible(timeout=120_000)
                    t3 = time.perf_counter()
                    page.wait_for_function(SHOWN, timeout=120_000)
                    t4 = time.perf_counter()
                    picks.append({"total": t4 - t0, "picker": t1 - t0, "click": t2 - t1,
                                  "details": t3 - t2, "source": t4 - t3})
                browser.close()
        finally:
            app.stop()
    return picks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bi", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", action="store_true")
    args = parser.parse_args()
    runs = [one_run(Path(args.bi).resolve(), args.idle) for _ in range(args.runs)]
    for i, picks in enumerate(runs):
        print(f"run {i + 1}: " + "; ".join(
            f"pick {n + 1} {p['total']:.2f} s (picker {p['picker']:.2f}, click {p['click']:.2f}, "
            f"details {p['details']:.2f}, source {p['source']:.2f})" for n, p in enumerate(picks)))
    firsts = [r[0]["total"] for r in runs]
    later = [p["total"] for r in runs for p in r[1:]]
    print(f"first pick: median {statistics.median(firsts):.2f} s, max {max(firsts):.2f} s; "
          f"later picks: median {statistics.median(later):.2f} s, max {max(later):.2f} s; "
          f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
