"""The dashboards' pure parts: number formats, the framed page, the cited lines, the SQL guard."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from dagster_project.dashboards import queries
from dagster_project.dashboards.fmt import pct, wan
from dagster_project.dashboards.source import FRAME_COLOUR, page_png, render_page, text_lines

REPORTS = Path(__file__).resolve().parents[1] / "seeds" / "reports"


def test_amounts_in_wan_yuan_with_thousands_separators():
    assert wan(Decimal("14572.530000")) == "14,572.53"
    assert wan(Decimal("-18.1")) == "-18.10"
    assert wan(Decimal("1234567.005")) == "1,234,567.00"  # half-even: never through float
    assert wan(None) == "—"  # missing is never zero
    assert pct(Decimal("79.4854")) == "79.49%"


def test_the_page_is_rendered_with_the_box_framed():
    # 上海市普陀区财政局 2024, p.15 (公开05表): the 合计 2,940.05 is printed near x 388-430,
    # top 554-566 points (pdfplumber's words of that page)
    box = (382.4, 547.6, 438.2, 564.9)
    image = render_page(REPORTS / "putuo-finance-bureau-2024.pdf", 15, [box], resolution=72)
    assert image.size == (595, 842)  # A4 in points at 72 dpi: one pixel per point
    x0, top, x1, bottom = (round(v) for v in box)
    assert image.getpixel(((x0 + x1) // 2, top)) == FRAME_COLOUR
    assert image.getpixel((x0, (top + bottom) // 2)) == FRAME_COLOUR
    assert image.getpixel(((x0 + x1) // 2, top - 40)) != FRAME_COLOUR


def test_the_framed_page_is_kept_as_png_per_version_of_the_file(tmp_path):
    pdf = tmp_path / "putuo.pdf"
    shutil.copy(REPORTS / "putuo-finance-bureau-2024.pdf", pdf)
    box = (382.4, 547.6, 438.2, 564.9)  # p.15's 合计 2,940.05 (as above)
    png = page_png(pdf, 15, [box], resolution=72)
    image = Image.open(BytesIO(png))
    assert image.format == "PNG" and image.size == (595, 842)
    assert image.convert("RGB").getpixel((410, 548)) == FRAME_COLOUR
    assert page_png(pdf, 15, [box], resolution=72) is png  # kept: not rendered again
    # the file replaced on disk (a new modification time) is rendered anew
    stat = pdf.stat()
    os.utime(pdf, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = page_png(pdf, 15, [box], resolution=72)
    assert again is not png and again == png


def test_the_text_report_lines_around_the_cited_one():
    lines = dict(text_lines(REPORTS / "caidian-trade-union-2024.txt", 607, around=2))
    assert sorted(lines) == [605, 606, 607, 608, 609]
    # 公开03表 合计 row of 武汉市蔡甸区总工会本级: 534.74 / 506.87 / 27.87 on lines 606-608
    assert [lines[n].strip() for n in (606, 607, 608)] == ["534.74", "506.87", "27.87"]


def test_the_finding_picker_tells_alike_findings_apart():
    # 西南大学's 2023 决算 misses five 公开 tables: five D.table_missing findings, each located
    # at the file; their labels name the table, and two still alike are numbered
    import pandas as pd

    from dagster_project.dashboards.findings import labels

    found = pd.DataFrame({
        "finding_id": ["a", "b", "c", "d"], "severity": "warning", "unit_name": "西南大学",
        "fiscal_year": 2023, "rule_id": "D.table_missing",
        "table_code": ["04", "08", None, None],
        "source_location": "swu-university-2023-final.pdf"})
    shown = labels(found)
    assert shown["a"] == "警告 · 西南大学 2023 · D.table_missing · 表04 · swu-university-2023-final.pdf"
    assert "表08" in shown["b"]
    assert shown["c"].endswith("final.pdf · #1") and shown["d"].endswith("final.pdf · #2")
    assert len(set(shown.values())) == 4


def test_only_known_columns_are_ever_named_in_sql():
    with pytest.raises(ValueError):
        queries.distinct("severity; drop table marts.audit_findings")
