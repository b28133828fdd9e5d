"""The dashboards in a real browser over warehouses other than the bundled reports: nothing
published yet, an empty warehouse (a run over an empty folder), and a budget with its 决算.

Expected figures are read from the source documents (page given), not from the code:
西南大学's 2023 部门预算 and 部门决算 (tests/fixtures/budgets/swu-university-2023.pdf and
swu-university-2023-final.pdf; provenance in tests/fixtures/budgets/README.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import (
    MARKS,
    VIEWS,
    WAIT_MS,
    App,
    chromium,
    no_exception,
    open_view,
    recorded_page,
    start_run,
)

BUDGETS = Path(__file__).parent / "fixtures" / "budgets"

pytestmark = MARKS


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture
def page(browser):
    yield from recorded_page(browser)


def _loaded(folder: Path, files: list[Path]) -> Path:
    """`juesuan run` over a folder holding `files` (none: an empty folder); its BI file."""
    reports = folder / "reports"
    reports.mkdir(parents=True)
    for f in files:
        shutil.copy(f, reports)
    run = start_run(reports, folder / "warehouse.duckdb")
    out, _ = run.communicate(timeout=900)
    assert run.returncode == 0, out
    return folder / "bi.duckdb"


@pytest.fixture(scope="module")
def unpublished(tmp_path_factory):
    """The app before any run: its BI file does not exist."""
    base = tmp_path_factory.mktemp("unpublished")
    app = App(base / "bi.duckdb", base / "home")
    yield app
    app.stop()


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    """The app over the BI file a run over an empty folder published: no report in it."""
    base = tmp_path_factory.mktemp("empty")
    bi = _loaded(base, [])
    assert bi.exists()
    app = App(bi, base / "home")
    yield app
    app.stop()


@pytest.fixture(scope="module")
def budget_and_final(tmp_path_factory):
    """The app over 西南大学's 2023 预算 and 决算, loaded by the real pipeline."""
    base = tmp_path_factory.mktemp("budget")
    bi = _loaded(base, [BUDGETS / "swu-university-2023.pdf",
                        BUDGETS / "swu-university-2023-final.pdf"])
    app = App(bi, base / "home")
    yield app
    app.stop()


@pytest.mark.parametrize("warehouse, why", [("unpublished", "还没有发布的数据文件"),
                                            ("empty", "中还没有报告")])
@pytest.mark.parametrize("path", list(VIEWS))
def test_every_view_says_how_to_load_reports(page, request, warehouse, why, path):
    app = request.getfixturevalue(warehouse)
    open_view(page, app, path)
    expect(page.get_by_role("heading", level=1).first).to_have_text(VIEWS[path])
    expect(page.get_by_text(why)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("如何加载报告")).to_be_visible()
    expect(page.get_by_text("make run")).to_be_visible()
    no_exception(page)


def _rows(page) -> dict[str, list[str]]:
    """The budget view's table: cells of each row by its 科目编码."""
    table = page.locator('[data-testid="stMain"] [data-testid="stTable"]').first
    rows = [[td.inner_text().strip() for td in r.locator("td").all()]
            for r in table.locator("tbody tr").all()]
    return {r[0]: r for r in rows}


def test_budget_view_sets_each_item_s_budget_beside_its_final(page, budget_and_final):
    open_view(page, budget_and_final, "budget")
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator('[data-testid="stTable"]')).to_contain_text("2050205", timeout=WAIT_MS)
    expect(main).to_contain_text("西南大学")
    rows = _rows(page)
    # budget p.10 (财政拨款支出预算表): 2050205 高等教育 181,866.03; 决算 p.14 (表4 高等学校财政
    # 拨款支出决算表): 186,663.39 - spent 4,797.36 more than budgeted
    assert rows["2050205"][1:5] == ["高等教育", "181,866.03", "186,663.39", "4,797.36"]
    assert rows["2050205"][5].startswith("有差异")
    # budget p.10: 2060204 实验室及相关设施 350.00; 决算 p.15: 1,707.93
    assert rows["2060204"][1:5] == ["实验室及相关设施", "350.00", "1,707.93", "1,357.93"]
    # budget p.10 and 决算 p.15: 2210201 住房公积金 7,448.44 both
    assert rows["2210201"][1:6] == ["住房公积金", "7,448.44", "7,448.44", "0.00", "一致"]
    # the chart gives each bar's figure on hover (决算 of 高等教育, p.14)
    chart = main.locator('[data-testid="stPlotlyChart"]').first
    bars = chart.locator("g.point path")
    expect(bars.first).to_be_attached(timeout=WAIT_MS)
    hovered = []
    for i in range(bars.count()):
        box = bars.nth(i).bounding_box()
        if not box or box["height"] < 1:  # a bar of 0 (2296004's 决算) has nothing to hover
            continue
        bars.nth(i).hover(force=True)
        page.wait_for_timeout(100)
        hovered += chart.locator("g.hoverlayer text").all_text_contents()
    assert "高等教育186,663.39 万元" in hovered, hovered
    no_exception(page)


def test_the_other_views_show_the_budget_s_unit(page, budget_and_final):
    # the overview counts the 预算 beside the 决算: one of each, 2023
    open_view(page, budget_and_final)
    table = page.locator('[data-testid="stTable"]').filter(has_text="报告数")
    expect(table).to_contain_text("部门预算", timeout=WAIT_MS)
    assert sorted(r.inner_text().split() for r in table.locator("tbody tr").all()) == [
        ["2023", "部门决算", "1"], ["2023", "部门预算", "1"]]
    # the 决算's figures, not the budget's: 决算 p.13 (表3) 合计 457,676.75, 基本支出 359,781.59;
    # p.17 states 基本支出 78.61% of the total
    open_view(page, budget_and_final, "compare")
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("西南大学", timeout=WAIT_MS)
    expect(main).to_contain_text("457,676.75")
    no_exception(page)
    open_view(page, budget_and_final, "unit")
    expect(main).to_contain_text("457,676.75", timeout=WAIT_MS)
    expect(main).to_contain_text("78.61%")
    no_exception(page)
    open_view(page, budget_and_final, "findings")
    expect(page.get_by_text("条发现").first).to_be_visible(timeout=WAIT_MS)
    no_exception(page)
