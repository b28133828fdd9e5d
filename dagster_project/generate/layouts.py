"""Named layout variants of the PDF render: each a small set of switches over one base.

Every variant changes one thing real 部门决算 PDFs are seen to change (header depth, code
columns, column order, zero markers, units, numbering, pagination, …) and keeps the rest of the
base, so a reading failure on a variant points at that one thing. The base follows the shape
of the seed's text format (公开01…09 in order, 类/款/项 split, 06 in three groups, 09 as a
预算数 block then a 决算数 block).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Layout:
    name: str = "base"
    # Header rows of the tables: 1 (one flat row), 2 (the MoF template: grouped labels over
    # their columns) or 3 (2 plus a 栏次 row numbering the value columns).
    header_rows: int = 3
    repeat_header: bool = True  # a table continued on the next page repeats its header rows
    repeat_title: bool = False  # … and its title (and number and unit line) above them
    new_page_per_table: bool = True  # False: tables follow each other and break mid-page
    project_first: bool = False  # 03/05/07/08: 项目支出 before 基本支出
    drop_zero_columns: bool = False  # 04 without 国有资本经营; 02/03 only the columns in use
    code_style: str = "split"  # split (类|款|项, each row its full prefix) | sparse (only the
    #                            new part) | whole (2010101) | joined ("2010101 行政运行")
    groups06: int = 3  # 06表 (code, name, amount) groups side by side: 1, 2 or 3
    shape09: str = "blocks"  # blocks (预算数 block, 决算数 block) | paired (预算数|决算数 per item)
    subtotal09: bool = True  # 09 prints the 公务用车购置及运行维护费 小计 columns
    zero: str = ""  # how an exact zero is printed: "", "0", "0.00", "-", "—"
    yuan: bool = False  # amounts in 元 (金额单位：元, ×10000, 2 decimals) instead of 万元
    thousands: bool = False  # thousands separators
    numbering: str = "gongkai"  # gongkai (公开01表) | biao (表1…表9, by position) | none
    mof_order: bool = False  # the MoF order: 三公 (09) seventh, 07 and 08 after it
    title_style: str = "year"  # year (2024年度…表) | unit_year (某局2024年度…表) | plain (…表)
    orientation: str = "mixed"  # mixed (wide tables landscape) | portrait | landscape
    digit_drop: float = 0.0  # points the digits of prose sit below the Chinese baseline
    empty_shape: str = "grid_note"  # sentence | grid_note | blank_rows | grid_row (07/08
    #                                 without funds: the declaration as the grid's one row)
    prose_size: float = 10.5  # body text size: larger wraps more lines
    contents: bool = False  # a 目录 page naming every table before the tables
    rules: str = "grid"  # grid (every cell boxed) | horizontal (row rules only) | none
    # Features seen in real documents (session 8 survey, benchmarks/RESULTS.md):
    caption: str = "above"  # above (title, unit line over the grid) | cell (both in a ruled
    #                         cell atop the grid, 江苏省委办公厅 2017) | frame (title, unit line
    #                         and grid inside one drawn rectangle, the same file's p.2) |
    #                         rows (the title in a ruled row, then a row 编制单位… | 单位：…
    #                         split off the grid's column edges: 江苏省人大办公厅 2017)
    unit_place: str = "line"  # line (单位：万元 above the grid) | header (no unit line: the
    #                           value columns' headers name it, 预算数（万元）: 深圳, 泉州, 北京)
    total_row: str = "first"  # first | last: where 02/03/05/07/08 print their 合计 row
    name_width: float = 1.0  # the name columns' width: below 1 long names wrap in their cell
    rotate_wide: bool = False  # a wide table on a portrait page turned by /Rotate 90 (烟台)
    continued_mark: bool = False  # a table continued on the next page says 续表 above it
    spacer_grid: bool = False  # an exported spreadsheet's grid (江苏 2017-2018): header
    #                            boxes unmerged, blank ruled rows in the header and blank
    #                            spacer columns at both edges of the grid


BASE = Layout()

_VARIANTS: list[Layout] = [
    BASE,
    replace(BASE, name="mof_template", header_rows=2, code_style="whole", groups06=2,
            shape09="paired", numbering="none", mof_order=True),
    replace(BASE, name="header_1row", header_rows=1),
    replace(BASE, name="header_2rows", header_rows=2),
    replace(BASE, name="flow_no_repeat", new_page_per_table=False, repeat_header=False),
    replace(BASE, name="flow_repeat_title", new_page_per_table=False, repeat_title=True),
    replace(BASE, name="project_first", project_first=True),
    replace(BASE, name="columns_in_use", drop_zero_columns=True),
    replace(BASE, name="code_sparse", code_style="sparse"),
    replace(BASE, name="code_whole", code_style="whole"),
    replace(BASE, name="code_joined", code_style="joined"),
    replace(BASE, name="econ_1group", groups06=1),
    replace(BASE, name="econ_2groups", groups06=2),
    replace(BASE, name="three_public_paired", shape09="paired"),
    replace(BASE, name="three_public_no_subtotal", subtotal09=False),
    replace(BASE, name="three_public_paired_no_subtotal", shape09="paired", subtotal09=False),
    replace(BASE, name="zero_0", zero="0"),
    replace(BASE, name="zero_000", zero="0.00"),
    replace(BASE, name="zero_dash", zero="-"),
    replace(BASE, name="zero_emdash", zero="—"),
    replace(BASE, name="yuan", yuan=True, thousands=True),
    replace(BASE, name="yuan_plain", yuan=True),
    replace(BASE, name="thousands", thousands=True),
    replace(BASE, name="numbered_biao", numbering="biao", mof_order=True),
    replace(BASE, name="titles_only", numbering="none"),
    replace(BASE, name="title_unit_year", title_style="unit_year"),
    replace(BASE, name="title_plain", title_style="plain"),
    replace(BASE, name="portrait", orientation="portrait"),
    replace(BASE, name="landscape", orientation="landscape"),
    replace(BASE, name="digits_low", digit_drop=1.5),
    replace(BASE, name="empty_sentence", empty_shape="sentence"),
    replace(BASE, name="empty_blank_rows", empty_shape="blank_rows"),
    replace(BASE, name="prose_large", prose_size=13.0),
    replace(BASE, name="contents_page", contents=True),
    # Tables set by text alignment alone, or with row rules only (no vertical lines).
    replace(BASE, name="unruled", rules="none"),
    replace(BASE, name="rules_horizontal", rules="horizontal"),
    # Features from the session 8 survey of real documents.
    # (in 元: the unit is named only inside the caption cell, so it must be read there)
    replace(BASE, name="caption_cell", caption="cell", yuan=True),
    replace(BASE, name="caption_frame", caption="frame"),
    replace(BASE, name="caption_rows", caption="rows", yuan=True),
    replace(BASE, name="unit_in_header", unit_place="header", yuan=True, thousands=True),
    replace(BASE, name="total_last", total_row="last"),
    replace(BASE, name="names_wrapped", name_width=0.45),
    replace(BASE, name="rotated_pages", rotate_wide=True),
    replace(BASE, name="continued_mark", continued_mark=True),
    replace(BASE, name="spacer_grid", spacer_grid=True),
    replace(BASE, name="empty_in_grid", empty_shape="grid_row"),
    # Several changes at once, as whole documents differ from each other: a district bureau
    # publishing in 元 with a flat header, and a city bureau following the MoF template.
    replace(BASE, name="combo_district", header_rows=1, code_style="joined", groups06=1,
            shape09="paired", subtotal09=False, zero="-", yuan=True, thousands=True,
            numbering="biao", mof_order=True, new_page_per_table=False, repeat_header=False,
            empty_shape="sentence", digit_drop=1.5, orientation="portrait"),
    replace(BASE, name="combo_city", header_rows=2, code_style="whole", groups06=2,
            shape09="paired", zero="0.00", thousands=True, numbering="none", mof_order=True,
            title_style="unit_year", drop_zero_columns=True, project_first=True,
            contents=True, orientation="landscape", empty_shape="blank_rows"),
    # A provincial office exporting its tables from a spreadsheet (江苏 2017): the title in
    # the grid's top cell, a spreadsheet's spacer rows and columns, names wrapped in narrow
    # cells, the 合计 row last, wide pages turned.
    replace(BASE, name="combo_province", caption="cell", spacer_grid=True, name_width=0.5,
            total_row="last", rotate_wide=True, continued_mark=True, header_rows=2,
            code_style="whole", yuan=True, thousands=True),
]

LAYOUTS: dict[str, Layout] = {v.name: v for v in _VARIANTS}


def parse_layouts(spec: str | None) -> list[Layout]:
    """`--layouts a,b,c` or `all` (None: the base only). Unknown names raise ValueError."""
    if not spec:
        return [BASE]
    if spec.strip() == "all":
        return list(_VARIANTS)
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in LAYOUTS]
    if unknown:
        raise ValueError(f"unknown layout(s) {', '.join(unknown)}; known: {', '.join(LAYOUTS)}")
    return [LAYOUTS[n] for n in names]
