"""What the browser tests of the dashboards share (test_dashboards, test_dashboards_other_
warehouses): their marks, the system Chromium and a page that records its requests (for their fixtures),
the app served by Streamlit on a free port of 127.0.0.1, `juesuan run` as
an operator runs it, and the checks every page must pass (no exception, no request beyond this
machine)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"
APP = ROOT / "dagster_project" / "dashboards" / "app.py"
CHROMIUM = "/usr/bin/chromium"
# This machine's network is closed: Chromium's own background connections must stay off.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 60_000
# every view of the app: its url path and its title (h1)
VIEWS = {"": "总览", "compare": "比较部门", "unit": "单位历年", "findings": "审核发现",
         "budget": "预算与决算"}
MARKS = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("dashboards"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs the system Chromium (.ci/run)"),
]


def chromium():
    """The system Chromium, for a module's `browser` fixture (`yield from chromium()`)."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def recorded_page(browser):
    """For a `page` fixture (`yield from recorded_page(browser)`): a page that records every
    request it makes; the test ends checking none left the host."""
    context, page = recording_page(browser)
    yield page
    context.close()
    assert page.requests and not outside(page.requests), \
        f"requests beyond 127.0.0.1: {outside(page.requests)}"


def env(dagster_home: Path | None = None, **extra: str) -> dict[str, str]:
    """The test's environment for a subprocess; an ephemeral Dagster instance unless a home is
    given (one the test reads afterwards)."""
    out = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    out.update(DBT_SEND_ANONYMOUS_USAGE_STATS="False", DO_NOT_TRACK="1", **extra)
    if dagster_home is not None:
        dagster_home.mkdir(parents=True, exist_ok=True)
        (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", "utf-8")
        out["DAGSTER_HOME"] = str(dagster_home)
    return out


def start_run(reports: Path, warehouse: Path, dagster_home: Path | None = None,
              **kwargs) -> subprocess.Popen:
    """`juesuan run` on a folder, started (the caller waits for it)."""
    return subprocess.Popen([str(BIN / "juesuan"), "run", "--reports", str(reports),
                             "--warehouse", str(warehouse)], env=env(dagster_home), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """Streamlit serving the dashboards over one BI file, on a free port of 127.0.0.1."""

    def __init__(self, bi: Path, home: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        home.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [str(BIN / "streamlit"), "run", str(APP), "--server.address", "127.0.0.1",
             "--server.port", str(self.port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env(JUESUAN_BI=str(bi), HOME=str(home)),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("streamlit did not start")
            time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def recording_page(browser):
    """A new context and page that records every request the page makes (page.requests)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.requests = requests
    return context, page


def outside(requests: list[str]) -> list[str]:
    return [u for u in requests if urlparse(u).scheme not in ("data", "blob", "about")
            and urlparse(u).hostname != "127.0.0.1"]


def open_view(page, app: App, path: str = "") -> None:
    page.goto(f"{app.url}/{path}")
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=WAIT_MS)


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")
