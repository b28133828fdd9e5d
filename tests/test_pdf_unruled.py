"""Tables printed without ruling lines: rebuilt as grids from where their text sits.

Each PDF is drawn here with reportlab, text at column positions and no lines (or only
horizontal rules, or only an outer frame). Every expected figure is the one drawn, not one read
back from the code.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from dagster_project.document import Table
from dagster_project.interpret.report import interpret
from dagster_project.readers.pdf import read_pdf

FONT = "STSong-Light"
PAGE_H = 842.0


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def draw(path: Path, pages: list[list[tuple]], size: tuple[float, float] = (595.0, PAGE_H)) -> Path:
    """Draw pages of ops: ('L'|'R'|'C', x, top, text[, font size]), ('H', x0, x1, top) a
    horizontal rule, ('B', x0, top, x1, bottom) a frame. `top` counts from the page top."""
    from reportlab.pdfgen import canvas

    _font()
    c = canvas.Canvas(str(path), pagesize=size)
    height = size[1]
    for ops in pages:
        for op in ops:
            kind = op[0]
            if kind in "LRC":
                x, top, text = op[1:4]
                fs = op[4] if len(op) > 4 else 9
                c.setFont(FONT, fs)
                y = height - top - fs  # baseline below the line's top
                {"L": c.drawString, "R": c.drawRightString, "C": c.drawCentredString}[kind](x, y, text)
            elif kind == "H":
                c.line(op[1], height - op[3], op[2], height - op[3])
            elif kind == "B":
                c.rect(op[1], height - op[4], op[3] - op[1], op[4] - op[2])
        c.showPage()
    c.save()
    return path


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


# --- 公开05表: codes whole, names, 合计 / 基本支出 / 项目支出 -----------------------------------

# (code, name, 合计, 基本支出, 项目支出); "" is a blank cell.
T05_ROWS = [
    ("", "合计", "3,456.78", "2,100.00", "1,356.78"),
    ("201", "一般公共服务支出", "2,345.67", "1,500.00", "845.67"),
    ("20101", "人大事务", "2,345.67", "1,500.00", "845.67"),
    ("2010101", "行政运行", "1,500.00", "1,500.00", ""),
    ("2010102", "一般行政管理事务", "845.67", "", "845.67"),
    ("208", "社会保障和就业支出", "1,111.11", "600.00", "511.11"),
    ("20805", "行政事业单位养老支出", "600.00", "600.00", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "600.00", "600.00", ""),
    ("20899", "其他社会保障和就业支出", "511.11", "", "511.11"),
    ("2089999", "其他社会保障和就业支出", "511.11", "", "511.11"),
]
# Column anchors: codes and names left-aligned, amounts right-aligned.
CODE_X, NAME_X, AMOUNT_RIGHT = 40, 120, (330, 430, 530)


def page_05(rules: str = "none") -> list[tuple]:
    ops: list[tuple] = [
        ("R", 555, 40, "公开05表"),
        ("C", 297, 60, "一般公共预算财政拨款支出决算表", 14),
        ("L", 40, 90, "编制单位：某某区某某局"),
        ("R", 555, 90, "单位：万元"),
        # Two header rows: 项目 over the code and name columns, the amount headers set
        # halfway between the two rows (vertically centred in a two-row header).
        ("C", 120, 112, "项目"),
        ("C", 300, 120, "合计"), ("C", 400, 120, "基本支出"), ("C", 500, 120, "项目支出"),
        ("L", CODE_X, 128, "功能分类科目编码"), ("L", NAME_X + 20, 128, "科目名称"),
    ]
    top = 150
    for code, name, *amounts in T05_ROWS:
        if code:
            ops.append(("L", CODE_X, top, code))
            ops.append(("L", NAME_X, top, name))
        else:
            ops.append(("C", 80, top, name))
        for right, amount in zip(AMOUNT_RIGHT, amounts, strict=True):
            if amount:
                ops.append(("R", right, top, amount))
        top += 16
    bottom = top
    if rules == "horizontal":
        ops += [("H", 36, 560, 106), ("H", 36, 560, 143), ("H", 36, 560, bottom)]
    elif rules == "frame":
        # An outer box with a rule under the header: pdfplumber finds a one-column "table"
        # holding the whole header in one cell and the whole body in another.
        ops += [("B", 36, 106, 560, bottom), ("H", 36, 560, 143)]
    ops.append(("L", 40, bottom + 12, "注：本表反映部门本年度一般公共预算财政拨款实际支出情况。"))
    return ops


def cover() -> list[tuple]:
    return [("C", 297, 200, "某某区某某局2024年度部门决算", 18),
            ("L", 60, 300, "某某区某某局是区政府工作部门，主要职责是统筹本区某某工作。本部门2024年度"),
            ("L", 60, 316, "决算包括本级及所属单位，收支均纳入本部门决算编制范围。")]


@pytest.fixture(scope="module")
def pdf_05(tmp_path_factory) -> Path:
    return draw(tmp_path_factory.mktemp("unruled") / "t05.pdf", [cover(), page_05()])


def _grid_of(doc) -> list[list[str]]:
    found = tables(doc)
    assert len(found) == 1, [t.texts() for t in found]
    return found[0].texts()


def test_unruled_05_rebuilds_every_row_with_blanks_in_place(pdf_05):
    rows = _grid_of(read_pdf(pdf_05))
    # The header's three lines (项目 / the amount headers centred between the rows / 编码 and
    # 名称) stack per column from the top, as a ruled table's merged cells keep their text in
    # their top row; then one row per line drawn.
    assert rows[:2] == [["功能分类科目编码", "项目", "合计", "基本支出", "项目支出"],
                        ["", "科目名称", "", "", ""]]
    body = rows[2:]
    assert [r[2:] for r in body] == [list(r[2:]) for r in T05_ROWS]
    assert [r[0] for r in body[1:]] == [r[0] for r in T05_ROWS[1:]]
    assert [r[1] for r in body[1:]] == [r[1] for r in T05_ROWS[1:]]
    assert "合计" in body[0][:2]


def test_unruled_cells_keep_their_page_and_box(pdf_05):
    table = tables(read_pdf(pdf_05))[0]
    row = next(r for r in table.rows if r[0].text == "2010102")
    amount = row[2]
    assert amount.text == "845.67" and amount.location.page == 2
    x0, top, x1, bottom = amount.location.bbox
    # Drawn right-aligned at x=330, its line's top 150 + 4 * 16 from the page top.
    assert abs(x1 - 330) < 1 and abs(top - (150 + 4 * 16)) < 3 and x0 < x1 and top < bottom
    blank = row[3]
    assert blank.text == "" and blank.location.page == 2 and blank.location.bbox is not None
    assert table.location.page == 2


def _check_05(doc) -> None:
    facts = interpret(doc)
    t05 = facts.tables["05"]
    assert t05.status == "present", [p.message for p in facts.problems]

    def value(code, column):
        found = [c.value_wan_yuan for c in t05.cells if c.row_code == code and c.column_key == column]
        assert len(found) == 1, (code, column, found)
        return found[0]

    assert value("2010101", "total") == Decimal("1500.00")
    assert value("2010101", "basic") == Decimal("1500.00")
    assert value("2010101", "project") is None  # drawn blank
    assert value("2010102", "basic") is None
    assert value("2010102", "project") == Decimal("845.67")
    assert value("201", "total") == Decimal("2345.67")
    assert value("2080505", "basic") == Decimal("600.00")
    assert value("2089999", "project") == Decimal("511.11")


def test_unruled_05_interpreted_as_present(pdf_05):
    _check_05(read_pdf(pdf_05))


@pytest.mark.parametrize("rules", ["horizontal", "frame"])
def test_unruled_05_with_only_horizontal_rules_or_a_frame(tmp_path, rules):
    doc = read_pdf(draw(tmp_path / f"t05-{rules}.pdf", [cover(), page_05(rules)]))
    rows = _grid_of(doc)
    assert [r[2:] for r in rows[2:]] == [list(r[2:]) for r in T05_ROWS]
    _check_05(doc)


# --- 公开03表: six value columns, blanks, wrapped headers, a name overhanging ----------------

# (code, name, 本年支出合计, 基本支出, 项目支出, 上缴上级支出, 经营支出, 对附属单位补助支出)
T03_ROWS = [
    ("", "合计", "12,345.60", "8,000.00", "4,000.00", "", "345.60", ""),
    ("201", "一般公共服务支出", "10,000.00", "6,000.00", "4,000.00", "", "", ""),
    ("2010101", "行政运行", "6,000.00", "6,000.00", "", "", "", ""),
    ("2010199", "其他人大事务支出", "4,000.00", "", "4,000.00", "", "", ""),
    # A name long enough to run past the first amount column's left edge: only its own
    # column is blank on this line, the amounts stay in theirs.
    ("2080501", "行政单位离退休（其他离退休人员经费）", "2,345.60", "2,000.00", "", "", "345.60", ""),
    ("2089901", "其他社会保障和就业支出", "0.00", "", "", "", "", "0.00"),
]
# Landscape: code, name, then six right-aligned amount columns.
T03_RIGHT = (330, 410, 490, 570, 650, 760)
T03_HEAD = [("本年支出", "合计"), ("基本支出",), ("项目支出",), ("上缴上级", "支出"),
            ("经营支出",), ("对附属单位", "补助支出")]


def page_03() -> list[tuple]:
    ops: list[tuple] = [
        ("C", 421, 40, "支出决算表", 14),
        ("R", 800, 70, "单位：万元"),
        ("C", 110, 96, "项目"),
        ("L", 40, 108, "科目编码"), ("L", 130, 108, "科目名称"),
    ]
    for right, words in zip(T03_RIGHT, T03_HEAD, strict=True):
        # Header texts wrapped over two lines inside their column.
        for k, word in enumerate(words):
            ops.append(("C", right - 30, 96 + 12 * k, word))
    top = 130
    for code, name, *amounts in T03_ROWS:
        ops.append(("L", 40, top, code) if code else ("L", 40, top, "合计"))
        if code:
            ops.append(("L", 130, top, name))
        for right, amount in zip(T03_RIGHT, amounts, strict=True):
            if amount:
                ops.append(("R", right, top, amount))
        top += 18
    return ops


def test_unruled_03_six_value_columns_and_blanks(tmp_path):
    doc = read_pdf(draw(tmp_path / "t03.pdf", [cover(), page_03()], size=(842.0, 595.0)))
    rows = _grid_of(doc)
    assert len(rows[0]) == 8
    body = [r for r in rows if r[0] in {c or "合计" for c, *_ in T03_ROWS}]
    assert [r[2:] for r in body] == [list(r[2:]) for r in T03_ROWS]
    assert [r[1] for r in body[1:]] == [r[1] for r in T03_ROWS[1:]]
    # A header wrapped over two lines in its column reads as one text, as in a ruled cell.
    headers = rows[:len(rows) - len(body)]
    assert [[h[k] for h in headers if h[k]] for k in range(2, 8)] == [
        ["本年支出合计"], ["基本支出"], ["项目支出"], ["上缴上级支出"], ["经营支出"], ["对附属单位补助支出"]]

    facts = interpret(doc)
    t03 = facts.tables["03"]
    assert t03.status == "present", [p.message for p in facts.problems]
    got = {(c.row_code, c.column_key): c.value_wan_yuan for c in t03.cells}
    assert got[("2010101", "basic")] == Decimal("6000.00")
    assert got[("2010199", "project")] == Decimal("4000.00")
    assert got[("2080501", "operating")] == Decimal("345.60")
    assert got[("2080501", "project")] is None
    assert got[("2089901", "subsidy_affiliated")] == Decimal("0.00")
    assert got[("201", "remit_upper")] is None


# --- what is not a table ----------------------------------------------------------------


def test_prose_and_a_contents_page_are_not_tables(tmp_path):
    prose = [("C", 297, 60, "第一部分 部门概况", 14)]
    top = 100
    for _ in range(12):
        # Justified prose with amounts in it: long single pieces, whatever the numbers.
        prose.append(("L", 60, top, "2024年度收入总计1,234.56万元，支出总计1,200.00万元，年末结转和结余34.56万元。"))
        top += 16
    contents = [("C", 297, 60, "目录", 14)]
    top = 100
    for n, title in enumerate(["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
                               "一般公共预算财政拨款支出决算表"], start=1):
        # Title and page number apart, like a table of two columns: page numbers are not money.
        contents += [("L", 60, top, f"公开0{n}表 {title}"), ("R", 530, top, str(n + 4))]
        top += 18
    signature = [("L", 60, 100, "单位负责人：张三"), ("L", 300, 100, "财务负责人：李四"),
                 ("L", 60, 120, "填表人：王五"), ("L", 300, 120, "电话：12345678"),
                 ("L", 60, 140, "日期：2025年3月1日"), ("L", 300, 140, "页码：1")]
    doc = read_pdf(draw(tmp_path / "prose.pdf", [prose, contents, signature]))
    assert tables(doc) == []
    assert any("1,234.56" in b.text for b in doc.blocks)
