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
