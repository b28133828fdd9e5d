"""The PDF corpus: every layout renders, the PDFs have a text layer, the truth is the model's."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from dagster_project.generate.corpus import generate, models, plan_corpus
from dagster_project.generate.layouts import LAYOUTS, parse_layouts
from dagster_project.generate.model import FEN
from dagster_project.generate.pdf_render import render_pdf
from dagster_project.generate.registry import load
from dagster_project.generate.render import render


def _cells(out: Path) -> list[dict]:
    with (out / "cells.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    generate(out, 4, range(2024, 2025), 0.0, seed=3, layouts=parse_layouts("base,yuan"))
    return out


@pytest.fixture(scope="module")
def first_model():
    reg = load()
    return reg, {m.name: m for _, m in models(plan_corpus(4, 3, reg), range(2024, 2025), 3, reg)}


def test_every_layout_renders(first_model):
    reg, by_name = first_model
    m = next(iter(by_name.values()))
    text, _ = render(m, reg)
    for layout in LAYOUTS.values():
        data, truths, grids = render_pdf(m, reg, layout, text)
        assert data.startswith(b"%PDF"), layout.name
        assert {g.code for g in grids} == {f"{i:02d}" for i in range(1, 10)}, layout.name
        assert truths, layout.name


def test_pdfs_have_a_text_layer(corpus):
    pdfs = sorted((corpus / "reports").glob("*.pdf"))
    assert len(pdfs) == 4
    units = {r["file"]: r["unit"] for r in csv.DictReader((corpus / "units.csv").open())}
    with pdfplumber.open(pdfs[0]) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        tables = sum(len(p.find_tables()) for p in pdf.pages)
    assert units[pdfs[0].name] in text
    assert "收入支出决算总表" in text and "财政拨款“三公”经费支出决算表" in text
    assert "一般公共预算财政拨款支出决算情况说明" in text
    assert tables >= 9


def test_truth_is_the_models_figures(corpus, first_model):
    reg, by_name = first_model
    layouts = {r["file"]: r["layout"] for r in csv.DictReader((corpus / "tables.csv").open())}
    units = {r["file"]: r["unit"] for r in csv.DictReader((corpus / "units.csv").open())}
    for file in sorted(layouts):
        _check_truth(reg, by_name[units[file]], layouts[file],
                     [c for c in _cells(corpus) if c["file"] == file])
    assert set(layouts.values()) == {"base", "yuan"}


def _check_truth(reg, m, layout: str, cells: list[dict]) -> None:
    truth = {(c["table_code"], c["row_code"] or c["row_key"], c["column_key"]):
             Decimal(c["value_wan_yuan"]) for c in cells}
    # The text render of the same seed prints the same model with the same rounding.
    _, figures = render(m, reg)
    checked = 0
    for f in figures:
        if f.kind != "table_cell" or f.table not in ("02", "03", "05"):
            continue
        value = truth[(f.table, f.row_code, f.extra["key"])]
        if layout == "yuan":  # 元 prints the exact model value
            assert abs(value - Decimal(f.text)) <= Decimal("0.005")
        else:
            assert value == Decimal(f.text)
        checked += 1
    assert checked > 5
    exact = {"yuan": lambda x: x.quantize(FEN), "base": lambda x: x.quantize(Decimal("0.01"))}
    q = exact[layout]
    assert truth[("01", "income_total", "amount")] == q(m.income_total)
    assert truth[("01", "grand_total", "amount")] == q(m.grand_total)
    assert truth[("06", "personnel_total", "amount")] == q(m.personnel_total)
    assert truth[("09", "total", "final_total")] == q(
        sum(m.three_final.values(), Decimal(0)))


def test_same_arguments_same_bytes(tmp_path, corpus):
    generate(tmp_path, 4, range(2024, 2025), 0.0, seed=3, layouts=parse_layouts("base,yuan"))
    for p in sorted((corpus / "reports").glob("*.pdf")):
        assert (tmp_path / "reports" / p.name).read_bytes() == p.read_bytes()
    assert (tmp_path / "cells.csv").read_bytes() == (corpus / "cells.csv").read_bytes()


def test_injected_table_cell_is_printed_and_recorded(tmp_path):
    generate(tmp_path, 6, range(2024, 2025), 1.0, seed=3, layouts=parse_layouts("base"))
    manifest = list(csv.DictReader((tmp_path / "manifest.csv").open(encoding="utf-8")))
    assert manifest and all(r["file"].endswith(".pdf") for r in manifest)
    cells = _cells(tmp_path)
    for r in manifest:
        if r["kind"] == "table_cell" and r["table_code"] in ("02", "03", "05", "07"):
            printed = {c["printed_text"] for c in cells
                       if c["file"] == r["file"] and c["table_code"] == r["table_code"]
                       and c["row_code"] == r["row_code"]}
            assert r["injected"] in printed and r["original"] not in printed


# -- variants from features of real documents (session 8) -------------------------------------

@pytest.mark.parametrize("name", ["caption_cell", "caption_frame", "caption_rows", "unit_in_header",
                                  "spacer_grid", "combo_province"])
def test_real_world_variants_read_exactly(first_model, tmp_path, name):
    """Each variant the reader had to learn (the title and unit line in the grid's top cell
    or in a frame, the unit named only in the header, a spreadsheet's spacer rows and
    columns) reads every value cell the generator printed, and nothing else."""
    from dagster_project.interpret.report import interpret
    from dagster_project.readers import read_document

    reg, by_name = first_model
    m = next(iter(by_name.values()))
    text, _ = render(m, reg)
    data, truths, _grids = render_pdf(m, reg, LAYOUTS[name], text)
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    facts = interpret(read_document(path))
    assert not facts.fatal

    def side(table: str, group: int) -> int:
        return group if table in ("01", "04") else 0

    expected = {(code, side(code, t.column_group), t.row_code or t.row_key, t.column_key):
                t.value_wan_yuan for code, t, _text in truths}
    read = {(c.table_code, side(c.table_code, c.column_group), c.row_code or c.row_key,
             c.column_key): c.value_wan_yuan or Decimal(0)
            for c in facts.cells() if c.table_code in {code for code, _t, _x in truths}}
    assert {k: v for k, v in read.items() if k in expected} == expected
    assert set(read) <= set(expected)


def test_turned_pages_and_the_total_row_last(first_model):
    reg, by_name = first_model
    m = next(iter(by_name.values()))
    text, _ = render(m, reg)
    data, _truths, grids = render_pdf(m, reg, LAYOUTS["combo_province"], text)
    import io
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        turned = [p for p in pdf.pages if p.rotation == 90]
        # a portrait media box, shown landscape
        assert turned and all(p.width > p.height for p in turned)
        assert all(p.page_obj.attrs["MediaBox"][2] < p.page_obj.attrs["MediaBox"][3] for p in turned)
        assert "收入决算表" in (turned[0].extract_text() or "")
    g02 = next(g for g in grids if g.code == "02")
    assert g02.rows[-1][0].text == "合计"
