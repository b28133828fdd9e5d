"""The dashboards in a real browser: the bundled reports loaded by the real pipeline, the app
served by Streamlit on a free port, Chromium driven by Playwright.

Expected figures are read from the source documents (page or line given), not from the code.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO

import duckdb
import pdfplumber
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser import (
    BIN,
    MARKS,
    ROOT,
    WAIT_MS,
    App,
    chromium,
    env,
    no_exception,
    open_view,
    outside,
    recorded_page,
    start_run,
)

REPORTS = ROOT / "seeds" / "reports"

pytestmark = MARKS


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture
def page(browser):
    yield from recorded_page(browser)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return tmp_path_factory.mktemp("dashboards")


@pytest.fixture(scope="module")
def app(base):
    """The app, started before anything is loaded: its BI file does not exist yet."""
    served = App(base / "bi.duckdb", base / "home")
    yield served
    served.stop()


@pytest.fixture(scope="module")
def loaded(base, app, browser):
    """The bundled reports loaded by the real pipeline (`juesuan run`) while a browser keeps
    reading the dashboards: what each read showed, and the run's output."""
    reports = base / "reports"
    shutil.copytree(REPORTS, reports)
    run = start_run(reports, base / "warehouse.duckdb", dagster_home=base / "dagster_home")
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    reads = []
    try:
        while run.poll() is None:
            page.goto(app.url)
            # the view has run to its end: it says how to load reports, or when data was published
            expect(page.get_by_text(re.compile("如何加载报告|数据发布于")).first).to_be_visible(
                timeout=WAIT_MS)
            errors = page.locator('[data-testid="stException"]')
            reads.append({"how_to_load": page.get_by_text("如何加载报告").count() > 0,
                          "exception": [errors.nth(i).inner_text()[:800]
                                        for i in range(errors.count())],
                          "traceback": "Traceback" in page.inner_text("body")})
    finally:
        context.close()
        out, _ = run.communicate(timeout=900)
    return {"returncode": run.returncode, "output": out, "reads": reads, "base": base,
            "outside": outside(requests)}


@pytest.fixture(scope="module")
def served(app, loaded):
    """The app once the load has published the BI file."""
    assert loaded["returncode"] == 0, loaded["output"]
    return app


def test_overview_counts_reports_and_findings(page, served):
    open_view(page, served)
    expect(page.get_by_text("报告（按年度与类型）")).to_be_visible(timeout=WAIT_MS)
    # four 部门决算 reports: one of 2019 (佛山市轨道交通局), three of 2024
    table = page.locator('[data-testid="stTable"]').first
    expect(table).to_contain_text("2019", timeout=WAIT_MS)
    rows = table.locator("tbody tr")
    assert [r.inner_text().split() for r in rows.all()] == [["2019", "部门决算", "1"],
                                                            ["2024", "部门决算", "3"]]
    # the 佛山市轨道交通局 2019 report prints no 公开08表 (国有资本经营预算): loaded without it
    problems = page.locator('[data-testid="stTable"]').nth(1)
    expect(problems).to_contain_text("foshan-rail-transit-bureau-2019.pdf")
    expect(problems).to_contain_text("公开08表")
    expect(page.get_by_text("审核发现（按严重性与规则族）")).to_be_visible()
    # a chart with its numbers on hover sits beside the table
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(2, timeout=WAIT_MS)
    no_exception(page)


def test_compare_departments_prints_the_documents_figures(page, served):
    open_view(page, served, "compare")
    main = page.locator('[data-testid="stMain"]')
    # 国家信访局 2024, p.7: 本年支出合计 14,572.53; p.9: 基本支出 11,073.11, 项目支出 3,499.42
    expect(main).to_contain_text("14,572.53", timeout=WAIT_MS)
    # 上海市普陀区财政局 2024, p.15: 合计 2,940.05 = 2,336.91 + 603.14; p.21 states 79.49%
    expect(main).to_contain_text("2,940.05")
    expect(main).to_contain_text("79.49%")
    # 武汉市蔡甸区总工会本级 2024, 公开03表 (L606-608): 合计 534.74, 基本支出 506.87
    expect(main).to_contain_text("534.74")
    # 国家信访局 p.9: 一般公共服务支出 10,685.56 (功能分类 201), by class
    expect(main).to_contain_text("10,685.56")
    # the chart gives each bar's figure on hover (国家信访局 一般公共服务支出, p.9)
    chart = main.locator('[data-testid="stPlotlyChart"]').first
    bars = chart.locator("g.point path")
    expect(bars.first).to_be_attached(timeout=WAIT_MS)
    hovered = []
    for i in range(bars.count()):
        bars.nth(i).hover(force=True)
        page.wait_for_timeout(100)
        hovered += chart.locator("g.hoverlayer text").all_text_contents()
    assert "一般公共服务支出10,685.56 万元" in hovered, hovered
    first_rows = main.locator('[data-testid="stTable"]').first.locator("tbody tr")
    # sorted by the first indicator (支出合计), largest first
    assert [r.locator("td").first.inner_text() for r in first_rows.all()][:3] == [
        "国家信访局", "上海市普陀区财政局", "武汉市蔡甸区总工会本级"]
    no_exception(page)


def test_compare_departments_sorts_by_a_chosen_indicator(page, served):
    open_view(page, served, "compare")
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("14,572.53", timeout=WAIT_MS)
    page.get_by_role("combobox", name="排序").click()
    page.get_by_role("option", name="三公经费（万元）", exact=True).click()
    page.get_by_text("从大到小", exact=True).click()
    expect(page.get_by_text("按「三公经费（万元）」从小到大排列")).to_be_visible(timeout=WAIT_MS)
    rows = [[td.inner_text() for td in r.locator("td").all()]
            for r in main.locator('[data-testid="stTable"]').first.locator("tbody tr").all()]
    # 国家信访局 2024, p.24: 三公经费 决算 46.21 万元; 蔡甸区总工会本级 (L1843): no 三公经费;
    # smallest first puts 国家信访局 last, with its figure
    assert rows[-1][0] == "国家信访局" and "46.21" in rows[-1], rows
    assert [r[0] for r in rows].index("武汉市蔡甸区总工会本级") < len(rows) - 1
    no_exception(page)


def test_one_unit_over_the_years(page, served):
    open_view(page, served, "unit")
    main = page.locator('[data-testid="stMain"]')
    # the first unit by name: 上海市普陀区财政局 (p.15: 2,940.05; p.21: 基本支出占比 79.49%)
    expect(main).to_contain_text("2,940.05", timeout=WAIT_MS)
    expect(main).to_contain_text("79.49%")
    no_exception(page)


def _pick_finding(page, served, rule: str) -> None:
    open_view(page, served, "findings")
    page.get_by_role("combobox", name="打开一条发现，查看原文位置").click()
    page.get_by_role("option").filter(has_text=rule).first.click()
    expect(page.get_by_text("发现详情")).to_be_visible(timeout=WAIT_MS)


def _red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 200 and g < 80 and b < 80


def test_a_finding_opens_its_page_with_the_compared_cells_framed(page, served, loaded):
    pdf_path = REPORTS / "putuo-finance-bureau-2024.pdf"
    _pick_finding(page, served, "R.class_share")
    image = page.locator('[data-testid="stImage"] img').first
    expect(image).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("source-page-15")).to_be_visible()
    shot = Image.open(BytesIO(image.screenshot())).convert("RGB")
    with pdfplumber.open(pdf_path) as pdf:
        width_pt = pdf.pages[14].width
        # where the document prints the compared figures (p.15, 公开05表): 2,106.66 of
        # 一般公共服务支出 (its first row, the 类) and the 合计 2,940.05
        words = {w["text"]: w for w in reversed(pdf.pages[14].extract_words())}
    scale = shot.width / float(width_pt)
    bi = duckdb.connect(str(loaded["base"] / "bi.duckdb"), read_only=True)
    boxes = bi.execute(
        "select c.printed_text, c.bbox_x0, c.bbox_top, c.bbox_x1, c.bbox_bottom "
        "from marts.audit_finding_cells c join marts.audit_findings f using (finding_id) "
        "where f.rule_id = 'R.class_share' and c.page_no = 15").fetchall()
    bi.close()
    assert {b[0] for b in boxes} == {"2,106.66", "2,940.05"}
    for text, x0, top, x1, bottom in boxes:
        word = words[text]
        # the cell's full box holds the printed figure (not just a corner of it)
        assert x0 <= word["x0"] and word["x1"] <= x1
        assert top <= (word["top"] + word["bottom"]) / 2 <= bottom
        # and the frame on screen is drawn along that box
        on_edges = [(x, y) for x in range(round(x0 * scale), round(x1 * scale), 4)
                    for y in (round(top * scale), round(bottom * scale))] + \
                   [(x, y) for y in range(round(top * scale), round(bottom * scale), 4)
                    for x in (round(x0 * scale), round(x1 * scale))]

        def framed(points):
            hits = sum(any(_red(shot.getpixel((min(max(x + dx, 0), shot.width - 1),
                                               min(max(y + dy, 0), shot.height - 1))))
                           for dx in (-2, -1, 0, 1, 2) for dy in (-2, -1, 0, 1, 2))
                       for x, y in points)
            return hits / len(points)

        assert framed(on_edges) > 0.9, text
        # a box 40 points lower is not framed: the frame is where the cell is, not anywhere
        assert framed([(x, y + round(40 * scale)) for x, y in on_edges]) < 0.3, text
    no_exception(page)


def test_a_text_report_finding_marks_the_cited_line(page, served):
    _pick_finding(page, served, "P.department_basic")
    marked = page.locator("mark[data-cited-line]").first
    expect(marked).to_be_visible(timeout=WAIT_MS)
    # 武汉市蔡甸区总工会本级, 公开03表 合计 / 基本支出: line 607 of the text report prints 506.87
    assert marked.get_attribute("data-cited-line") == "607"
    assert "506.87" in marked.inner_text()
    no_exception(page)


def test_budget_view_says_budgets_are_not_loaded(page, served):
    open_view(page, served, "budget")
    expect(page.get_by_text("尚未加载部门预算报告", exact=False)).to_be_visible(timeout=WAIT_MS)
    no_exception(page)


def test_a_load_runs_while_the_dashboard_reads(loaded):
    """The reports are loaded (`juesuan run`) while the browser keeps reading the dashboards:
    the run succeeds, and every read succeeded - first saying how to load reports (nothing
    published yet, never a stack trace), then, once, showing the data."""
    assert loaded["returncode"] == 0, loaded["output"]
    reads = loaded["reads"]
    assert len(reads) >= 2, "the dashboards were not read during the load"
    assert not [r for r in reads if r["exception"] or r["traceback"]], reads
    assert reads[0]["how_to_load"]
    assert not loaded["outside"], loaded["outside"]


def test_publishing_again_under_open_readers(page, served, loaded):
    """A publish renames a new file over the one the app reads: the next query sees it."""
    from dagster_project.publish import publish

    base = loaded["base"]
    con = duckdb.connect(str(base / "warehouse.duckdb"))
    try:
        for amount in ("16,000.00",):
            # the only change: the published copy of 国家信访局's total
            con.execute("update marts.fct_unit_year_summary set expenditure_total_wan_yuan = ? "
                        "where unit_name = '国家信访局'", [amount.replace(",", "")])
            open_view(page, served, "compare")
            reader = duckdb.connect(str(base / "bi.duckdb"), read_only=True)  # held open
            publish(con, base / "bi.duckdb")
            reader.close()
            open_view(page, served, "compare")
            expect(page.locator('[data-testid="stMain"]')).to_contain_text(amount, timeout=WAIT_MS)
            no_exception(page)
    finally:
        con.close()


def test_export_dashboard_writes_static_html_without_a_cdn(served, loaded, tmp_path):
    out = tmp_path / "export"
    done = subprocess.run([str(BIN / "juesuan"), "export-dashboard", str(out), "--bi",
                           str(loaded["base"] / "bi.duckdb")], env=env(), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["compare-2019.html", "compare-2024.html",
                                                     "index.html"]
    page_2024 = (out / "compare-2024.html").read_text("utf-8")
    # 国家信访局 2024, p.9: 一般公共服务支出 10,685.56; 上海市普陀区财政局 p.15: 合计 2,940.05
    assert "10,685.56" in page_2024 and "2,940.05" in page_2024
    for path in out.iterdir():
        text = path.read_text("utf-8")
        assert not re.search(r"<script[^>]*\bsrc\s*=\s*[\"']?(https?:)?//", text, re.I), path.name
        assert not re.search(r"<link[^>]*href\s*=\s*[\"']?(https?:)?//", text, re.I), path.name
    # the chart library itself is inside the file
    assert "Plotly" in page_2024 and len(page_2024) > 1_000_000


def test_export_dashboard_without_a_bi_file_says_so(tmp_path):
    done = subprocess.run([str(BIN / "juesuan"), "export-dashboard", str(tmp_path / "out"),
                           "--bi", str(tmp_path / "missing.duckdb")], env=env(), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "juesuan run" in done.stderr and "Traceback" not in done.stderr


def test_the_first_listed_findings_are_warmed_in_the_background(served, loaded, monkeypatch):
    """What the first pick needs is asked and rendered ahead of it: after warming, the list's
    question and the first PDF finding's framed page are answered from the caches."""
    from dagster_project.dashboards import queries, source, warm
    from dagster_project.dashboards.findings import default_severities, pages_to_show

    monkeypatch.setenv("JUESUAN_BI", str(loaded["base"] / "bi.duckdb"))
    monkeypatch.setattr(warm, "_WARMED", set())
    source._png.cache_clear()
    thread = warm.warm_first_findings()
    thread.join(120)
    assert warm.warm_first_findings() is None  # once per copy of the BI file
    found = queries.findings(default_severities(), [], [], [], [])
    first_pdf = next(f for f in found["finding_id"][:warm.FIRST]
                     if queries.finding(f).iloc[0].file_format == "pdf")
    finding = queries.finding(first_pdf).iloc[0]
    pages = pages_to_show(finding, queries.finding_cells(first_pdf))
    assert pages
    before = source._png.cache_info()
    for page_no, boxes in pages.items():
        source.page_png(finding.file_path, page_no, boxes)
    after = source._png.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (len(pages), 0)


def _events(instance, run_id: str, step: str, kind: str) -> list[tuple[int, object]]:
    """(position in the run's event log, event) of one step's events of one kind."""
    return [(i, e.dagster_event) for i, e in enumerate(instance.all_logs(run_id))
            if e.dagster_event and e.dagster_event.step_key == step
            and e.dagster_event.event_type_value == kind]


def test_the_bi_file_is_published_after_the_checks(served, loaded, monkeypatch):
    """In the run of `juesuan run`, the GX checks of the residuals ran before the publish
    started, and findings (data: the seed reports hold error findings) did not stop it: their
    checks failed with WARN severity, and the BI file's materialisation is in the instance."""
    import dagster as dg

    monkeypatch.setenv("DAGSTER_HOME", str(loaded["base"] / "dagster_home"))
    instance = dg.DagsterInstance.get()
    [run] = instance.get_runs()
    assert run.status == dg.DagsterRunStatus.SUCCESS
    checks = _events(instance, run.run_id, "identity_suites", "ASSET_CHECK_EVALUATION")
    [(started, _)] = _events(instance, run.run_id, "bi_file", "STEP_START")
    [(published, _)] = _events(instance, run.run_id, "bi_file", "ASSET_MATERIALIZATION")
    assert len(checks) == 7  # one per rule family
    assert max(i for i, _e in checks) < started < published
    results = [e.event_specific_data for _i, e in checks]
    assert all(r.blocking for r in results)
    # rules of severity error failed (findings), yet the publish ran: WARN, not ERROR
    failing = [r for r in results if r.metadata["failed_error_rules"].value > 0]
    assert failing and all(not r.passed and r.severity == dg.AssetCheckSeverity.WARN
                           for r in failing)
    bi = duckdb.connect(str(loaded["base"] / "bi.duckdb"), read_only=True)
    try:
        assert bi.execute("select count(*) from marts.audit_findings "
                          "where severity = 'error'").fetchall()[0][0] > 0
    finally:
        bi.close()
    latest = instance.get_latest_materialization_event(dg.AssetKey("bi_file"))
    assert latest.run_id == run.run_id
    # the UI shows when it was last published: the event's time and the file it wrote
    assert latest.asset_materialization.metadata["path"].value == str(
        (loaded["base"] / "bi.duckdb").resolve())


def test_a_structural_check_failure_stops_the_publish(served, loaded, tmp_path, monkeypatch):
    """A residual whose status is none of the four (the residuals themselves are wrong, not a
    finding) fails its family's check with ERROR severity, and the blocking check stops the
    publish in a real Dagster run: no BI file is written."""
    import dagster as dg

    from dagster_project.assets.audit import RESIDUALS_KEY
    from dagster_project.definitions import build_definitions

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(loaded["base"] / "warehouse.duckdb", warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("update intermediate.int_audit__evaluations set status = 'passed' "
                    "where rule_id = (select min(rule_id) from intermediate.int_audit__evaluations "
                    "where rule_family = 'within_table')")
    finally:
        con.close()
    monkeypatch.setenv("JUESUAN_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("JUESUAN_BI", str(tmp_path / "bi.duckdb"))
    publish_after_checks = dg.define_asset_job(
        "publish_after_checks", selection=dg.AssetSelection.assets("bi_file")
        | dg.AssetSelection.checks_for_assets(RESIDUALS_KEY))
    defs = dg.Definitions.merge(build_definitions(dg.in_process_executor),
                                dg.Definitions(jobs=[publish_after_checks]))
    result = defs.resolve_job_def("publish_after_checks").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert not result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    within = evaluations["gx_within_table"]
    assert not within.passed and within.severity == dg.AssetCheckSeverity.ERROR
    assert within.metadata["structural_failures"].value == ["expect_column_values_to_be_in_set"]
    # the other families' findings stay WARN
    assert all(e.severity == dg.AssetCheckSeverity.WARN for n, e in evaluations.items()
               if n != "gx_within_table")
    assert not result.get_asset_materialization_events()
    assert not (tmp_path / "bi.duckdb").exists()


def test_a_run_that_changes_a_report_publishes_only_its_rows(served, loaded):
    """Last in this file (it changes the loaded warehouse): a changed report, loaded by
    `juesuan run`, is built incrementally and the BI file is brought up to date by replacing
    that report's rows - and then holds exactly what the warehouse's marts hold."""
    from dagster_project.publish import WAREHOUSE_ONLY, mart_tables

    base = loaded["base"]
    changed = base / "reports" / "caidian-trade-union-2024.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")  # a new revision, the same figures
    run = start_run(base / "reports", base / "warehouse.duckdb")
    out, _ = run.communicate(timeout=900)
    assert run.returncode == 0, out
    assert "dbt build: incremental" in out, out
    con = duckdb.connect(str(base / "warehouse.duckdb"), read_only=True)
    try:
        con.execute(f"attach '{base / 'bi.duckdb'}' as bi (read_only)")
        assert con.execute("select distinct publish_mode, build_finished_at "
                           "from bi.main.publication").fetchall() == con.execute(
            "select 'incremental', max(finished_at) from raw.dbt_builds").fetchall()
        for table in mart_tables(con):
            if table in WAREHOUSE_ONLY:
                continue
            for a, b in (("marts", "bi.marts"), ("bi.marts", "marts")):
                assert con.execute(f'select count(*) from (select * from {a}."{table}" except all '
                                   f'select * from {b}."{table}")').fetchall() == [(0,)], table
    finally:
        con.close()
